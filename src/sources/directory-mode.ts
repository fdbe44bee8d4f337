/**
 * Directory mode: the desired state is a folder of manifests. `apply` reconciles every object in
 * dependency order until each is Ready or Stalled (waiting by requeueing through the controller's
 * work queue, never by blocking on one object); `plan` observes and plans without writing;
 * `destroy` deletes in reverse dependency order under each object's deletionPolicy. All three run
 * their objects side by side up to `concurrency`.
 */
import { applyDefaults } from '../api/validate.js';
import type { AwsContext } from '../aws/context.js';
import { buildConditions } from '../reconcile/conditions.js';
import { Engine } from '../reconcile/engine.js';
import { classify, NOT_ASKED_REASONS } from '../reconcile/errors.js';
import type { AnyKindHandler, ManagedObject, ObjectKey, ReconcileResult } from '../reconcile/types.js';
import { claimsOf } from '../reconcile/claims.js';
import { keyOf, keyString } from '../reconcile/types.js';
import { MemoryWorld } from '../reconcile/world.js';
import { WorkQueue, type WorkResult } from '../reconcile/workqueue.js';
import type { ManifestObject, Problem } from './directory.js';
import { creationOrder, deletionOrder, dependencyLevels, dependencyMap, dependentsOf } from './graph.js';
import type { StatusStore } from './status-store.js';
import { hasErrors, validateDirectory } from './validate.js';

export interface ObjectReport {
  key: ObjectKey;
  source?: { file: string; line: number };
  result: ReconcileResult;
}

export interface DirectoryRunOptions {
  dir: string;
  aws: AwsContext;
  handlers: ReadonlyMap<string, AnyKindHandler>;
  store: StatusStore;
  /** How long `apply` waits for objects still progressing (orders, references) before it returns. */
  timeoutMs?: number;
  /** Caps how long an object waiting for a reference waits before it is looked at again (tests run against an accelerated emulator clock). */
  maxWaitMs?: number;
  /**
   * `apply`: after applying, delete what an earlier apply created and the folder no longer holds.
   * `plan`: preview those deletions too.
   */
  prune?: boolean;
  onResult?: (report: ObjectReport) => void;
  /**
   * While `apply` waits for objects still progressing (an order, a consistency window), called
   * about every `progressEveryMs` with what is awaited, since when, and the deadline.
   */
  onWaiting?: (waiting: WaitingObject[], deadline: Date) => void;
  /** How often `onWaiting` is called during a wait (default 15 s). */
  progressEveryMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
  /** Objects whose AWS calls are in flight at once (EngineOptions.concurrency). */
  concurrency?: number;
  /** The account `aws` reaches (`--account`, "" for the default credentials): recorded in status, checked against spec.accountRef. */
  account?: string;
}

export interface WaitingObject {
  report: ObjectReport;
  /** When the object was first seen not settled in this run. */
  since: Date;
}

/** AWS could not be asked about some objects: unreachable, refused credentials, denied access. */
export interface AwsNotAsked {
  /** The endpoint (undefined: AWS's own for the region) and region asked. */
  endpoint?: string;
  region: string;
  /** The reason (a CONDITION_REASONS key) and the cause, in words, of the first failure. */
  reason: string;
  message: string;
  /** True when nothing could be reached at all (network, DNS, TLS, credentials): the pass stopped at the first failure. */
  wholePass: boolean;
  /** Objects that could not be planned or applied, in dependency order. */
  objects: ObjectKey[];
}

export interface DirectoryRun {
  problems: Problem[];
  reports: ObjectReport[];
  /** `plan --prune`: the deletions `apply --prune` would make (objects the folder no longer holds). */
  deletions?: ObjectReport[];
  /** True when validation failed and nothing was sent to AWS. */
  invalid: boolean;
  /** Set when AWS could not be asked about some objects: the run is incomplete. */
  notAsked?: AwsNotAsked;
  /** Set when `apply` stopped at its timeout with objects still progressing. */
  timedOut?: { afterMs: number; waiting: WaitingObject[] };
  /** Set when the run was interrupted (Ctrl-C): the objects not settled yet. */
  interrupted?: { pending: ObjectKey[] };
}

/** The objects of a run whose reason says AWS was never asked, plus those never reached; undefined when every object was asked. */
function notAskedOf(opts: DirectoryRunOptions, order: ObjectKey[], reports: Map<string, ObjectReport>): AwsNotAsked | undefined {
  const stop = opts.aws.failedWith;
  const reasonOf = (r: ObjectReport) => r.result.status.conditions?.find((c) => c.type === 'Ready')?.reason ?? '';
  const failed = order.filter((key) => {
    const r = reports.get(keyString(key));
    if (r && NOT_ASKED_REASONS.has(reasonOf(r))) return true;
    // With AWS out of reach, objects never reached, and those that failed or waited on them, were not asked either.
    return stop !== undefined && (!r || r.result.phase === 'Error' || r.result.phase === 'Waiting');
  });
  if (failed.length === 0) return undefined;
  const first = reports.get(keyString(failed[0]));
  const cause = stop !== undefined ? classify(stop) : undefined;
  const reason = cause?.reason ?? (first ? reasonOf(first) : 'AwsUnreachable');
  const message = cause?.message ?? first?.result.status.conditions?.find((c) => c.type === 'Ready')?.message ?? 'AWS could not be asked';
  return { endpoint: opts.aws.options.endpoint, region: opts.aws.failedIn ?? opts.aws.region, reason, message, wholePass: stop !== undefined, objects: failed };
}

interface Loaded {
  problems: Problem[];
  objects: Array<{ manifest: ManifestObject; obj: ManagedObject }>;
  secrets: Map<string, Record<string, string>>;
}

async function load(dir: string, account?: string): Promise<Loaded> {
  const validation = await validateDirectory(dir, { account: account ?? '' });
  const secrets = new Map<string, Record<string, string>>();
  for (const s of validation.secrets) secrets.set(`${s.namespace}/${s.name}`, s.data);
  const objects = validation.objects.map((manifest) => {
    const raw = applyDefaults(structuredClone(manifest.object)) as unknown as ManagedObject;
    raw.metadata = { ...raw.metadata, namespace: manifest.namespace };
    delete raw.status;
    return { manifest, obj: raw };
  });
  return { problems: validation.problems, objects, secrets };
}

function engineFor(opts: DirectoryRunOptions, secrets: Map<string, Record<string, string>>, dryRun: boolean): Engine {
  return new Engine({
    aws: opts.aws,
    handlers: opts.handlers,
    secrets: { get: (ns, name) => secrets.get(`${ns}/${name}`) },
    secretDigest: opts.store.secretDigest,
    now: opts.now,
    dryRun,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.account !== undefined ? { account: opts.account } : {}),
    // The create-pending record is in the status file (written and renamed into place) before a create call is sent.
    persistStatus: async (obj, status) => {
      opts.store.put(obj, keyOf(obj), status);
      opts.store.save();
    },
  });
}

/**
 * The one runner of a folder's plan, apply and destroy: the keys go into the work queue the
 * controller uses (src/reconcile/workqueue.ts); a worker takes every due key at once and hands
 * them to `process`, which runs them through the engine by dependency level; each key's result
 * says when the queue brings it back (its requeue delay, the queue's backoff after an error, or
 * never once settled). A run ends when the queue has nothing left, when `finish` is called, at the
 * deadline, or on Ctrl-C, after the batch in flight.
 *
 * One worker: it takes every due key of the folder in one batch, which is what lets a level's
 * writes merge, and the engine runs the batch's AWS calls side by side up to --aws-concurrency. A
 * second worker would only reconcile a later requeue beside that batch, before the statuses the
 * batch brings.
 */
class FolderRunner {
  readonly queue: WorkQueue;
  private finished = false;
  private onFinish: () => void = () => undefined;

  /** What a batch threw (the status file could not be written, say): the run stops and throws it, rather than retrying it until the timeout. */
  private failure: { error: unknown } | undefined;

  constructor(process: (ids: string[]) => Promise<WorkResult[]>) {
    const processBatch = async (ids: string[]): Promise<WorkResult[]> => {
      try {
        return await process(ids);
      } catch (error) {
        this.failure ??= { error };
        this.finish();
        return ids.map(() => ({}));
      }
    };
    this.queue = new WorkQueue({
      concurrency: 1,
      maxBatch: Number.POSITIVE_INFINITY,
      process: async (id) => (await processBatch([id]))[0],
      processBatch,
    });
  }

  /** Ends the run once the batch in flight is done, whatever is still queued or waiting. */
  finish(): void {
    this.finished = true;
    this.onFinish();
  }

  async run(ids: readonly string[], { signal, deadline }: { signal?: AbortSignal; deadline?: number } = {}): Promise<void> {
    if (signal?.aborted) return;
    const ended = new Promise<void>((resolve) => (this.onFinish = resolve));
    if (this.finished) return;
    const timer = deadline !== undefined ? setTimeout(() => this.finish(), Math.max(0, deadline - Date.now())) : undefined;
    const onAbort = () => this.finish();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.queue.start();
    for (const id of ids) this.queue.add(id);
    try {
      await Promise.race([this.queue.drained(), ended]);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      await this.queue.stop();
    }
    if (this.failure) throw this.failure.error;
  }
}

/** The folder's objects, with their identity claims indexed so that the engine's claim check is a lookup per object. */
function worldFor(opts: DirectoryRunOptions, objects: ManagedObject[] = []): MemoryWorld {
  return new MemoryWorld(objects, (obj) => {
    const handler = opts.handlers.get(obj.kind);
    return claimsOf(obj, handler?.claims?.bind(handler));
  });
}

/** How long a key waiting on a reference waits before it is looked at again, unless its reference's result wakes it sooner. */
const WAITING_RECHECK_MS = 5_000;

/** Reconciles every object of the folder until each settles (Ready or Stalled) or the timeout passes. */
export async function applyDirectory(opts: DirectoryRunOptions): Promise<DirectoryRun> {
  const loaded = await load(opts.dir, opts.account);
  if (hasErrors(loaded.problems)) return { problems: loaded.problems, reports: [], invalid: true };
  const engine = engineFor(opts, loaded.secrets, false);
  const world = worldFor(opts);
  const specChanged = new Map<string, boolean>();
  const sources = new Map<string, ManifestObject>();
  for (const { manifest, obj } of loaded.objects) {
    const key = keyOf(obj);
    const hydrated = opts.store.hydrate(obj, key);
    world.put(hydrated.obj);
    specChanged.set(keyString(key), hydrated.specChanged);
    sources.set(keyString(key), manifest);
  }
  const order = creationOrder(world.all()).map((o) => keyOf(o));
  const keys = new Map(order.map((key) => [keyString(key), key]));
  const dependents = dependentsIndex(world.all());
  const latest = new Map<string, ObjectReport>();
  const settled = new Set<string>();
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 600_000);
  const since = new Map<string, Date>();
  // A wait for a reference costs no AWS call to look at again; tests cap it to follow an accelerated emulator clock.
  const recheckWaitingMs = Math.min(WAITING_RECHECK_MS, opts.maxWaitMs ?? WAITING_RECHECK_MS);
  const stop = () => opts.signal?.aborted === true || opts.aws.failedWith !== undefined;
  opts.aws.resetFailure();
  const record = (id: string, result: ReconcileResult, batch: ReadonlySet<string>): WorkResult => {
    const key = keys.get(id)!;
    world.setStatus(key, result.status);
    opts.store.put(world.get(key)!, key, result.status);
    const previous = latest.get(id);
    if (result.phase !== 'Ready' && result.phase !== 'Stalled' && !since.has(id)) since.set(id, new Date());
    const report: ObjectReport = { key, source: sourceOf(sources.get(id)), result };
    latest.set(id, report);
    // Quiet for objects that stay Ready with nothing done: a resync of a large folder prints only what changed.
    const news = result.events.length > 0 || (previous ? previous.result.phase !== result.phase : result.phase !== 'Ready');
    if (news) opts.onResult?.(report);
    // Objects waiting for this one look again now, not at their next recheck (those of this batch already saw it).
    for (const d of dependents.get(id) ?? []) if (!batch.has(d) && latest.get(d)?.result.phase === 'Waiting') runner.queue.add(d);
    if (result.phase === 'Ready' || result.phase === 'Stalled') {
      settled.add(id);
      specChanged.set(id, false);
      return {};
    }
    if (result.phase === 'Error') return { error: true };
    if (result.phase === 'Waiting') return { requeueAfterMs: Math.min(result.requeueAfterMs ?? recheckWaitingMs, recheckWaitingMs) };
    return { requeueAfterMs: result.requeueAfterMs ?? 5_000 };
  };
  // The engine reconciles a batch by dependency level, each level one step, so that a level's writes
  // go out merged where AWS allows it (numbers of one association call, batch updates); a stop
  // (Ctrl-C, AWS out of reach) leaves the later levels for the summary.
  const runner = new FolderRunner(async (ids) => {
    const results: WorkResult[] = ids.map(() => ({}));
    if (!stop()) {
      opts.aws.inventory.invalidate();
      const batch = new Set(ids);
      await engine.reconcileLevels(
        ids.map((id) => ({ obj: world.get(keys.get(id)!)!, specChanged: specChanged.get(id) ?? true })),
        world,
        { stop, onLevel: (done) => done.forEach(({ index, result }) => (results[index] = record(ids[index], result, batch))) },
      );
      opts.store.save();
    }
    // AWS cannot be reached: after the SDK's own retries, the run fails with the cause (no ten-minute retry loop).
    if (stop() || settled.size >= order.length) runner.finish();
    return results;
  });
  // While objects are progressing (an order, a consistency window), say what is awaited, at the reporting cadence.
  const progress = opts.onWaiting
    ? setInterval(() => {
        const waiting = waitingObjects(order, settled, latest, since);
        if (waiting.length > 0) opts.onWaiting?.(waiting, new Date(deadline));
      }, opts.progressEveryMs ?? 15_000)
    : undefined;
  try {
    await runner.run([...keys.keys()], { signal: opts.signal, deadline });
  } finally {
    clearInterval(progress);
  }
  const notAsked = notAskedOf(opts, order, latest);
  const pending = order.filter((k) => !settled.has(keyString(k)));
  if (opts.signal?.aborted && pending.length > 0) {
    opts.store.save();
    return { problems: loaded.problems, reports: [...latest.values()], invalid: false, notAsked, interrupted: { pending } };
  }
  if (notAsked) {
    opts.store.save();
    return { problems: loaded.problems, reports: [...latest.values()], invalid: false, notAsked };
  }
  const timedOut = pending.length > 0 ? { afterMs: Date.now() - started, waiting: waitingObjects(order, settled, latest, since) } : undefined;
  if (opts.prune && !opts.signal?.aborted) {
    // The objects the folder still holds stay in the world: a pruned number assigned to a kept
    // connector is unassigned from it as destroy would, not mistaken for someone else's use.
    const reports = await destroyObjects(opts, pruneCandidates(opts.store, world), loaded.secrets, { keep: world.all(), dryRun: false });
    for (const r of reports) latest.set(`pruned:${keyString(r.key)}`, r);
  }
  opts.store.save();
  return { problems: loaded.problems, reports: [...latest.values()], invalid: false, ...(timedOut ? { timedOut } : {}) };
}

/** Each object's dependents in the folder (the objects that reference it), by key. */
function dependentsIndex(objects: ManagedObject[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const [obj, deps] of dependencyMap(objects)) {
    for (const target of deps) {
      const id = keyString(keyOf(target));
      const list = index.get(id);
      if (list) list.push(keyString(keyOf(obj)));
      else index.set(id, [keyString(keyOf(obj))]);
    }
  }
  return index;
}

function waitingObjects(order: ObjectKey[], settled: Set<string>, latest: Map<string, ObjectReport>, since: Map<string, Date>): WaitingObject[] {
  return order
    .map((k) => keyString(k))
    .filter((id) => !settled.has(id) && latest.has(id))
    .map((id) => ({ report: latest.get(id)!, since: since.get(id) ?? new Date() }));
}

/** Observes and plans every object without writing; dependents of objects not yet created see placeholders. */
export async function planDirectory(opts: DirectoryRunOptions): Promise<DirectoryRun> {
  const loaded = await load(opts.dir, opts.account);
  if (hasErrors(loaded.problems)) return { problems: loaded.problems, reports: [], invalid: true };
  const engine = engineFor(opts, loaded.secrets, true);
  const world = worldFor(opts);
  const sources = new Map<string, ManifestObject>();
  const changed = new Map<string, boolean>();
  for (const { manifest, obj } of loaded.objects) {
    const hydrated = opts.store.hydrate(obj, keyOf(obj));
    world.put(hydrated.obj);
    changed.set(keyString(keyOf(obj)), hydrated.specChanged);
    sources.set(keyString(keyOf(obj)), manifest);
  }
  const order = creationOrder(world.all()).map((o) => keyOf(o));
  const keys = new Map(order.map((key) => [keyString(key), key]));
  const results = new Map<string, ReconcileResult>();
  opts.aws.resetFailure();
  // One batch of every object, reconciled by dependency level with the engine's bounded
  // concurrency: observations answer in any order, the plan comes out in creation order.
  const runner = new FolderRunner(async (ids) => {
    await engine.reconcileLevels(
      ids.map((id) => ({ obj: world.get(keys.get(id)!)!, specChanged: changed.get(id) ?? true })),
      world,
      {
        stop: () => opts.signal?.aborted === true,
        onLevel: (done) =>
          done.forEach(({ index, result }) => {
            const id = ids[index];
            results.set(id, result);
            // Later levels see this one's identity when it exists already.
            if (result.status.atProvider) world.setStatus(keys.get(id)!, result.status);
            opts.onResult?.({ key: keys.get(id)!, source: sourceOf(sources.get(id)), result });
          }),
      },
    );
    // A plan looks once: nothing comes back.
    return ids.map(() => ({}));
  });
  await runner.run([...keys.keys()], { signal: opts.signal });
  const reports: ObjectReport[] = order.flatMap((key) => {
    const result = results.get(keyString(key));
    return result ? [{ key, source: sourceOf(sources.get(keyString(key))), result }] : [];
  });
  const notAsked = notAskedOf(opts, order, new Map(reports.map((r) => [keyString(r.key), r])));
  const pending = order.filter((key) => !results.has(keyString(key)));
  const deletions = opts.prune && !notAsked && pending.length === 0 ? await destroyObjects(opts, pruneCandidates(opts.store, world), loaded.secrets, { keep: world.all(), dryRun: true }) : [];
  return { problems: loaded.problems, reports, deletions, invalid: false, ...(notAsked ? { notAsked } : {}), ...(pending.length > 0 ? { interrupted: { pending } } : {}) };
}

/**
 * Deletes every object of the folder from AWS (under its deletionPolicy), dependents first; with
 * `dryRun`, only shows what it would delete (`result.phase` Planned, with the calls).
 */
export async function destroyDirectory(opts: DirectoryRunOptions & { dryRun?: boolean }): Promise<DirectoryRun> {
  const loaded = await load(opts.dir, opts.account);
  if (hasErrors(loaded.problems)) return { problems: loaded.problems, reports: [], invalid: true };
  const objects = loaded.objects.map(({ obj }) => opts.store.hydrate(obj, keyOf(obj)).obj);
  opts.aws.resetFailure();
  const reports = await destroyObjects(opts, objects, loaded.secrets, { keep: [], dryRun: opts.dryRun === true });
  const notAsked = notAskedOf(opts, deletionOrder(objects).map((o) => keyOf(o)), new Map(reports.map((r) => [keyString(r.key), r])));
  return { problems: loaded.problems, reports, invalid: false, ...(notAsked ? { notAsked } : {}) };
}

/** What `apply --prune` deletes: objects an earlier apply recorded in the status file that the folder no longer holds. */
function pruneCandidates(store: StatusStore, world: MemoryWorld): ManagedObject[] {
  return store
    .all()
    .map((s) => ({ ...(s.object as ManagedObject), status: s.status }))
    .filter((o) => !world.get(keyOf(o)));
}

/**
 * The one deletion path of `destroy` and `apply --prune` (and of their previews): `targets` are
 * deleted in reverse dependency order; `keep` are the objects that stay, in the world so that
 * references and blockers resolve to them as they do for destroy. A dry run makes no write, and
 * shows each deletion with what it waits for (the objects deleted before it).
 */
async function destroyObjects(
  opts: DirectoryRunOptions,
  targets: ManagedObject[],
  secrets: Map<string, Record<string, string>>,
  { keep, dryRun }: { keep: ManagedObject[]; dryRun: boolean },
): Promise<ObjectReport[]> {
  const engine = engineFor(opts, secrets, dryRun);
  const world = worldFor(opts, [...keep, ...targets]);
  const order = deletionOrder(targets).map((o) => keyOf(o));
  const keys = new Map(order.map((key) => [keyString(key), key]));
  const done = new Map<string, ObjectReport>();
  const record = (obj: ManagedObject, result: ReconcileResult): boolean => {
    const key = keyOf(obj);
    const id = keyString(key);
    const report = { key, result };
    opts.onResult?.(report);
    if (dryRun && !result.deleted) {
      // Nothing changes in a preview: the object stays in the world, so what waits for it shows as
      // waiting; and a deletion that waits for one that cannot happen cannot happen either. Its
      // dependents are of later levels, previewed before it.
      const stuck = result.phase === 'Planned' ? dependentsOf(obj, targets).filter((d) => isStuck(done.get(keyString(keyOf(d)))?.result)) : [];
      done.set(id, stuck.length > 0 ? { key, result: blockedPreview(result, stuck, opts.now?.() ?? new Date()) } : report);
    } else if (result.deleted) {
      world.remove(key);
      if (!dryRun) opts.store.remove(key);
      done.set(id, report);
      return true;
    } else if (result.phase === 'Stalled') {
      done.set(id, report);
      world.setStatus(key, result.status);
    } else {
      world.setStatus(key, result.status);
    }
    return false;
  };
  const runner = new FolderRunner(async (ids) => {
    opts.aws.inventory.invalidate();
    let deleted = false;
    const objects = ids.flatMap((id) => world.get(keys.get(id)!) ?? []);
    // Dependents first: the creation levels from the last, each level's deletions side by side
    // (the engine bounds them by --aws-concurrency), as no object of a level references another.
    for (const level of dependencyLevels(objects).reverse()) {
      if (opts.signal?.aborted) break;
      const results = await Promise.all(level.map((obj) => engine.delete(obj, world)));
      level.forEach((obj, k) => (deleted = record(obj, results[k]) || deleted));
    }
    if (!dryRun) opts.store.save();
    // Deletions wait only on each other: those still blocked are tried again after a batch that
    // deleted something, never after one that deleted nothing.
    if (deleted) for (const id of keys.keys()) if (!done.has(id) && world.get(keys.get(id)!)) runner.queue.add(id);
    return ids.map(() => ({}));
  });
  await runner.run([...keys.keys()], { signal: opts.signal, deadline: Date.now() + (opts.timeoutMs ?? 600_000) });
  const reports: ObjectReport[] = [];
  for (const key of order) {
    const id = keyString(key);
    const obj = world.get(key);
    const report = done.get(id) ?? (obj?.status ? { key, result: { key, phase: 'DeleteBlocked' as const, status: obj.status, actions: [], drift: [], events: [] } } : undefined);
    if (report) reports.push(report);
  }
  return reports;
}

const isStuck = (r: ReconcileResult | undefined) => r !== undefined && (r.phase === 'Stalled' || r.phase === 'DeleteBlocked');

/** A previewed deletion that waits for objects whose own deletion is blocked: it would wait too, and make no call. */
function blockedPreview(result: ReconcileResult, stuck: ManagedObject[], now: Date): ReconcileResult {
  const message = `waiting for ${stuck.map((o) => `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`).join(', ')}, whose deletion is blocked`;
  const conditions = buildConditions(result.status.conditions, { phase: 'DeleteBlocked', reason: 'DeletionWaiting', message, generation: undefined, drift: undefined, driftPolicy: 'Correct', now });
  return { ...result, phase: 'DeleteBlocked', actions: [], status: { ...result.status, conditions } };
}

function sourceOf(m: ManifestObject | undefined): { file: string; line: number } | undefined {
  return m ? { file: m.file, line: m.line } : undefined;
}
