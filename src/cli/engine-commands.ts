// What the engine's commands do: `apply`, `plan` and `destroy` reconcile a folder of manifests
// against AWS (the default credential chain), an endpoint, or an embedded emulator; `run` is the
// controller. Their command line is engine-cli.ts, which imports this module only when one runs.
import { watch as watchFs } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify as toYaml } from 'yaml';
import { accountOptions, type AccountAccess } from '../aws/accounts.js';
import type { AwsAccountSpec } from '../api/index.js';
import { handlers } from '../kinds/index.js';
import { classify } from '../reconcile/errors.js';
import { WorkQueue } from '../reconcile/workqueue.js';
import type { ObjectKey, ReconcileResult } from '../reconcile/types.js';
import { keyString } from '../reconcile/types.js';
import {
  applyDirectory,
  destroyDirectory,
  planDirectory,
  type DirectoryRun,
  type DirectoryRunOptions,
  type ObjectReport,
  type WaitingObject,
} from '../sources/directory-mode.js';
import { formatLocation, listManifestFiles, loadDirectory } from '../sources/directory.js';
import { StatusStore } from '../sources/status-store.js';
import { formatProblem } from '../sources/validate.js';
import type { AwsPort } from '../core/aws-port.js';
import type { RouteComparison } from '../domain/routes/compare.js';
import { EMULATOR_CREDENTIALS, openAws } from './aws-target.js';
import type { DestroyOptions, EventsOptions, IO, RunOptions, TargetOptions } from './engine-options.js';
import type { EventsQueueOptions } from '../runtime/events-queue.js';
import { deletionLines, deletionOutcome, deletionSummary } from './deletions.js';
import { EXIT } from './exit-codes.js';
import { formatDuration, formatTable, painter, plural } from './output.js';
import { notAskedLines, objectName, planJson, planMarkdown, planText, planVerdict } from './plan-output.js';

async function openTarget(opts: TargetOptions, io: IO, signal?: AbortSignal) {
  // An embedded emulator without a state file starts empty: a status cached from an earlier run would lie.
  const persistent = !opts.emulator || opts.emulatorState !== undefined;
  const storeTarget = opts.emulator ? `emulator:${opts.emulatorState ? resolvePath(opts.emulatorState) : 'memory'}` : `${opts.endpoint ?? 'aws'}:${opts.region}`;
  // Before the emulator starts: a status file or digest key that cannot be used stops the command with nothing left running.
  const store = new StatusStore(persistent ? opts.statusFile : undefined, storeTarget);
  const access = opts.account === undefined ? undefined : await accountAccess(opts.filename, opts.account);
  if (access) io.stderr.write(`account ${access.name}: ${describeAccess(access)}\n`);
  // An endpoint that cannot be reached is asked once per pass and reported once, not per object.
  const { aws, close } = await openAws(opts, io, {
    signal,
    failFast: (err) => classify(err).unreachable === true,
    ...(access ? { configure: (base) => accountOptions(base, access) } : {}),
  });
  return { aws, store, account: access?.name, close };
}


export async function runController(opts: RunOptions, io: IO): Promise<number> {
  const { Controller } = await import('../runtime/controller.js');
  const { checkApiServer, KubeConfigError, KubeForbiddenError, loadKubeConfig } = await import('../runtime/kube.js');
  const { KINDS } = await import('../api/index.js');
  const { createLogger } = await import('../telemetry/logger.js');
  const log = createLogger(opts.logLevel);
  let kubeConfig: ReturnType<typeof loadKubeConfig>;
  try {
    kubeConfig = loadKubeConfig(opts.kubeconfig);
  } catch (err) {
    if (!(err instanceof KubeConfigError)) throw err;
    io.stderr.write(`chime-voice-operator run: ${err.message}\n`);
    return EXIT.failure;
  }
  try {
    await checkApiServer(kubeConfig, KINDS[0].kind, opts.namespace?.[0]);
  } catch (err) {
    if (err instanceof KubeForbiddenError) {
      // RBAC can be granted while the controller runs: it starts, says why it is not ready, and its watches retry.
      log.warn({ err: err.message }, 'the controller may not list its kinds yet; starting anyway: /readyz stays 503 until it can');
    } else if (err instanceof KubeConfigError) {
      io.stderr.write(`chime-voice-operator run: ${err.message}\n`);
      return EXIT.failure;
    } else throw err;
  }
  const controller = new Controller({
    kubeConfig,
    aws: {
      region: opts.region,
      endpoint: opts.endpoint,
      credentials: opts.endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE ? EMULATOR_CREDENTIALS : undefined,
    },
    handlers,
    log,
    ...(opts.eventsQueue
      ? {
          events: {
            queueUrl: opts.eventsQueue,
            sqs: eventsSqs(opts),
            sessionNames: opts.eventsSessionName,
            fallbackResyncMs: opts.eventsFallbackResync,
          },
        }
      : {}),
    namespaces: opts.namespace,
    accounts: opts.accounts === true,
    concurrency: opts.concurrency,
    ...(opts.awsConcurrency !== undefined ? { awsConcurrency: opts.awsConcurrency } : {}),
    resyncMs: opts.resync,
    probeAddress: opts.metricsBindAddress,
    digestKey: { name: opts.digestKeySecret, namespace: opts.digestKeyNamespace, create: opts.createDigestKey },
    leaderElection: opts.leaderElect
      ? {
          namespace: opts.leaderElectionNamespace,
          name: opts.leaderElectionId,
          leaseDurationMs: opts.leaderElectionLeaseDuration,
          renewDeadlineMs: opts.leaderElectionRenewDeadline,
          retryPeriodMs: opts.leaderElectionRetryPeriod,
        }
      : undefined,
  });
  await controller.start();
  log.info({ metrics: controller.url }, 'controller running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log.info('stopping: finishing the work in flight');
  await controller.stop();
  return 0;
}

/**
 * How `--account NAME` reaches its account: the AwsAccount of that name in the folder (a file such
 * as accounts.yaml beside the manifests; validated with them, at file:line), else the AWS shared
 * config profile NAME.
 */
export async function accountAccess(dir: string, name: string): Promise<AccountAccess> {
  const { loadDirectory } = await import('../sources/directory.js');
  const found = (await loadDirectory(dir)).accounts.find((a) => a.name === name);
  if (!found) return { name, profile: name };
  const spec = (found.object.spec ?? {}) as Partial<AwsAccountSpec>;
  return { name, ...(typeof spec.region === 'string' ? { region: spec.region } : {}), ...(spec.assumeRole ? { assumeRole: spec.assumeRole } : {}) };
}

export function describeAccess(access: AccountAccess): string {
  if (access.profile) return `AWS profile ${access.profile} (no AwsAccount ${access.name} in the folder)`;
  const region = access.region ? `, home region ${access.region}` : '';
  return access.assumeRole ? `role ${access.assumeRole.roleArn} assumed through STS${region}` : `the default credentials${region}`;
}

/** The SQS client of --events-queue: an explicit endpoint without AWS credentials in the environment is a local server, which accepts any. */
function eventsSqs(opts: EventsOptions) {
  if (!opts.eventsSqsEndpoint) return undefined;
  return { endpoint: opts.eventsSqsEndpoint, ...(!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE ? { credentials: EMULATOR_CREDENTIALS } : {}) };
}

function runOptions(opts: TargetOptions, target: Awaited<ReturnType<typeof openTarget>>, io: IO, signal?: AbortSignal): DirectoryRunOptions {
  const paint = painter(io.stderr);
  return {
    dir: opts.filename,
    aws: target.aws,
    handlers,
    store: target.store,
    timeoutMs: opts.timeout,
    // Without --account, the default credentials' account: a resource an --account run made is refused as a move, never made again.
    account: target.account ?? '',
    ...(opts.awsConcurrency !== undefined ? { concurrency: opts.awsConcurrency } : {}),
    signal,
    onResult: (report) => {
      // Once AWS is out of reach, the run reports the cause once at the end, not once per object.
      if (target.aws.failedWith !== undefined && report.result.phase === 'Error') return;
      // After Ctrl-C, what the stop cut short is summed up in one line at the end.
      if (signal?.aborted) return;
      io.stderr.write(`${progressLine(report, paint)}\n`);
    },
    onWaiting: (waiting, deadline) => io.stderr.write(waitingLines(waiting, deadline, opts.timeout)),
    // A tenth of the timeout, between 1 s and 30 s: a short --timeout still shows what it waits for.
    progressEveryMs: Math.min(30_000, Math.max(1_000, Math.round(opts.timeout / 10))),
  };
}

/**
 * Ctrl-C and SIGTERM abort the run: no AWS call starts after it, reads in flight are abandoned,
 * and the command ends with one clean line. A second signal exits at once.
 */
function interruption(io: IO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.stderr.write(`\n${signal} again: exiting without waiting\n`);
      process.exit(EXIT.interrupted);
    }
    io.stderr.write(`\n${signal}: stopping (calls in flight finish; Ctrl-C again to exit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export type ApplyOptions = TargetOptions & Partial<EventsOptions> & { watch?: boolean; resync: number; prune?: boolean; statusOut?: string };

export async function runApply(opts: ApplyOptions, io: IO): Promise<number> {
  const stop = interruption(io);
  const signal = stop.signal;
  let target: Awaited<ReturnType<typeof openTarget>> | undefined;
  try {
    target = await openTarget(opts, io, signal);
    const opened = target;
    // The fingerprint of the manifests as each apply read them: an edit made during an apply is a change too.
    let fingerprint = '';
    const once = async () => {
      fingerprint = await manifestFingerprint(opts.filename);
      const run = await applyDirectory({ ...runOptions(opts, opened, io, signal), prune: opts.prune });
      if (run.interrupted) return run;
      printRun(run, opts.output, io);
      if (opts.statusOut) await writeFile(opts.statusOut, statusYaml(run));
      return run;
    };
    let run = await once();
    if (run.interrupted) {
      printInterrupted(run.interrupted.pending, 'applied', io);
      return opts.watch ? EXIT.ok : EXIT.interrupted;
    }
    if (!opts.watch) return exitCodeOf(run);
    if (signal.aborted) {
      io.stderr.write('stopped\n');
      return EXIT.ok;
    }
    io.stderr.write(`watching ${opts.filename} for changes; resync every ${formatDuration(opts.resync)}; Ctrl-C to stop\n`);
    // The passes go through the work queue the controller uses, keyed by the folder: a resync is
    // the key's requeue (spread by ±10%), a failed pass its backoff (5 s doubling up to the resync
    // period), and an edit during a pass runs the folder again right after it.
    const FOLDER = opts.filename;
    let lastFailure = '';
    // The events queue: an event that touches an object of the folder starts a pass at once (a pass
    // looks at every object); while the queue is out, passes come every --events-fallback-resync.
    const events = opts.eventsQueue
      ? await watchEvents(opts as ApplyOptions & { eventsQueue: string }, io, () => run, (why) => {
          io.stderr.write(`${why}: applying\n`);
          passes.addAfter(FOLDER, 200);
        })
      : undefined;
    const resyncPeriod = () => (events && !events.consumer.isHealthy ? (opts.eventsFallbackResync ?? opts.resync) : opts.resync);
    const passes = new WorkQueue({
      concurrency: 1,
      baseBackoffMs: 5_000,
      maxBackoffMs: Math.max(5_000, opts.resync),
      onBackoff: (_key, attempt, delay) => io.stderr.write(`${lastFailure} after ${attempt} ${attempt === 1 ? 'pass' : 'passes'}: trying again in ${formatDuration(delay)} (Ctrl-C to stop)\n`),
      process: async () => {
        if (signal.aborted) return {};
        try {
          run = await once();
        } catch (err) {
          io.stderr.write(`apply failed: ${(err as Error).message}\n`);
          lastFailure = 'apply still failing';
          return { error: true };
        }
        if (run.interrupted) {
          printInterrupted(run.interrupted.pending, 'reconciled in this pass', io);
          return {};
        }
        lastFailure = 'AWS still unreachable';
        return run.notAsked?.wholePass ? { error: true } : { requeueAfterMs: jittered(resyncPeriod()) };
      },
    });
    passes.start();
    if (run.notAsked?.wholePass) {
      // The first pass ran before the queue: its failure starts the folder's backoff.
      lastFailure = 'AWS still unreachable';
      const delay = passes.backoff(FOLDER);
      io.stderr.write(`${lastFailure} after 1 pass: trying again in ${formatDuration(delay)} (Ctrl-C to stop)\n`);
      passes.addAfter(FOLDER, delay);
    } else passes.addAfter(FOLDER, jittered(resyncPeriod()));
    const onChange = () => {
      void manifestFingerprint(opts.filename).then((next) => {
        if (next === fingerprint || signal.aborted) return;
        fingerprint = next;
        io.stderr.write(`change in ${opts.filename}: applying\n`);
        // Edits come in bursts (an editor's save, a git checkout): the pass starts once they settle.
        passes.addAfter(FOLDER, 300);
      });
    };
    // Node 20 sets up recursive watches on Linux asynchronously, so an edit right after start can
    // slip past fs.watch; a fingerprint of the manifests, polled each second, catches every change.
    const poll = setInterval(onChange, 1_000);
    const watcher = watchFs(opts.filename, { recursive: true }, onChange);
    // The signal may have fired while the first pass printed: an abort listener added now would never run.
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(poll);
    watcher.close();
    await events?.consumer.stop();
    // The pass in flight finishes (it stops at its next level, as Ctrl-C asks).
    await passes.stop();
    io.stderr.write('stopped\n');
    return EXIT.ok;
  } finally {
    stop.dispose();
    await target?.close();
  }
}

/**
 * `apply --watch --events-queue`: reads the queue, and calls `pass` when an event touches an
 * object of the folder (known by the ids its last status holds) or when the queue goes out (events
 * may have been lost; then passes come every --events-fallback-resync until it is back).
 */
async function watchEvents(opts: ApplyOptions & { eventsQueue: string }, io: IO, lastRun: () => DirectoryRun, pass: (why: string) => void) {
  const { EventsQueueConsumer } = await import('../runtime/events-queue.js');
  const { EventKeyIndex, identifiersOfObject } = await import('../runtime/event-keys.js');
  const { USER_AGENT_APP_ID } = await import('../aws/context.js');
  const { Metrics } = await import('../telemetry/metrics.js');
  const { createLogger } = await import('../telemetry/logger.js');
  const index = new EventKeyIndex();
  let indexedRun: DirectoryRun | undefined;
  const keysFor: EventsQueueOptions['keysFor'] = (record) => {
    const run = lastRun();
    if (run !== indexedRun) {
      indexedRun = run;
      for (const r of run.reports) index.set(keyString(r.key), r.key.kind, identifiersOfObject({ metadata: { name: r.key.name, namespace: r.key.namespace }, status: r.result.status }));
    }
    return index.keysFor(record);
  };
  const consumer = new EventsQueueConsumer({
    queueUrl: opts.eventsQueue,
    sqs: eventsSqs(opts as EventsOptions),
    own: { userAgentAppId: USER_AGENT_APP_ID, sessionNames: opts.eventsSessionName ?? [] },
    keysFor,
    onEvents: (batch) => {
      const touched = [...new Set(batch.flatMap((e) => e.keys))];
      if (touched.length > 0) pass(`CloudTrail event${batch.length === 1 ? '' : 's'} touching ${touched.length === 1 ? touched[0] : plural(touched.length, 'object')}`);
    },
    onHealth: (healthy, cause) => {
      if (healthy) io.stderr.write(`events queue readable again: resync back to every ${formatDuration(opts.resync)}\n`);
      else {
        io.stderr.write(`events queue ${opts.eventsQueue} unreadable (${cause ?? 'unknown cause'}): polling for drift every ${formatDuration(opts.eventsFallbackResync ?? opts.resync)} until it is back\n`);
        pass('events queue out');
      }
    },
    metrics: new Metrics(false),
    // Directory mode speaks through stderr lines; the consumer's own log says only what fails.
    log: createLogger('warn', process.stderr),
  });
  await consumer.start();
  // Said only once the queue answered (GetQueueAttributes); a queue out at start has said so through onHealth.
  if (consumer.isHealthy) io.stderr.write(`reading CloudTrail events from ${opts.eventsQueue}\n`);
  return { consumer };
}

/** Names, sizes and modification times of the manifests: changes when any manifest does. */
async function manifestFingerprint(dir: string): Promise<string> {
  try {
    const files = await listManifestFiles(dir);
    const stats = await Promise.all(files.map(async (f) => `${f}:${(await stat(f)).size}:${(await stat(f)).mtimeMs}`));
    return stats.join('|');
  } catch (err) {
    return `error:${(err as Error).message}`;
  }
}

/** Resyncs spread out by ±10% so that many controllers do not hit AWS in step. */
function jittered(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

export async function runPlan(opts: TargetOptions & { prune?: boolean }, io: IO): Promise<number> {
  const stop = interruption(io);
  let target: Awaited<ReturnType<typeof openTarget>> | undefined;
  try {
    target = await openTarget(opts, io, stop.signal);
    const run = await planDirectory({ ...runOptions(opts, target, io, stop.signal), onResult: undefined, prune: opts.prune });
    if (run.invalid) {
      printProblems(run, io);
      return EXIT.failure;
    }
    if (run.interrupted) {
      printInterrupted(run.interrupted.pending, 'planned', io);
      return EXIT.interrupted;
    }
    // The text plan starts with it; the other formats go to files and bots, so a person sees it here too.
    if (run.notAsked && opts.output !== 'text') io.stderr.write(`${notAskedLines(run.notAsked, 'planned', painter(io.stderr)).join('\n')}\n`);
    const verdict = planVerdict(run);
    // Only when AWS answered: a picture of "before" from an AWS that was not asked would lie.
    const routes = opts.output === 'markdown' && !run.notAsked ? await planRoutes(opts.filename, target.aws, io) : undefined;
    io.stdout.write(opts.output === 'markdown' ? planMarkdown(run, verdict, routes) : opts.output === 'json' ? planJson(run, verdict) : planText(run, verdict, painter(io.stdout)));
    return verdict.incomplete > 0 || verdict.stalled > 0 || verdict.blockedDeletions > 0 ? EXIT.failure : verdict.changing > 0 || verdict.deleting.some((r) => deletionOutcome(r.result) === 'delete') ? EXIT.changesPending : EXIT.ok;
  } finally {
    stop.dispose();
    await target?.close();
  }
}

/** AWS now and the manifests applied, as routes, for `plan -o markdown`; undefined (said on stderr) when AWS could not be read. */
async function planRoutes(dir: string, aws: AwsPort, io: IO): Promise<RouteComparison | undefined> {
  const { readAwsInventory } = await import('../domain/routes/read-aws.js');
  const { inventoryOfObjects } = await import('../domain/routes/from-objects.js');
  const { buildRoutes } = await import('../domain/routes/model.js');
  const { compareRoutes } = await import('../domain/routes/compare.js');
  let before;
  try {
    before = buildRoutes(await readAwsInventory(aws, 'AWS now'));
  } catch (err) {
    io.stderr.write(`plan: the routes the change touches are not shown: could not read them from AWS: ${(err as Error).name}: ${(err as Error).message}\n`);
    return undefined;
  }
  const loaded = await loadDirectory(dir);
  return compareRoutes(before, buildRoutes(inventoryOfObjects('after apply', loaded.objects.map((m) => m.object))));
}

export async function runDestroy(opts: DestroyOptions, io: IO): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  // As terraform destroy: no one can answer the question, so nothing is deleted without the flag.
  if (!opts.dryRun && !opts.autoApprove && stdin.isTTY !== true) {
    io.stderr.write('destroy: stdin is not a terminal, so the deletions cannot be confirmed; pass --auto-approve to destroy without asking (or --dry-run to see them)\n');
    return EXIT.usage;
  }
  const stop = interruption(io);
  let target: Awaited<ReturnType<typeof openTarget>> | undefined;
  try {
    target = await openTarget(opts, io, stop.signal);
    const preview = await destroyDirectory({ ...runOptions(opts, target, io, stop.signal), onResult: undefined, dryRun: true });
    if (preview.invalid) {
      printProblems(preview, io);
      return EXIT.failure;
    }
    if (preview.notAsked) {
      // Nothing is known about what would be deleted: say why, and ask nothing.
      io.stderr.write(`${notAskedLines(preview.notAsked, 'deleted', painter(io.stderr)).join('\n')}\n`);
      return EXIT.failure;
    }
    if (stop.signal.aborted) {
      io.stderr.write('interrupted: nothing was deleted\n');
      return EXIT.interrupted;
    }
    const paint = painter(io.stdout);
    const pending = preview.reports.some((r) => deletionOutcome(r.result) === 'delete');
    const blocked = preview.reports.some((r) => deletionOutcome(r.result) === 'blocked');
    io.stdout.write(`${[...deletionLines(preview.reports, paint), `Destroy: ${deletionSummary(preview.reports)}.`].join('\n')}\n`);
    if (opts.dryRun) return blocked ? EXIT.failure : pending ? EXIT.changesPending : EXIT.ok;
    // Nothing to send to AWS (all gone or retained): only the status file changes, nothing to confirm.
    if (!opts.autoApprove && pending) {
      io.stdout.write(`\n${paint('bold', "Do you really want to destroy? Only 'yes' will be accepted:")} `);
      const answer = await readLine(stdin);
      if (answer?.trim() !== 'yes') {
        io.stderr.write('destroy cancelled: nothing was deleted\n');
        return EXIT.failure;
      }
    }
    const run = await destroyDirectory(runOptions(opts, target, io, stop.signal));
    printRun(run, opts.output, io, 'deleted');
    if (stop.signal.aborted) {
      io.stderr.write('interrupted: not every object was deleted\n');
      return EXIT.interrupted;
    }
    return run.invalid || run.notAsked || run.reports.some((r) => !r.result.deleted) ? EXIT.failure : EXIT.ok;
  } finally {
    stop.dispose();
    await target?.close();
  }
}

/** One line from a stream (undefined if it ends first), leaving the stream as it found it. */
async function readLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  const rl = createInterface({ input: stream, terminal: false });
  try {
    for await (const line of rl) return line;
    return undefined;
  } finally {
    rl.close();
  }
}

function exitCodeOf(run: DirectoryRun): number {
  if (run.invalid || run.notAsked) return EXIT.failure;
  if (run.reports.some((r) => r.result.phase === 'Stalled')) return EXIT.failure;
  if (run.timedOut) return EXIT.timedOut;
  return run.reports.every((r) => r.result.phase === 'Ready' || r.result.phase === 'Deleted') ? EXIT.ok : EXIT.failure;
}

function printProblems(run: DirectoryRun, io: IO) {
  for (const p of run.problems) io.stderr.write(`${formatProblem(p)}\n`);
  if (run.invalid) io.stderr.write('nothing was changed in AWS: fix the errors above first\n');
}


function printInterrupted(pending: ObjectKey[], verb: string, io: IO) {
  const shown = pending.slice(0, 10).map(objectName).join(', ');
  io.stderr.write(`interrupted: ${plural(pending.length, 'object')} not ${verb}${pending.length ? `: ${shown}${pending.length > 10 ? ', ...' : ''}` : ''}\n`);
}



function waitingLines(waiting: WaitingObject[], deadline: Date, timeoutMs: number): string {
  if (waiting.length === 0) return '';
  const clock = (d: Date) => d.toISOString().slice(11, 19);
  const lines = [`waiting for ${plural(waiting.length, 'object')}; gives up at ${clock(deadline)} UTC (--timeout ${formatDuration(timeoutMs)}):`];
  for (const w of waiting) {
    const ready = w.report.result.status.conditions?.find((c) => c.type === 'Ready');
    lines.push(`  … ${objectName(w.report.key)}: ${ready?.reason ?? w.report.result.phase}${ready?.message ? ` — ${ready.message}` : ''} (since ${clock(w.since)} UTC, ${formatDuration(Date.now() - w.since.getTime())})`);
  }
  return `${lines.join('\n')}\n`;
}

function printRun(run: DirectoryRun, output: string, io: IO, verb: 'applied' | 'deleted' = 'applied') {
  printProblems(run, io);
  if (run.invalid) return;
  if (run.notAsked) io.stderr.write(`${notAskedLines(run.notAsked, verb, painter(io.stderr)).join('\n')}\n`);
  if (run.timedOut) {
    const what = run.timedOut.waiting.map((w) => {
      const ready = w.report.result.status.conditions?.find((c) => c.type === 'Ready');
      return `${objectName(w.report.key)} (${ready?.reason ?? w.report.result.phase}${ready?.message ? `: ${ready.message}` : ''})`;
    });
    io.stderr.write(`${painter(io.stderr)('red', `timed out after ${formatDuration(run.timedOut.afterMs)} waiting for ${what.join(', ')}`)}\n`);
  }
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify(runJson(run), null, 2)}\n`);
    return;
  }
  const paint = painter(io.stdout);
  const notAsked = new Set((run.notAsked?.objects ?? []).map(keyString));
  const shown = run.reports.filter((r) => !notAsked.has(keyString(r.key)));
  if (shown.length === 0) return;
  const rows = shown.map((r) => {
    const ready = r.result.status.conditions?.find((c) => c.type === 'Ready');
    const drifted = r.result.status.conditions?.find((c) => c.type === 'Drifted');
    const readyText = r.result.deleted ? 'Deleted' : (ready?.status ?? 'Unknown');
    return [
      r.key.kind,
      `${r.key.namespace}/${r.key.name}`,
      readyText === 'True' ? paint('green', readyText) : readyText === 'Deleted' ? readyText : paint('red', readyText),
      drifted?.status === 'True' ? paint('yellow', 'True') : (drifted?.status ?? ''),
      identityOf(r.result),
      ready?.message ?? '',
    ];
  });
  io.stdout.write(`${formatTable(['KIND', 'NAME', 'READY', 'DRIFTED', 'ID', 'MESSAGE'], rows)}\n`);
}

/** `apply -o json` and `destroy -o json`: every object's outcome, and why the run is incomplete when it is. */
function runJson(run: DirectoryRun) {
  return {
    objects: run.reports.map((r) => {
      const ready = r.result.status.conditions?.find((c) => c.type === 'Ready');
      return {
        kind: r.key.kind,
        namespace: r.key.namespace,
        name: r.key.name,
        ...(r.source ? { source: formatLocation(r.source) } : {}),
        phase: r.result.phase,
        ready: r.result.deleted ? 'Deleted' : (ready?.status ?? 'Unknown'),
        reason: ready?.reason,
        message: ready?.message,
        id: identityOf(r.result) || undefined,
        drift: r.result.drift.map((d) => ({ path: d.path, desired: d.desired, actual: d.actual })),
      };
    }),
    ...(run.notAsked ? { notAsked: { ...run.notAsked, objects: run.notAsked.objects.map(keyString) } } : {}),
    ...(run.timedOut ? { timedOut: { afterMs: run.timedOut.afterMs, waiting: run.timedOut.waiting.map((w) => keyString(w.report.key)) } } : {}),
  };
}

/** The identity column: an E.164 number, an id, or an ARN, whichever the kind has. */
function identityOf(result: ReconcileResult): string {
  const a = result.status.atProvider ?? {};
  return String(a.e164 ?? a.voiceConnectorId ?? a.voiceConnectorGroupId ?? a.sipMediaApplicationId ?? a.sipRuleId ?? a.voiceProfileDomainId ?? a.arn ?? a.cdrBucket ?? '');
}

function progressLine(report: ObjectReport, paint: ReturnType<typeof painter>): string {
  const r = report.result;
  const name = `${r.key.kind} ${r.key.namespace}/${r.key.name}`;
  const what = r.events.map((e) => e.message).join('; ');
  const condition = r.status.conditions?.find((c) => c.type === 'Ready');
  const mark =
    r.phase === 'Ready' || r.phase === 'Deleted'
      ? paint('green', '✓')
      : r.phase === 'Stalled' || r.phase === 'Error'
        ? paint('red', '✗')
        : paint('cyan', '…');
  return `${mark} ${name}: ${r.phase}${condition?.reason ? ` (${condition.reason})` : ''}${what ? ` — ${what}` : condition?.message && r.phase !== 'Ready' ? ` — ${condition.message}` : ''}`;
}

function statusYaml(run: DirectoryRun): string {
  return run.reports
    .map((r) => toYaml({ apiVersion: 'chimevoice.io/v1alpha1', kind: r.key.kind, metadata: { name: r.key.name, namespace: r.key.namespace }, status: r.result.status }))
    .join('---\n');
}
