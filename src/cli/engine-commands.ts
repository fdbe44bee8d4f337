// The engine's commands in directory mode: `apply`, `plan` and `destroy` reconcile a folder of
// manifests against AWS (the default credential chain), an endpoint, or an embedded emulator.
import { watch as watchFs } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { AwsContext } from '../aws/context.js';
import { handlers } from '../kinds/index.js';
import { printableInput } from '../reconcile/executor.js';
import type { PlannedAction, ReconcileResult } from '../reconcile/types.js';
import { applyDirectory, destroyDirectory, planDirectory, type DirectoryRun, type DirectoryRunOptions, type ObjectReport } from '../sources/directory-mode.js';
import { formatLocation, listManifestFiles } from '../sources/directory.js';
import { StatusStore } from '../sources/status-store.js';
import { formatProblem } from '../sources/validate.js';
import { deletionLines, deletionOutcome, deletionRows, deletionSummary } from './deletions.js';
import { formatTable, painter, plural, type OutputStream } from './output.js';

/** Exit code of `plan` when changes are pending (0: none; 1: failure; 2: usage). */
export const EXIT_CHANGES_PENDING = 3;

interface TargetOptions {
  filename: string;
  region: string;
  endpoint?: string;
  emulator?: boolean;
  emulatorState?: string;
  statusFile: string;
  timeout: number;
}

interface IO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where destroy reads its confirmation; process.stdin unless a test gives another. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

interface DestroyOptions extends TargetOptions {
  dryRun?: boolean;
  autoApprove?: boolean;
}

export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`not a duration: ${value} (use e.g. 30s, 5m, 1h)`);
  const n = Number(m[1]);
  return Math.round(n * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']);
}

function targetOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-f, --filename <dir>', 'folder of manifests (searched recursively), or one file')
    .option('--region <region>', 'AWS Region of the Chime SDK Voice API', process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1')
    .option('--endpoint <url>', 'Chime SDK Voice endpoint, e.g. an emulator started with `chime-voice-operator emulator`')
    .option('--emulator', 'run against an embedded emulator (no AWS account needed)')
    .option('--emulator-state <file>', 'with --emulator: keep the emulator state in this file across runs')
    .option('--status-file <file>', 'where directory mode keeps status between runs', '.chime-voice-operator/status.json')
    .option('--timeout <duration>', 'how long to wait for objects still progressing (orders, references)', parseDuration, 600_000);
}

/** An endpoint without AWS credentials in the environment is an emulator, which accepts any. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'emulator', secretAccessKey: 'emulator' };

async function openTarget(opts: TargetOptions, io: IO) {
  let emulator: { url: string; stop(): Promise<void> } | undefined;
  let endpoint = opts.endpoint;
  if (opts.emulator) {
    const { startEmulator } = await import('../emulator/index.js');
    emulator = await startEmulator({ stateFile: opts.emulatorState, defaultRegion: opts.region });
    endpoint = emulator.url;
    io.stderr.write(`embedded Chime SDK Voice emulator at ${emulator.url}${opts.emulatorState ? ` (state ${opts.emulatorState})` : ''}\n`);
  }
  const aws = new AwsContext({
    region: opts.region,
    endpoint,
    credentials: emulator || (endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) ? EMULATOR_CREDENTIALS : undefined,
  });
  // An embedded emulator without a state file starts empty: a status cached from an earlier run would lie.
  const persistent = !emulator || opts.emulatorState !== undefined;
  const target = emulator ? `emulator:${opts.emulatorState ? resolvePath(opts.emulatorState) : 'memory'}` : `${endpoint ?? 'aws'}:${opts.region}`;
  const store = new StatusStore(persistent ? opts.statusFile : undefined, target);
  return {
    aws,
    store,
    async close() {
      aws.destroy();
      await emulator?.stop();
    },
  };
}

export function registerEngineCommands(program: Command, io: IO = { stdout: process.stdout, stderr: process.stderr }): void {
  targetOptions(
    program
      .command('apply')
      .description('Reconcile AWS to every manifest under a folder, in dependency order; print the resulting status.')
      .option('--watch', 'keep going: re-apply when the folder changes, and resync on an interval to catch drift')
      .option('--resync <duration>', 'with --watch: how often to look for drift in AWS', parseDuration, 300_000)
      .option('--prune', 'delete what an earlier apply created and the folder no longer holds (under its deletionPolicy)')
      .option('--status-out <file>', 'also write every object with its status as YAML'),
  ).action(async (opts: TargetOptions & { watch?: boolean; resync: number; prune?: boolean; statusOut?: string }) => {
    process.exitCode = await runApply(opts, io);
  });

  targetOptions(
    program
      .command('plan')
      .description(`Show, per object, the drift and the AWS calls apply would make, without writing. Exit code ${EXIT_CHANGES_PENDING} when changes are pending.`)
      .option('--format <format>', 'text, or markdown for a pull request comment', 'text')
      .option('--prune', 'also show what apply --prune would delete: objects an earlier apply created that the folder no longer holds'),
  ).action(async (opts: TargetOptions & { format: string; prune?: boolean }) => {
    process.exitCode = await runPlan(opts, io);
  });

  program
    .command('run')
    .description('Run the controller against the Kubernetes API (in-cluster config or KUBECONFIG): reconcile every chimevoice.io object, report status, resync for drift.')
    .option('--kubeconfig <file>', 'kubeconfig file (default: in-cluster config, then KUBECONFIG, then ~/.kube/config)')
    .option('-n, --namespace <ns...>', 'namespaces to watch (default: all)')
    .option('--region <region>', 'AWS Region of the Chime SDK Voice API', process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1')
    .option('--endpoint <url>', 'Chime SDK Voice endpoint, e.g. an emulator')
    .option('--concurrency <n>', 'objects reconciled at once', (v) => Number.parseInt(v, 10), 4)
    .option('--resync <duration>', 'how often each object is compared with AWS to find drift', parseDuration, 300_000)
    .option('--metrics-bind-address <address>', 'address of /metrics, /healthz and /readyz', ':8080')
    .option('--leader-elect', 'campaign for a Lease so that one replica reconciles at a time')
    .option('--leader-election-namespace <ns>', 'namespace of the Lease', process.env.POD_NAMESPACE ?? 'default')
    .option('--leader-election-id <name>', 'name of the Lease', 'chime-voice-operator')
    .option('--leader-election-lease-duration <duration>', 'how long a standby waits after the last renewal before taking the Lease', parseDuration, 15_000)
    .option('--leader-election-renew-deadline <duration>', 'how long the leader keeps trying to renew before it steps down', parseDuration, 10_000)
    .option('--leader-election-retry-period <duration>', 'how often candidates try to acquire or renew the Lease', parseDuration, 2_000)
    .option('--log-level <level>', 'trace, debug, info, warn or error', process.env.LOG_LEVEL ?? 'info')
    .action(async (opts: RunOptions) => {
      process.exitCode = await runController(opts);
    });

  targetOptions(
    program
      .command('destroy')
      .description(
        `Delete every object of the folder from AWS, dependents first; deletionPolicy Retain leaves the AWS resource. Shows the deletions and asks for confirmation; without a terminal, pass --auto-approve. --dry-run exit codes as plan's (${EXIT_CHANGES_PENDING}: deletions pending).`,
      )
      .option('--dry-run', 'only show what would be deleted, left in AWS (deletionPolicy Retain) or blocked; change nothing')
      .option('--auto-approve', 'do not ask for confirmation (also spelled -auto-approve, as in Terraform)'),
  ).action(async (opts: DestroyOptions) => {
    process.exitCode = await runDestroy(opts, io);
  });
}

interface RunOptions {
  kubeconfig?: string;
  namespace?: string[];
  region: string;
  endpoint?: string;
  concurrency: number;
  resync: number;
  metricsBindAddress: string;
  leaderElect?: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  leaderElectionLeaseDuration: number;
  leaderElectionRenewDeadline: number;
  leaderElectionRetryPeriod: number;
  logLevel: string;
}

async function runController(opts: RunOptions): Promise<number> {
  const { Controller } = await import('../runtime/controller.js');
  const { loadKubeConfig } = await import('../runtime/kube.js');
  const { createLogger } = await import('../telemetry/logger.js');
  const log = createLogger(opts.logLevel);
  const controller = new Controller({
    kubeConfig: loadKubeConfig(opts.kubeconfig),
    aws: {
      region: opts.region,
      endpoint: opts.endpoint,
      credentials: opts.endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE ? EMULATOR_CREDENTIALS : undefined,
    },
    handlers,
    log,
    namespaces: opts.namespace,
    concurrency: opts.concurrency,
    resyncMs: opts.resync,
    probeAddress: opts.metricsBindAddress,
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

function runOptions(opts: TargetOptions, target: Awaited<ReturnType<typeof openTarget>>, io: IO, signal?: AbortSignal): DirectoryRunOptions {
  const paint = painter(io.stderr);
  return {
    dir: opts.filename,
    aws: target.aws,
    handlers,
    store: target.store,
    timeoutMs: opts.timeout,
    signal,
    onResult: (report) => io.stderr.write(`${progressLine(report, paint)}\n`),
  };
}

async function runApply(opts: TargetOptions & { watch?: boolean; resync: number; prune?: boolean; statusOut?: string }, io: IO): Promise<number> {
  const target = await openTarget(opts, io);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    // The fingerprint of the manifests as each apply read them: an edit made during an apply is a change too.
    let fingerprint = '';
    const once = async () => {
      fingerprint = await manifestFingerprint(opts.filename);
      const run = await applyDirectory({ ...runOptions(opts, target, io, controller.signal), prune: opts.prune });
      printRun(run, io);
      if (opts.statusOut) await writeFile(opts.statusOut, statusYaml(run));
      return run;
    };
    let run = await once();
    if (!opts.watch) return exitCodeOf(run);
    io.stderr.write(`watching ${opts.filename} for changes; resync every ${Math.round(opts.resync / 1000)}s; Ctrl-C to stop\n`);
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<unknown> = Promise.resolve();
    const schedule = (delay: number) => {
      clearTimeout(timer);
      if (controller.signal.aborted) return;
      timer = setTimeout(() => {
        running = running.then(async () => {
          if (controller.signal.aborted) return;
          run = await once();
          schedule(jittered(opts.resync));
        });
      }, delay);
    };
    // Node 20 sets up recursive watches on Linux asynchronously, so an edit right after start can
    // slip past fs.watch; a fingerprint of the manifests, polled each second, catches every change.
    const poll = setInterval(() => {
      void manifestFingerprint(opts.filename).then((next) => {
        if (next === fingerprint || controller.signal.aborted) return;
        fingerprint = next;
        io.stderr.write(`change in ${opts.filename}: applying\n`);
        schedule(300);
      });
    }, 1_000);
    const watcher = watchFs(opts.filename, { recursive: true }, () => {
      void manifestFingerprint(opts.filename).then((next) => {
        if (next === fingerprint || controller.signal.aborted) return;
        fingerprint = next;
        io.stderr.write(`change in ${opts.filename}: applying\n`);
        schedule(300);
      });
    });
    schedule(jittered(opts.resync));
    await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    clearTimeout(timer);
    clearInterval(poll);
    watcher.close();
    await running;
    io.stderr.write('stopped\n');
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await target.close();
  }
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

async function runPlan(opts: TargetOptions & { format: string; prune?: boolean }, io: IO): Promise<number> {
  if (opts.format !== 'text' && opts.format !== 'markdown') {
    io.stderr.write(`--format must be text or markdown\n`);
    return 2;
  }
  const target = await openTarget(opts, io);
  try {
    const run = await planDirectory({ ...runOptions(opts, target, io), onResult: undefined, prune: opts.prune });
    if (run.invalid) {
      printProblems(run, io);
      return 1;
    }
    io.stdout.write(opts.format === 'markdown' ? planMarkdown(run) : planText(run, painter(io.stdout)));
    const deletions = run.deletions ?? [];
    const pending = run.reports.some((r) => r.result.actions.length > 0 || r.result.drift.length > 0) || deletions.some((r) => deletionOutcome(r.result) === 'delete');
    const failed = run.reports.some((r) => r.result.phase === 'Stalled' || r.result.phase === 'Error') || deletions.some((r) => deletionOutcome(r.result) === 'blocked');
    return failed ? 1 : pending ? EXIT_CHANGES_PENDING : 0;
  } finally {
    await target.close();
  }
}

async function runDestroy(opts: DestroyOptions, io: IO): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  // As terraform destroy: no one can answer the question, so nothing is deleted without the flag.
  if (!opts.dryRun && !opts.autoApprove && stdin.isTTY !== true) {
    io.stderr.write('destroy: stdin is not a terminal, so the deletions cannot be confirmed; pass --auto-approve to destroy without asking (or --dry-run to see them)\n');
    return 2;
  }
  const target = await openTarget(opts, io);
  try {
    const preview = await destroyDirectory({ ...runOptions(opts, target, io), onResult: undefined, dryRun: true });
    if (preview.invalid) {
      printProblems(preview, io);
      return 1;
    }
    const paint = painter(io.stdout);
    const pending = preview.reports.some((r) => deletionOutcome(r.result) === 'delete');
    const blocked = preview.reports.some((r) => deletionOutcome(r.result) === 'blocked');
    io.stdout.write(`${[...deletionLines(preview.reports, paint), `Destroy: ${deletionSummary(preview.reports)}.`].join('\n')}\n`);
    if (opts.dryRun) return blocked ? 1 : pending ? EXIT_CHANGES_PENDING : 0;
    // Nothing to send to AWS (all gone or retained): only the status file changes, nothing to confirm.
    if (!opts.autoApprove && pending) {
      io.stdout.write(`\n${paint('bold', "Do you really want to destroy? Only 'yes' will be accepted:")} `);
      const answer = await readLine(stdin);
      if (answer?.trim() !== 'yes') {
        io.stderr.write('destroy cancelled: nothing was deleted\n');
        return 1;
      }
    }
    const run = await destroyDirectory(runOptions(opts, target, io));
    printRun(run, io);
    return run.invalid || run.reports.some((r) => !r.result.deleted) ? 1 : 0;
  } finally {
    await target.close();
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
  if (run.invalid) return 1;
  return run.reports.every((r) => r.result.phase === 'Ready' || r.result.phase === 'Deleted') ? 0 : 1;
}

function printProblems(run: DirectoryRun, io: IO) {
  for (const p of run.problems) io.stderr.write(`${formatProblem(p)}\n`);
  if (run.invalid) io.stderr.write('nothing was changed in AWS: fix the errors above first\n');
}

function printRun(run: DirectoryRun, io: IO) {
  printProblems(run, io);
  if (run.invalid) return;
  const paint = painter(io.stdout);
  const rows = run.reports.map((r) => {
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

function planText(run: DirectoryRun, paint: ReturnType<typeof painter>): string {
  const lines: string[] = [];
  const deferred: PlannedAction[] = [];
  let calls = 0;
  let changing = 0;
  for (const r of run.reports) {
    const res = r.result;
    if (res.actions.length === 0 && res.drift.length === 0 && res.phase !== 'Stalled') continue;
    changing++;
    const where = r.source ? paint('dim', ` (${formatLocation(r.source)})`) : '';
    lines.push(paint('bold', `${r.key.kind} ${r.key.namespace}/${r.key.name}`) + where);
    if (res.phase === 'Stalled') lines.push(`  ${paint('red', '! ' + (res.status.conditions?.find((c) => c.type === 'Stalled')?.message ?? 'stalled'))}`);
    for (const d of res.drift) {
      lines.push(`  ${paint('yellow', '~')} ${d.path}: AWS has ${show(d.actual)}, the spec wants ${show(d.desired)}${d.requiresReplacement ? paint('red', ' (needs replacement)') : ''}`);
    }
    for (const a of res.actions) {
      if (a.action.after) deferred.push(a.action);
      else calls++;
      lines.push(`  ${paint('green', '+')} ${a.action.after ? paint('cyan', `(after ${a.action.after.awaits})`) + ' ' + a.action.description : a.action.description}`);
      lines.push(paint('dim', `      ${a.action.operation} ${JSON.stringify(printableInput(a.action))}`));
    }
  }
  const deletions = run.deletions ?? [];
  const deleting = deletions.filter((r) => deletionOutcome(r.result) !== 'gone');
  if (deleting.length > 0) lines.push(paint('bold', 'To prune (objects an earlier apply created that the folder no longer holds):'), ...deletionLines(deleting, paint).map((l) => `  ${l}`));
  if (changing === 0 && deleting.length === 0) lines.push('No changes: AWS matches every manifest.');
  else {
    const parts = [`${plural(changing, 'object')} to change, ${callCount(calls, deferred)}`];
    if (deleting.length > 0) parts.push(`prune: ${deletionSummary(deleting)}`);
    lines.push(`Plan: ${parts.join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** `3 AWS calls now, 2 after AWS finishes the order`: the writes that wait for AWS counted apart. */
function callCount(now: number, deferred: PlannedAction[]): string {
  if (deferred.length === 0) return plural(now, 'AWS call');
  const orders = deferred.every((a) => /\border\b/.test(a.after!.awaits));
  const distinct = new Set(deferred.map((a) => a.after!.awaits)).size;
  const what = orders ? `after AWS finishes ${distinct === 1 ? 'the order' : 'the orders'}` : 'after what they wait for';
  return `${plural(now, 'AWS call')} now, ${deferred.length} ${what}`;
}

function planMarkdown(run: DirectoryRun): string {
  const out: string[] = ['### chime-voice-operator plan', ''];
  const changing = run.reports.filter((r) => r.result.actions.length > 0 || r.result.drift.length > 0 || r.result.phase === 'Stalled');
  const deleting = (run.deletions ?? []).filter((r) => deletionOutcome(r.result) !== 'gone');
  if (changing.length === 0 && deleting.length === 0) return `${out.join('\n')}No changes: AWS matches every manifest.\n`;
  if (changing.length > 0) {
    out.push('| Object | Changes |', '| --- | --- |');
    for (const r of changing) {
      const items = [
        ...r.result.drift.map((d) => `drift \`${d.path}\`: ${escapeMd(show(d.actual))} → ${escapeMd(show(d.desired))}${d.requiresReplacement ? ' **(needs replacement)**' : ''}`),
        ...r.result.actions.map((a) => (a.action.after ? `_(after ${escapeMd(a.action.after.awaits)})_ ${escapeMd(a.action.description)}` : escapeMd(a.action.description))),
      ];
      out.push(`| \`${r.key.kind} ${r.key.namespace}/${r.key.name}\` | ${items.join('<br>')} |`);
    }
  }
  if (deleting.length > 0) {
    if (changing.length > 0) out.push('');
    out.push('| Object to prune | Deletion |', '| --- | --- |', ...deletionRows(deleting, escapeMd));
  }
  const actions = changing.flatMap((r) => r.result.actions.map((a) => a.action));
  const parts = [`${plural(changing.length, 'object')} to change, ${callCount(actions.filter((a) => !a.after).length, actions.filter((a) => a.after))}`];
  if (deleting.length > 0) parts.push(`prune: ${deletionSummary(deleting)}`);
  out.push('', `${parts.join('; ')}.`, '');
  return out.join('\n');
}

function show(v: unknown): string {
  return v === undefined ? '(nothing)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}
