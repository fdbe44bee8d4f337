/**
 * The generic reconcile flow, level-based and per object: resolve references, observe, diff, plan,
 * act (skipped under driftPolicy Report, and in plan mode), then compute status. Sources (a folder,
 * or the Kubernetes API) call it; they own persistence of status, Events and requeueing.
 */
import { createHash } from 'node:crypto';
import type { AwsContext } from '../aws/context.js';
import { buildConditions, driftEntries, isReady } from './conditions.js';
import { BlockedError, InvalidSpecError, OwnershipConflictError, ReferenceNotReadyError, classify } from './errors.js';
import { executePlan } from './executor.js';
import type {
  AtProvider,
  DesiredContext,
  Difference,
  EventRecord,
  ExecutedAction,
  KindHandler,
  ManagedObject,
  ObjectStatus,
  Phase,
  PlannedAction,
  ReconcileResult,
  World,
} from './types.js';
import { keyOf } from './types.js';

export interface SecretSource {
  /** Secret data of `namespace/name`, or undefined when there is no such Secret. */
  get(namespace: string, name: string): Record<string, string> | undefined;
}

export interface EngineOptions {
  aws: AwsContext;
  handlers: ReadonlyMap<string, KindHandler>;
  secrets: SecretSource;
  now?: () => Date;
  /** Plan mode: observe and plan, never write. */
  dryRun?: boolean;
}

/** How long to wait before looking again at something progressing on AWS's side or blocked by an object of ours. */
const PROGRESS_REQUEUE_MS = 5_000;
/** How long before retrying a delete blocked by something this project does not manage. */
const BLOCKED_REQUEUE_MS = 300_000;

export class Engine {
  private readonly now: () => Date;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
  }

  handlerFor(kind: string): KindHandler {
    const handler = this.options.handlers.get(kind);
    if (!handler) throw new Error(`no handler for kind ${kind}`);
    return handler;
  }

  /**
   * Brings AWS in line with `obj`. `specChanged` tells drift (AWS moved while the spec stood still)
   * from a spec change, for Events; Kubernetes sources derive it from generation/observedGeneration.
   */
  async reconcile(obj: ManagedObject, world: World, specChanged: boolean): Promise<ReconcileResult> {
    const handler = this.handlerFor(obj.kind);
    const key = keyOf(obj);
    const generation = obj.metadata.generation;
    const driftPolicy: 'Correct' | 'Report' = obj.spec?.driftPolicy ?? 'Correct';
    const events: EventRecord[] = [];
    let executed: ExecutedAction[] = [];
    let drift: Difference[] = [];
    let observed: unknown;
    let desired: unknown;

    const finish = (phase: Phase, reason: string, message: string, extra: Partial<ReconcileResult> = {}, atProvider?: AtProvider): ReconcileResult => {
      const status: ObjectStatus = {
        ...obj.status,
        observedGeneration: generation ?? obj.status?.observedGeneration ?? -1,
        conditions: buildConditions(obj.status?.conditions, {
          phase,
          reason,
          message,
          generation,
          drift: observed === undefined && phase !== 'Ready' ? undefined : drift,
          driftPolicy,
          warnings: desired !== undefined && handler.warnings ? handler.warnings(desired, observed) : [],
          now: this.now(),
        }),
        drift: driftEntries(drift),
        lastSyncedTime: this.now().toISOString(),
      };
      if (atProvider) status.atProvider = atProvider;
      return { key, phase, status, actions: executed, drift, events, ...extra };
    };

    try {
      desired = handler.desired(obj, this.desiredContext(obj, world, this.options.dryRun === true));
      observed = await handler.observe({ obj, desired, aws: this.options.aws, world });
      const diffs = observed === undefined ? [] : handler.diff(desired, observed);
      const replacements = diffs.filter((d) => d.requiresReplacement);
      const inPlace = diffs.filter((d) => !d.requiresReplacement);
      drift = diffs;

      const reporting = observed !== undefined && driftPolicy === 'Report';
      const actions: PlannedAction[] = reporting ? [] : handler.plan(desired, observed, inPlace);

      if (this.options.dryRun) {
        executed = actions.map((action) => ({ action, ok: true }));
        const atProvider = observed === undefined ? obj.status?.atProvider : handler.atProvider(observed, desired);
        if (replacements.length > 0) return finish('Stalled', 'ReplacementRequired', replacementMessage(obj, replacements), {}, atProvider);
        return finish(actions.length > 0 ? 'Planned' : 'Ready', actions.length > 0 ? 'ChangesPending' : 'InSync', planMessage(actions), {}, atProvider);
      }

      if (actions.length > 0) {
        const creating = observed === undefined;
        const run = await executePlan(this.options.aws, actions);
        executed = run.executed;
        if (run.error) throw run.error;
        events.push(...actionEvents(obj, creating, specChanged, inPlace, actions));
        this.options.aws.inventory.invalidate();
        observed = await handler.observe({ obj: withCaptures(obj, run.captures), desired, aws: this.options.aws, world });
        if (observed === undefined) {
          // API5: just created, not yet visible. Look again shortly rather than create twice.
          return finish('Progressing', 'AwaitingConsistency', `${obj.kind} ${obj.metadata.name} was created and is not yet visible in AWS`, {
            requeueAfterMs: PROGRESS_REQUEUE_MS,
          }, captureAtProvider(obj, run.captures));
        }
        drift = handler.diff(desired, observed);
      } else if (observed !== undefined && inPlace.length > 0 && reporting && !specChanged) {
        events.push({ type: 'Warning', reason: 'DriftDetected', message: `AWS differs from the spec at ${inPlace.map((d) => d.path).join(', ')}; driftPolicy Report leaves it` });
      }

      if (observed === undefined) {
        // Nothing to create (e.g. a claim of a number not in the inventory): the handler's readiness says why.
        return finish('Stalled', 'NotFound', `${obj.kind} ${obj.metadata.name} does not exist in AWS and cannot be created from this spec`);
      }
      const atProvider = handler.atProvider(observed, desired);
      if (replacements.length > 0) {
        events.push({ type: 'Warning', reason: 'Blocked', message: replacementMessage(obj, replacements) });
        return finish('Stalled', 'ReplacementRequired', replacementMessage(obj, replacements), {}, atProvider);
      }
      const readiness = handler.readiness?.(observed, desired) ?? { ready: true as const };
      if (!readiness.ready) {
        return finish(readiness.stalled ? 'Stalled' : 'Progressing', readiness.reason, readiness.message, { requeueAfterMs: readiness.requeueAfterMs }, atProvider);
      }
      const remaining = drift.filter((d) => !d.requiresReplacement);
      if (remaining.length > 0 && driftPolicy === 'Correct') {
        // AWS accepted the writes but reads back differently (eventual consistency); look again soon.
        return finish('Progressing', 'AwaitingConsistency', `AWS does not yet show ${remaining.map((d) => d.path).join(', ')} as written`, {
          requeueAfterMs: PROGRESS_REQUEUE_MS,
        }, atProvider);
      }
      return finish('Ready', 'Available', readyMessage(obj, remaining.length > 0), {}, atProvider);
    } catch (err) {
      if (err instanceof ReferenceNotReadyError) {
        return finish('Waiting', err.reason, err.message, { requeueAfterMs: PROGRESS_REQUEUE_MS });
      }
      const c = classify(err);
      if (c.terminal) {
        events.push({ type: 'Warning', reason: 'Failed', message: c.message });
        return finish('Stalled', c.reason, c.message, {}, obj.status?.atProvider);
      }
      if (err instanceof BlockedError && err.retryAfterMs !== undefined) {
        return finish('Progressing', err.reason, err.message, { requeueAfterMs: err.retryAfterMs }, obj.status?.atProvider);
      }
      return finish('Error', c.reason, c.message, {}, obj.status?.atProvider);
    }
  }

  /** Removes the AWS resource under deletionPolicy Delete, in the order the kind plans; Retain leaves it. */
  async delete(obj: ManagedObject, world: World): Promise<ReconcileResult> {
    const handler = this.handlerFor(obj.kind);
    const key = keyOf(obj);
    const policy: 'Delete' | 'Retain' = obj.spec?.deletionPolicy ?? 'Delete';
    const result = (phase: Phase, reason: string, message: string, extra: Partial<ReconcileResult> = {}): ReconcileResult => ({
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
    if (policy === 'Retain') {
      return result('Deleted', 'Retained', `deletionPolicy Retain: the AWS resource of ${obj.kind} ${obj.metadata.name} is left in place`, {
        deleted: true,
        events: [{ type: 'Normal', reason: 'Retained', message: `deletionPolicy Retain: left the AWS resource in place` }],
      });
    }
    try {
      const desired = handler.desired(obj, this.desiredContext(obj, world, true));
      const observed = await handler.observe({ obj, desired, aws: this.options.aws, world });
      if (observed === undefined) {
        return result('Deleted', 'Deleted', `${obj.kind} ${obj.metadata.name} no longer exists in AWS`, { deleted: true });
      }
      const plan = handler.planDelete(desired, observed, world, obj);
      const unmanaged = plan.blockers.filter((b) => !b.managed);
      if (unmanaged.length > 0) {
        const message = `deletion is blocked by resources this project does not manage: ${unmanaged.map((b) => b.message).join('; ')}`;
        return result('Stalled', 'DeletionBlocked', message, { requeueAfterMs: BLOCKED_REQUEUE_MS, events: [{ type: 'Warning', reason: 'Blocked', message }] });
      }
      if (plan.blockers.length > 0) {
        const message = `waiting for ${plan.blockers.map((b) => b.message).join('; ')}`;
        return result('DeleteBlocked', 'DeletionWaiting', message, { requeueAfterMs: PROGRESS_REQUEUE_MS, events: [{ type: 'Normal', reason: 'Waiting', message }] });
      }
      if (this.options.dryRun) {
        return result('Planned', 'DeletionPending', planMessage(plan.actions), { actions: plan.actions.map((action) => ({ action, ok: true })) });
      }
      const run = await executePlan(this.options.aws, plan.actions);
      this.options.aws.inventory.invalidate();
      if (run.error) {
        const c = classify(run.error);
        return result(c.terminal ? 'Stalled' : 'Error', c.reason, c.message, { actions: run.executed, events: [{ type: 'Warning', reason: 'Failed', message: c.message }] });
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

  private desiredContext(obj: ManagedObject, world: World, lenient: boolean): DesiredContext {
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
          if (lenient) return { ...placeholder(kind, name), ...(target.status?.atProvider ?? {}) };
          throw new ReferenceNotReadyError(`${kind} ${name} is not Ready yet; ${obj.kind} ${obj.metadata.name} waits for it`, 'ReferenceNotReady');
        }
        return target.status.atProvider;
      },
      secret: (name, key) => {
        const data = secrets.get(namespace, name);
        if (!data) throw new InvalidSpecError(`Secret ${namespace}/${name} does not exist`);
        const value = data[key];
        if (value === undefined) throw new InvalidSpecError(`Secret ${namespace}/${name} has no key ${key}`);
        return value;
      },
    };
  }
}

/** Identity values of a reference that does not exist yet (plan mode): readable, and never sent to AWS. */
function placeholder(kind: string, name: string): AtProvider {
  return new Proxy({}, { get: (_t, prop) => (typeof prop === 'string' ? `(${prop} of ${kind} ${name}, known after apply)` : undefined) });
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

function actionEvents(obj: ManagedObject, creating: boolean, specChanged: boolean, diffs: Difference[], actions: PlannedAction[]): EventRecord[] {
  const what = actions.map((a) => a.description).join('; ');
  if (creating) return [{ type: 'Normal', reason: 'Created', message: `created in AWS: ${what}` }];
  if (!specChanged && diffs.length > 0) {
    return [
      { type: 'Warning', reason: 'DriftDetected', message: `AWS differs from the spec at ${diffs.map((d) => d.path).join(', ')}` },
      { type: 'Normal', reason: 'DriftCorrected', message: `changed AWS back to the spec: ${what}` },
    ];
  }
  return [{ type: 'Normal', reason: 'Updated', message: `updated in AWS: ${what}` }];
}

function replacementMessage(obj: ManagedObject, diffs: Difference[]): string {
  return `${diffs.map((d) => `${d.path} cannot change in place (AWS has ${JSON.stringify(d.actual)}, the spec asks for ${JSON.stringify(d.desired)})`).join('; ')}: create a new ${obj.kind} with the new value and delete this one`;
}

function planMessage(actions: PlannedAction[]): string {
  return actions.length === 0 ? 'no changes' : actions.map((a) => a.description).join('; ');
}

function readyMessage(obj: ManagedObject, reportedDrift: boolean): string {
  return reportedDrift
    ? `${obj.kind} ${obj.metadata.name} exists in AWS; drift is reported, not corrected (driftPolicy Report)`
    : `${obj.kind} ${obj.metadata.name} matches its spec in AWS`;
}

/** A stable digest of a value (a spec, a password) for change detection; never reversible to the value. */
export function digest(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');
}

export { InvalidSpecError, OwnershipConflictError };
