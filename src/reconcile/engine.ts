/**
 * The generic reconcile flow, level-based and per object: resolve references, observe, diff, plan,
 * act (skipped under driftPolicy Report, and in plan mode), then compute status. Sources (a folder,
 * or the Kubernetes API) call it; they own persistence of status, Events and requeueing.
 */
import type { AwsContext } from '../aws/context.js';
import { buildConditions, conditionOf, driftEntries, driftLabel, isReady } from './conditions.js';
import { certainlyNotMade, createIntent, CREATE_GRACE_MS, describePending, isCreate, pendingOf, type CreatePending } from './create-pending.js';
import { BlockedError, InvalidSpecError, OwnershipConflictError, ReferenceNotReadyError, classify, failureEventMessage } from './errors.js';
import { describeAction, executePlan, executePlans, runnableNow, type PlanRun } from './executor.js';
import { withNextStep, type ConditionReason } from './reasons.js';
import type { SecretDigest } from './secret-digest.js';
import { claimConflictMessage, findClaimConflict } from './claims.js';
import { accountMoveMessage, DEFAULT_ACCOUNT, heldIn } from './accounts.js';
import { Limiter } from './pool.js';
import type { Write } from '../aws/context.js';
import { dependencyLevels } from '../api/references.js';
import type {
  Answered,
  AtProvider,
  DesiredContext,
  Difference,
  EventRecord,
  ExecutedAction,
  AnyKindHandler,
  ManagedObject,
  ObjectKey,
  ObjectStatus,
  Phase,
  PlannedAction,
  ReconcileResult,
  World,
} from './types.js';
import { keyOf, keyString } from './types.js';

export interface SecretSource {
  /** Secret data of `namespace/name`, or undefined when there is no such Secret. */
  get(namespace: string, name: string): Record<string, string> | undefined;
  /**
   * A missing Secret may still be created (a cluster, where `kubectl apply` of a folder can create
   * an object just before the Secret it names): the object waits for it, as for any reference.
   * Without it (a folder, whose Secrets are all there is) a missing Secret is an invalid spec.
   */
  readonly mayArriveLater?: boolean;
}

export interface EngineOptions {
  aws: AwsContext;
  handlers: ReadonlyMap<string, AnyKindHandler>;
  secrets: SecretSource;
  /** Keys the digests of secret values kept in status (a key file beside the status file, a Secret in a cluster). */
  secretDigest: SecretDigest;
  now?: () => Date;
  /** Plan mode: observe and plan, never write. */
  dryRun?: boolean;
  /**
   * Most objects whose AWS calls are in flight at once, across every step running: their
   * observations, their writes, and the observations after the writes (default
   * DEFAULT_AWS_CONCURRENCY). A merged call carries many objects and takes one place.
   */
  concurrency?: number;
  /**
   * Makes an object's status durable now (the status file, or the API server), with the
   * create-pending record: before a create call is sent and right after it answered. A throw means
   * it could not: the create is then not sent. Unset, the record only reaches the pass's result.
   */
  persistStatus?: (obj: ManagedObject, status: ObjectStatus) => Promise<void>;
  /** How long a recorded create may stay invisible before it is made again (CREATE_GRACE_MS). */
  createGraceMs?: number;
  /**
   * The account `aws` reaches (an AwsAccount name, "" for the controller's own credentials),
   * recorded in status.account; an object whose resource is held in another account is refused
   * (AccountChanged), never moved silently. Unset: accounts are not tracked (as before they existed).
   */
  account?: string;
}

/**
 * Objects whose AWS calls are in flight at once by default. AWS throttles Chime SDK Voice per
 * account at a few requests per second for most actions, with bursts above; ten calls in flight
 * keep a fleet's convergence bounded by latency rather than by waiting in line, without sending
 * the bursts of hundreds that would mostly come back throttled (the SDK retries those with
 * backoff, so a larger value buys throttling, not speed).
 */
export const DEFAULT_AWS_CONCURRENCY = 10;
/** How long to wait before looking again at something progressing on AWS's side or blocked by an object of ours. */
const PROGRESS_REQUEUE_MS = 5_000;
/** How long before retrying a delete blocked by something this project does not manage. */
const BLOCKED_REQUEUE_MS = 60_000;

export class Engine {
  private readonly now: () => Date;
  /** Bounds the objects whose AWS calls are in flight, across every step running at once. */
  private readonly limiter: Limiter;
  /** Creates one at a time (see executePlans): a process killed mid-pass strands at most one recorded create. */
  private readonly createLimiter = new Limiter(1);

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.limiter = new Limiter(Math.max(1, options.concurrency ?? DEFAULT_AWS_CONCURRENCY));
  }


  handlerFor(kind: string): AnyKindHandler {
    const handler = this.options.handlers.get(kind);
    if (!handler) throw new Error(`no handler for kind ${kind}`);
    return handler;
  }

  /**
   * Brings AWS in line with `obj`. `specChanged` tells drift (AWS moved while the spec stood still)
   * from a spec change, for Events; Kubernetes sources derive it from generation/observedGeneration.
   */
  async reconcile(obj: ManagedObject, world: World, specChanged: boolean): Promise<ReconcileResult> {
    return (await this.reconcileMany([{ obj, specChanged }], world))[0];
  }

  /**
   * Reconciles objects that may depend on each other (the due keys of a worker, or of a directory
   * pass): by dependency level, each level one `reconcileMany` step (a level never references
   * itself), so that the writes of a level merge. Later levels see the statuses earlier levels got
   * (a connector Ready before its numbers), as one at a time would. Results come back in the order
   * given; `stop`, asked before each level, leaves the rest without a result (undefined);
   * `onResult` gets each object's result as soon as it has one (its own plan done and observed),
   * while the rest of its level still runs; `onLevel` gets each level's results as it finishes, in
   * creation order.
   */
  async reconcileLevels(
    items: Array<{ obj: ManagedObject; specChanged: boolean }>,
    world: World,
    hooks: {
      stop?: () => boolean;
      onResult?: (index: number, result: ReconcileResult) => void;
      onLevel?: (done: Array<{ index: number; result: ReconcileResult }>) => void;
    } = {},
  ): Promise<Array<ReconcileResult | undefined>> {
    const index = new Map(items.map((item, k) => [item.obj, k]));
    const results: Array<ReconcileResult | undefined> = new Array(items.length).fill(undefined);
    const seen = new OverlayWorld(world);
    for (const level of dependencyLevels(items.map((i) => i.obj))) {
      if (hooks.stop?.()) break;
      const at = level.map((o) => index.get(o)!);
      const levelItems = at.map((k) => items[k]);
      const onResult = hooks.onResult;
      const levelResults = await this.reconcileMany(levelItems, seen, onResult ? { onResult: (k, result) => onResult(at[k], result) } : {});
      const done = levelItems.map((item, k) => {
        seen.setStatus(item.obj, levelResults[k].status);
        results[at[k]] = levelResults[k];
        return { index: at[k], result: levelResults[k] };
      });
      hooks.onLevel?.(done);
    }
    return results;
  }

  /**
   * Reconciles several objects as one step: every object is observed and planned, then all plans
   * run together, so actions AWS can carry many of (numbers of an association, batch updates) go
   * out merged; then each object is observed again and gets its own status. The objects must not
   * depend on each other (one dependency level); results come back in the order given. Objects
   * planned later see the statuses of those that finished without actions earlier (a number chosen
   * by one is not chosen by the next), as they would one at a time.
   *
   * Each object goes on to its completing observation as soon as its own plan ended (a merged call
   * it is in answered), not when every plan did; `onResult` (which must not throw) gets its result
   * then, so that a source can write its status while the others still run.
   */
  async reconcileMany(
    items: Array<{ obj: ManagedObject; specChanged: boolean }>,
    world: World,
    hooks: { onResult?: (index: number, result: ReconcileResult) => void } = {},
  ): Promise<ReconcileResult[]> {
    const results: ReconcileResult[] = new Array(items.length);
    const seen = new OverlayWorld(world);
    const pending: Array<{ index: number; attempt: Attempt }> = [];
    const resolve = (index: number, result: ReconcileResult) => {
      results[index] = result;
      seen.setStatus(items[index].obj, result.status);
      hooks.onResult?.(index, result);
    };
    // Kinds whose observation reads its siblings' status (a number chosen from a search is not
    // chosen by the next) are prepared one at a time, in the order given; others concurrently.
    let inTurn: Promise<unknown> = Promise.resolve();
    await Promise.all(
      items.map(async ({ obj, specChanged }, index) => {
        const handler = this.handlerFor(obj.kind);
        const attempt = new Attempt(this.options, handler, obj, specChanged, this.now);
        const prepare = () => this.limiter.run(() => attempt.prepare(this.desiredContext(obj, seen, this.options.dryRun === true), seen));
        let done: ReconcileResult | undefined;
        if (handler.observesSiblings?.(obj)) {
          const turn = inTurn.then(prepare);
          inTurn = turn.catch(() => undefined);
          done = await turn;
        } else done = await prepare();
        if (done) resolve(index, done);
        else pending.push({ index, attempt });
      }),
    );
    // The plans run in the order given, whatever order the observations answered in.
    pending.sort((a, b) => a.index - b.index);
    if (pending.length === 0) return results;
    const completions: Array<Promise<void>> = [];
    await executePlans(
      this.options.aws,
      pending.map((p) => p.attempt.actions),
      {
        before: async (i, action) => {
          if (isCreate(action)) await pending[i].attempt.recordIntent(action);
        },
        after: async (i, done, captures) => {
          if (isCreate(done.action)) await pending[i].attempt.recordAnswer(captures);
        },
        finished: (i, run) => {
          // Only the listings these writes change are listed again, and only those: creates add
          // their resource to the cached listing, and settings read by id keep it.
          this.options.aws.inventory.invalidateAfter(run.executed.map(writeOf));
          const { index, attempt } = pending[i];
          // complete() turns every failure into a result: this promise does not reject.
          completions.push(this.limiter.run(async () => resolve(index, await attempt.complete(run, seen))));
        },
      },
      this.limiter,
      this.createLimiter,
    );
    await Promise.all(completions);
    return results;
  }

  /** Removes the AWS resource under deletionPolicy Delete, in the order the kind plans; Retain leaves it. */
  delete(obj: ManagedObject, world: World): Promise<ReconcileResult> {
    return this.limiter.run(() => this.deleteNow(obj, world));
  }

  private async deleteNow(obj: ManagedObject, world: World): Promise<ReconcileResult> {
    const handler = this.handlerFor(obj.kind);
    const key = keyOf(obj);
    const policy: 'Delete' | 'Retain' = obj.spec?.deletionPolicy ?? 'Delete';
    const result = (phase: Phase, reason: ConditionReason, message: string, extra: Partial<ReconcileResult> = {}): ReconcileResult => ({
      key,
      phase,
      status: {
        ...obj.status,
        conditions: buildConditions(obj.status?.conditions, {
          phase,
          reason,
          message,
          generation: obj.metadata.generation,
          drift: undefined,
          driftPolicy: 'Correct',
          now: this.now(),
        }),
        lastSyncedTime: this.now().toISOString(),
      },
      actions: [],
      drift: [],
      events: [],
      ...extra,
    });
    // An object refused for claiming another's resource never managed it: deleting it leaves AWS alone.
    const conflict = findClaimConflict(obj, world, handler.claims?.bind(handler));
    if (conflict) {
      return result('Deleted', 'ClaimConflict', `${claimConflictMessage(obj, conflict)}; the AWS resource stays with the other object`, { deleted: true });
    }
    const movedFrom = this.heldElsewhere(obj);
    if (movedFrom !== undefined) return result('Stalled', 'AccountChanged', accountMoveMessage(obj, movedFrom, this.options.account!));
    if (policy === 'Retain') {
      return result('Deleted', 'Retained', `deletionPolicy Retain: the AWS resource of ${obj.kind} ${obj.metadata.name} is left in place`, {
        deleted: true,
        events: [{ type: 'Normal', reason: 'Retained', message: `deletionPolicy Retain: left the AWS resource in place` }],
      });
    }
    try {
      const desired = handler.desired(obj, this.desiredContext(obj, world, true, true));
      const observed = await handler.observe({ obj, desired, aws: this.options.aws, world, now: this.now(), mode: this.options.dryRun ? 'plan' : 'delete' });
      const pendingCreate = pendingOf(obj.status);
      if (observed === undefined && pendingCreate && this.now().getTime() < Date.parse(pendingCreate.graceEndsAt)) {
        // Gone from AWS, or created and not visible yet: deleting now could leave the new resource behind.
        const message = `${describePending(pendingCreate)} is not visible in AWS yet; the deletion waits for it until ${pendingCreate.graceEndsAt}`;
        return result('DeleteBlocked', 'AwaitingConsistency', message, { requeueAfterMs: Math.min(PROGRESS_REQUEUE_MS, Date.parse(pendingCreate.graceEndsAt) - this.now().getTime()) });
      }
      if (observed === undefined) {
        return result('Deleted', 'Deleted', `${obj.kind} ${obj.metadata.name} no longer exists in AWS`, { deleted: true });
      }
      const plan = handler.planDelete(desired, observed, world, obj);
      const unmanaged = plan.blockers.filter((b) => !b.managed);
      if (unmanaged.length > 0) {
        const message = `deletion is blocked by resources this project does not manage: ${unmanaged.map((b) => b.message).join('; ')}`;
        return result('Stalled', 'DeletionBlocked', message, { requeueAfterMs: BLOCKED_REQUEUE_MS, events: [{ type: 'Warning', reason: 'Blocked', message: withNextStep(message, 'DeletionBlocked') }] });
      }
      if (plan.blockers.length > 0 && this.options.dryRun && plan.actions.length > 0) {
        // A preview of a destroy or prune: the objects of this project it waits for go first, then these calls.
        const after = { awaits: plan.blockers.map((b) => b.message).join('; ') };
        const actions = plan.actions.map((action) => ({ ...action, after }));
        return result('Planned', 'DeletionPending', planMessage(actions), { actions: actions.map((action) => ({ action, ok: true })) });
      }
      if (plan.blockers.length > 0) {
        const message = `waiting for ${plan.blockers.map((b) => b.message).join('; ')}`;
        return result('DeleteBlocked', 'DeletionWaiting', message, { requeueAfterMs: PROGRESS_REQUEUE_MS, events: [{ type: 'Normal', reason: 'Waiting', message }] });
      }
      if (this.options.dryRun) {
        // Nothing to send (a number never ordered): the deletion would finish without a call.
        if (plan.actions.length === 0) return result('Deleted', 'Deleted', `${obj.kind} ${obj.metadata.name} has nothing in AWS to delete`, { deleted: true });
        return result('Planned', 'DeletionPending', planMessage(plan.actions), { actions: plan.actions.map((action) => ({ action, ok: true })) });
      }
      const run = await executePlan(this.options.aws, plan.actions);
      this.options.aws.inventory.invalidateAfter(run.executed.map(writeOf));
      if (run.error) {
        const c = classify(run.error);
        return result(c.terminal ? 'Stalled' : 'Error', c.reason, c.message, { actions: run.executed, events: [{ type: 'Warning', reason: 'Failed', message: failureEventMessage(c) }] });
      }
      return result('Deleted', 'Deleted', `deleted ${obj.kind} ${obj.metadata.name} from AWS`, {
        deleted: true,
        actions: run.executed,
        events: [{ type: 'Normal', reason: 'Deleted', message: `deleted from AWS: ${plan.actions.map((a) => a.description).join('; ')}` }],
      });
    } catch (err) {
      const c = classify(err);
      return result(c.terminal ? 'Stalled' : 'Error', c.reason, c.message);
    }
  }

  /** The account the object's resource is held in, when this engine reaches another one. */
  heldElsewhere(obj: ManagedObject): string | undefined {
    if (this.options.account === undefined) return undefined;
    const held = heldIn(obj.status);
    return held !== undefined && held !== this.options.account ? held : undefined;
  }

  /** `deleting`: a missing Secret does not matter to a deletion (it needs identity, not passwords), so it yields a placeholder instead of stalling the deletion for good. */
  private desiredContext(obj: ManagedObject, world: World, lenient: boolean, deleting = false): DesiredContext {
    const namespace = obj.metadata.namespace ?? 'default';
    const secrets = this.options.secrets;
    return {
      lenient,
      resolve: (kind, name) => {
        const target = world.get({ kind, namespace, name });
        if (!target) {
          if (lenient) return placeholder(kind, name);
          throw new ReferenceNotReadyError(`${kind} ${name} (referenced by ${obj.kind} ${obj.metadata.name}) does not exist in namespace ${namespace}`, 'ReferenceNotFound');
        }
        if (!isReady(target.status) || !target.status?.atProvider) {
          if (lenient) return placeholder(kind, name, target.status?.atProvider);
          throw new ReferenceNotReadyError(`${kind} ${name} is not Ready yet; ${obj.kind} ${obj.metadata.name} waits for it`, 'ReferenceNotReady');
        }
        return target.status.atProvider;
      },
      secret: (name, key) => {
        const data = secrets.get(namespace, name);
        if (!data) {
          if (deleting) return `(Secret ${namespace}/${name} not available while deleting)`;
          if (secrets.mayArriveLater) throw new ReferenceNotReadyError(`Secret ${namespace}/${name} does not exist yet; ${obj.kind} ${obj.metadata.name} waits for it`, 'ReferenceNotFound');
          throw new InvalidSpecError(`Secret ${namespace}/${name} does not exist`);
        }
        const value = data[key];
        if (value === undefined) {
          if (deleting) return `(Secret ${namespace}/${name} key ${key} not available while deleting)`;
          throw new InvalidSpecError(`Secret ${namespace}/${name} has no key ${key}`);
        }
        return value;
      },
      digestSecret: (value) => this.options.secretDigest.of(value),
    };
  }
}

/**
 * One object's reconcile, in the two halves `reconcileMany` runs around the shared execution:
 * `prepare` (desired, observe, diff, plan; finishes at once when there is nothing to run) and
 * `complete` (observe again, status).
 */
class Attempt {
  readonly key: ObjectKey;
  readonly driftPolicy: 'Correct' | 'Report';
  actions: PlannedAction[] = [];
  private readonly events: EventRecord[] = [];
  private executed: ExecutedAction[] = [];
  private drift: Difference[] = [];
  private inPlace: Difference[] = [];
  private replacements: Difference[] = [];
  private observed: unknown;
  private desired: unknown;
  /** The create-pending record as this pass leaves it (see create-pending.ts). */
  private pending: CreatePending | undefined;
  /** Past the account check: this pass speaks for the engine's account, which status.account then records. */
  private accountChecked = false;

  constructor(
    private readonly options: EngineOptions,
    private readonly handler: AnyKindHandler,
    readonly obj: ManagedObject,
    private readonly specChanged: boolean,
    private readonly now: () => Date,
  ) {
    this.key = keyOf(obj);
    this.driftPolicy = obj.spec?.driftPolicy ?? 'Correct';
    this.pending = pendingOf(obj.status);
  }

  /**
   * Whether AWS matched this very spec before: the object was Ready at its current generation and
   * the spec has not changed since. Only then is a difference AWS changing behind the controller's
   * back (drift); before it, differences are the steps of a first convergence or of a spec change
   * still to take (a number's calling name and assignment once its order completes), which are
   * progress and must not raise Warning Events that alerts count.
   */
  private convergedBefore(): boolean {
    if (this.specChanged) return false;
    const generation = this.obj.metadata.generation ?? 0;
    // Recorded by the pass that found the object Ready; it outlives a correction that failed midway.
    if (this.obj.status?.convergedGeneration === generation) return true;
    // Statuses written before convergedGeneration existed: Ready at this generation says the same.
    const ready = conditionOf(this.obj.status, 'Ready');
    return ready?.status === 'True' && ready.observedGeneration === this.obj.metadata.generation;
  }

  /** Before the create call: the intent made durable, or the call not sent. */
  async recordIntent(action: PlannedAction): Promise<void> {
    const previous = this.pending;
    this.pending = createIntent(action, this.now(), this.options.createGraceMs ?? CREATE_GRACE_MS);
    try {
      await this.options.persistStatus?.(this.obj, { ...this.obj.status, createPending: this.pending, ...this.accountStamp() });
    } catch (err) {
      this.pending = previous;
      throw new BlockedError(
        `could not record the intent to call ${action.operation} in status before sending it, so it was not sent: ${(err as Error).message}`,
        'CreateIntentNotRecorded',
        PROGRESS_REQUEUE_MS,
      );
    }
  }

  /** Right after the create answered: its ids made durable, so a restart reads the resource by id while listings lag. */
  async recordAnswer(captures: Record<string, unknown>): Promise<void> {
    if (!this.pending) return;
    const ids = Object.fromEntries(Object.entries(captures).filter((e): e is [string, string] => typeof e[1] === 'string'));
    this.pending = { ...this.pending, ...(Object.keys(ids).length > 0 ? { ids } : {}) };
    try {
      await this.options.persistStatus?.(this.obj, { ...this.obj.status, atProvider: captureAtProvider(this.obj, captures), createPending: this.pending, ...this.accountStamp() });
    } catch {
      // The intent is durable already: a restart waits for the resource to show in its listing instead of reading it by id.
    }
  }

  /**
   * The account a create is recorded in, with its intent: a restart must know where the resource
   * was made. The controller's own account is the absence of status.account (as before accounts).
   */
  private accountStamp(): { account?: string } {
    if (this.options.account === undefined) return {};
    return { account: this.options.account === DEFAULT_ACCOUNT ? undefined : this.options.account };
  }

  private finish(phase: Phase, reason: ConditionReason, message: string, extra: Partial<ReconcileResult> = {}, atProvider?: AtProvider): ReconcileResult {
    const { obj, handler, desired, observed, drift } = this;
    const generation = obj.metadata.generation;
    const status: ObjectStatus = {
      ...obj.status,
      observedGeneration: generation ?? obj.status?.observedGeneration ?? -1,
      conditions: buildConditions(obj.status?.conditions, {
        phase,
        reason,
        message,
        generation,
        drift: observed === undefined && phase !== 'Ready' ? undefined : drift,
        driftPolicy: this.driftPolicy,
        warnings: desired !== undefined && handler.warnings ? handler.warnings(desired, observed) : [],
        now: this.now(),
      }),
      drift: driftEntries(drift),
      lastSyncedTime: this.now().toISOString(),
    };
    if (atProvider) status.atProvider = atProvider;
    if (phase === 'Ready' && !this.options.dryRun) status.convergedGeneration = generation ?? 0;
    if (this.accountChecked && !this.options.dryRun) {
      const stamp = this.accountStamp();
      if ('account' in stamp) {
        if (stamp.account === undefined) delete status.account;
        else status.account = stamp.account;
      }
    }
    if (!this.options.dryRun) {
      if (this.pending) status.createPending = this.pending;
      else delete status.createPending;
    }
    if (observed !== undefined && desired !== undefined && handler.statusExtras) {
      for (const [k, v] of Object.entries(handler.statusExtras(observed, desired))) {
        if (v === undefined) delete status[k];
        else status[k] = v;
      }
    }
    return { key: this.key, phase, status, actions: this.executed, drift, events: this.events, ...extra };
  }

  private observe(obj: ManagedObject, world: World, executed?: ExecutedAction[], answered?: Answered<unknown>): Promise<unknown> {
    const mode = this.options.dryRun ? 'plan' : 'apply';
    return this.handler.observe({ obj, desired: this.desired, aws: this.options.aws, world, now: this.now(), mode, ...(executed ? { executed } : {}), ...(answered ? { answered } : {}) });
  }

  /** Observes and plans; returns the result when there is nothing to run, undefined when `actions` wait to run. */
  async prepare(ctx: DesiredContext, world: World): Promise<ReconcileResult | undefined> {
    const { obj, handler } = this;
    try {
      // Before anything else, and before any write: an object claiming a resource an earlier object claims is refused.
      const conflict = findClaimConflict(obj, world, handler.claims?.bind(handler));
      if (conflict) {
        const message = claimConflictMessage(obj, conflict);
        this.events.push({ type: 'Warning', reason: 'Blocked', message: withNextStep(message, 'ClaimConflict') });
        return this.finish('Stalled', 'ClaimConflict', message, {}, obj.status?.atProvider);
      }
      // An object whose resource is in another account is not reconciled here: moving is a replacement, said, never done silently.
      const held = heldIn(obj.status);
      if (this.options.account !== undefined && held !== undefined && held !== this.options.account) {
        const message = accountMoveMessage(obj, held, this.options.account);
        this.events.push({ type: 'Warning', reason: 'Blocked', message: withNextStep(message, 'AccountChanged') });
        return this.finish('Stalled', 'AccountChanged', message, {}, obj.status?.atProvider);
      }
      this.accountChecked = true;
      this.desired = handler.desired(obj, ctx);
      this.observed = await this.observe(obj, world);
      const diffs = this.observed === undefined ? [] : handler.diff(this.desired, this.observed);
      this.replacements = diffs.filter((d) => d.requiresReplacement);
      this.inPlace = diffs.filter((d) => !d.requiresReplacement);
      this.drift = diffs;

      const reporting = this.observed !== undefined && this.driftPolicy === 'Report';
      const actions: PlannedAction[] = reporting ? [] : handler.plan(this.desired, this.observed, this.inPlace);
      const waiting = this.guardCreate(actions);
      if (waiting) return waiting;

      if (this.options.dryRun) {
        this.executed = actions.map((action) => ({ action, ok: true }));
        const atProvider = this.observed === undefined ? obj.status?.atProvider : handler.atProvider(this.observed, this.desired);
        if (this.replacements.length > 0) return this.finish('Stalled', 'ReplacementRequired', replacementMessage(obj, this.replacements), {}, atProvider);
        return this.finish(actions.length > 0 ? 'Planned' : 'Ready', actions.length > 0 ? 'ChangesPending' : 'InSync', planMessage(actions), {}, atProvider);
      }
      const now = runnableNow(actions);
      if (now.length > 0) {
        this.actions = now;
        return undefined;
      }
      if (this.observed !== undefined && this.inPlace.length > 0 && reporting && this.convergedBefore()) {
        const message = `AWS differs from the spec at ${this.inPlace.map(driftLabel).join(', ')}; driftPolicy Report leaves it`;
        this.events.push({ type: 'Warning', reason: 'DriftDetected', message: withNextStep(message, 'DriftReported') });
      }
      return this.settle();
    } catch (err) {
      return this.failed(err);
    }
  }

  /**
   * The create-pending guard. No create planned: the resource shows (or none is wanted), and the
   * record goes. A create planned while one recorded earlier is inside its grace period: wait,
   * never create twice. Past the grace period: the earlier create evidently failed; create again
   * and say so.
   */
  private guardCreate(actions: PlannedAction[]): ReconcileResult | undefined {
    const create = actions.find(isCreate);
    const pending = this.pending;
    if (!create) {
      this.pending = undefined;
      return undefined;
    }
    if (!pending || pending.operation !== create.operation) return undefined;
    const left = Date.parse(pending.graceEndsAt) - this.now().getTime();
    if (left > 0) {
      const how = pending.ids ? 'reading it by id' : 'it does not show in its listing yet';
      return this.finish(
        'Progressing',
        'AwaitingConsistency',
        `${describePending(pending)} is not visible in AWS yet (${how}); waiting for it until ${pending.graceEndsAt} instead of creating it again`,
        { requeueAfterMs: Math.min(PROGRESS_REQUEUE_MS, left) },
        this.obj.status?.atProvider,
      );
    }
    if (!this.options.dryRun) {
      this.events.push({
        type: 'Warning',
        reason: 'CreateRetried',
        message: `${describePending(pending)} left nothing visible in AWS by ${pending.graceEndsAt}: it evidently failed, so ${create.operation} is sent again`,
      });
    }
    return undefined;
  }

  /** After the plan ran (merged with other objects' plans): observe again and compute status. */
  async complete(run: PlanRun, world: World): Promise<ReconcileResult> {
    const { obj, handler } = this;
    try {
      const creating = this.observed === undefined;
      this.executed = run.executed;
      if (run.error) {
        const last = run.executed[run.executed.length - 1]?.action;
        // A create AWS refused (4xx) made nothing: no need to wait for it. Any other failure may have made it.
        if (last && isCreate(last) && this.pending?.operation === last.operation && !this.pending.ids && certainlyNotMade(run.error)) this.pending = undefined;
        throw run.error;
      }
      this.events.push(...actionEvents(creating, this.convergedBefore(), this.inPlace, this.actions));
      // What the writes answered stands for a read-back; only the parts no answer told are read.
      const answered = handler.answered?.(this.observed, this.desired, run.executed, this.now());
      this.observed =
        answered && answered.unread.length === 0 ? answered.observed : await this.observe(withCaptures(obj, run.captures), world, run.executed, answered);
      if (this.observed === undefined) {
        // API5: just created, not yet visible. Look again shortly rather than create twice.
        return this.finish('Progressing', 'AwaitingConsistency', `${obj.kind} ${obj.metadata.name} was created and is not yet visible in AWS`, {
          requeueAfterMs: PROGRESS_REQUEUE_MS,
        }, captureAtProvider(obj, run.captures));
      }
      this.drift = handler.diff(this.desired, this.observed);
      // The record goes once nothing is left to create (a SIP rule's replacement may not show yet while the old one does).
      if (!handler.plan(this.desired, this.observed, this.drift.filter((d) => !d.requiresReplacement)).some(isCreate)) this.pending = undefined;
      return this.settle();
    } catch (err) {
      return this.failed(err);
    }
  }

  /** Status from the latest observation: found or not, replacement, readiness, remaining drift. */
  private settle(): ReconcileResult {
    const { obj, handler, observed, desired } = this;
    if (observed === undefined) {
      // Nothing to create (e.g. a claim of a number not in the inventory): the handler's readiness says why.
      return this.finish('Stalled', 'NotFound', `${obj.kind} ${obj.metadata.name} does not exist in AWS and cannot be created from this spec`);
    }
    const atProvider = handler.atProvider(observed, desired);
    if (this.replacements.length > 0) {
      this.events.push({ type: 'Warning', reason: 'Blocked', message: withNextStep(replacementMessage(obj, this.replacements), 'ReplacementRequired') });
      return this.finish('Stalled', 'ReplacementRequired', replacementMessage(obj, this.replacements), {}, atProvider);
    }
    const readiness = handler.readiness?.(observed, desired) ?? { ready: true as const };
    if (!readiness.ready) {
      return this.finish(readiness.stalled ? 'Stalled' : 'Progressing', readiness.reason, readiness.message, { requeueAfterMs: readiness.requeueAfterMs }, atProvider);
    }
    const remaining = this.drift.filter((d) => !d.requiresReplacement);
    if (remaining.length > 0 && this.driftPolicy === 'Correct') {
      // AWS accepted the writes but reads back differently (eventual consistency); look again soon.
      return this.finish('Progressing', 'AwaitingConsistency', `AWS does not yet show ${remaining.map((d) => d.path).join(', ')} as written`, {
        requeueAfterMs: PROGRESS_REQUEUE_MS,
      }, atProvider);
    }
    return this.finish('Ready', 'Available', readyMessage(obj, remaining.length > 0), {}, atProvider);
  }

  private failed(err: unknown): ReconcileResult {
    const { obj } = this;
    if (err instanceof ReferenceNotReadyError) {
      return this.finish('Waiting', err.reason, err.message, { requeueAfterMs: PROGRESS_REQUEUE_MS });
    }
    const c = classify(err);
    if (c.terminal) {
      this.events.push({ type: 'Warning', reason: 'Failed', message: failureEventMessage(c) });
      return this.finish('Stalled', c.reason, c.message, {}, obj.status?.atProvider);
    }
    if (err instanceof BlockedError && err.retryAfterMs !== undefined) {
      return this.finish('Progressing', err.reason, err.message, { requeueAfterMs: err.retryAfterMs }, obj.status?.atProvider);
    }
    return this.finish('Error', c.reason, c.message, {}, obj.status?.atProvider);
  }
}

/** The world as objects planned later in one `reconcileMany` see it: with the statuses already computed in it. */
class OverlayWorld implements World {
  private readonly statuses = new Map<string, ObjectStatus>();

  /** The base world's claim index, when it has one (claims do not depend on status). */
  readonly claimants?: (kind: string, claimKey: string) => ManagedObject[];

  constructor(private readonly base: World) {
    const claimants = base.claimants?.bind(base);
    if (claimants) this.claimants = (kind, claimKey) => claimants(kind, claimKey).map((o) => this.with(o)!);
  }

  setStatus(obj: ManagedObject, status: ObjectStatus): void {
    this.statuses.set(keyString(keyOf(obj)), status);
  }

  private with(o: ManagedObject | undefined): ManagedObject | undefined {
    if (!o) return o;
    const status = this.statuses.get(keyString(keyOf(o)));
    return status ? { ...o, status } : o;
  }

  get(key: ObjectKey): ManagedObject | undefined {
    return this.with(this.base.get(key));
  }

  list(kind: string, namespace?: string): ManagedObject[] {
    if (this.statuses.size === 0) return this.base.list(kind, namespace);
    return this.base.list(kind, namespace).map((o) => this.with(o)!);
  }}

/** A write as the inventory needs it to update or forget the listings it changed. */
function writeOf({ action, ok, output }: ExecutedAction): Write {
  return {
    service: action.service,
    operation: action.operation,
    input: action.input,
    ...(ok && output !== undefined ? { output } : {}),
    ...(action.invalidates ? { invalidates: action.invalidates } : {}),
    ...(action.region !== undefined ? { region: action.region } : {}),
  };
}

/**
 * Identity values of a reference that does not exist yet (plan mode): readable, and never sent to
 * AWS. What the reference's status already holds is used as it is. (A Proxy has no keys to spread:
 * spreading it into an object would lose every placeholder.)
 */
function placeholder(kind: string, name: string, known: AtProvider = {}): AtProvider {
  return new Proxy(known, { get: (t, prop) => (typeof prop !== 'string' ? undefined : prop in t ? t[prop] : `(${prop} of ${kind} ${name}, known after apply)`) });
}

function withCaptures(obj: ManagedObject, captures: Record<string, unknown>): ManagedObject {
  if (Object.keys(captures).length === 0) return obj;
  return { ...obj, status: { ...obj.status, atProvider: { ...obj.status?.atProvider, ...captureAtProvider(obj, captures) } } };
}

/** Ids an earlier action returned, so the next observation finds the new resource by id (status cache). */
function captureAtProvider(obj: ManagedObject, captures: Record<string, unknown>): AtProvider {
  const out: AtProvider = { ...(obj.status?.atProvider ?? {}) };
  for (const [k, v] of Object.entries(captures)) out[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  return out;
}

/**
 * The Events of the calls a pass made: Created for a create; DriftDetected and DriftCorrected when
 * AWS moved behind a spec it matched before; otherwise progress (a spec change, or the steps of a
 * first convergence): Assigned for the associations of numbers, Updated for the rest.
 */
function actionEvents(creating: boolean, convergedBefore: boolean, diffs: Difference[], actions: PlannedAction[]): EventRecord[] {
  const describe = (list: PlannedAction[]) => list.map((a) => a.description).join('; ');
  if (creating) return [{ type: 'Normal', reason: 'Created', message: `created in AWS: ${describe(actions)}` }];
  if (convergedBefore && diffs.length > 0) {
    return [
      { type: 'Warning', reason: 'DriftDetected', message: withNextStep(`AWS differs from the spec at ${diffs.map(driftLabel).join(', ')}`, 'DriftDetected') },
      { type: 'Normal', reason: 'DriftCorrected', message: `changed AWS back to the spec: ${describe(actions)}` },
    ];
  }
  const assignments = actions.filter(isAssignment);
  const others = actions.filter((a) => !isAssignment(a));
  const events: EventRecord[] = [];
  if (others.length > 0) events.push({ type: 'Normal', reason: 'Updated', message: `updated in AWS: ${describe(others)}` });
  if (assignments.length > 0) events.push({ type: 'Normal', reason: 'Assigned', message: `assigned in AWS: ${describe(assignments)}` });
  return events;
}

/** A call that associates phone numbers with a voice connector or group (the Assigned Event). */
function isAssignment(action: PlannedAction): boolean {
  return action.operation.startsWith('AssociatePhoneNumbers');
}

function replacementMessage(obj: ManagedObject, diffs: Difference[]): string {
  return `${diffs.map((d) => `${d.path} cannot change in place (${d.redacted ?? `AWS has ${JSON.stringify(d.actual)}, the spec asks for ${JSON.stringify(d.desired)}`})`).join('; ')}: create a new ${obj.kind} with the new value and delete this one`;
}

function planMessage(actions: PlannedAction[]): string {
  return actions.length === 0 ? 'no changes' : actions.map(describeAction).join('; ');
}

function readyMessage(obj: ManagedObject, reportedDrift: boolean): string {
  return reportedDrift
    ? `${obj.kind} ${obj.metadata.name} exists in AWS; drift is reported, not corrected (driftPolicy Report)`
    : `${obj.kind} ${obj.metadata.name} matches its spec in AWS`;
}

export { digest } from '../core/canonical.js';

export { InvalidSpecError, OwnershipConflictError };
