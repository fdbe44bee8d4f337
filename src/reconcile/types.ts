/**
 * The generic reconcile flow's vocabulary. A kind plugs in through `KindHandler`: pure `desired`,
 * `diff`, `plan` and `planDelete`, and one I/O function, `observe`. Actions are data (an AWS
 * operation and its input), so `plan` can print them and the executor can run any of them.
 */
import type { Condition, DeletionPolicy, DriftEntry, DriftPolicy } from '../api/common.js';
import type { AwsPort, AwsService } from '../core/aws-port.js';
import type { ObjectKey } from '../core/keys.js';
import type { CallAnalyticsConfigurationAtProvider } from '../api/kinds/call-analytics-configuration.js';
import type { PhoneNumberAtProvider } from '../api/kinds/phone-number.js';
import type { SipMediaApplicationAtProvider } from '../api/kinds/sip-media-application.js';
import type { SipRuleAtProvider } from '../api/kinds/sip-rule.js';
import type { VoiceConnectorGroupAtProvider } from '../api/kinds/voice-connector-group.js';
import type { VoiceConnectorAtProvider } from '../api/kinds/voice-connector.js';
import type { VoiceGlobalSettingsAtProvider } from '../api/kinds/voice-global-settings.js';
import type { VoiceProfileDomainAtProvider } from '../api/kinds/voice-profile-domain.js';
import type { ConditionReason, ConditionType, EventReason } from './reasons.js';

/** `status.createPending`: a create call that was sent (or about to be) and whose resource AWS has not shown yet. */
export interface CreatePending {
  /** The AWS operation, e.g. `CreateVoiceConnector`. */
  operation: string;
  /** When the intent was recorded, just before the call (RFC 3339, the engine's clock). */
  requestedAt: string;
  /** Until when the engine waits for the resource to show before creating again (RFC 3339). */
  graceEndsAt: string;
  /** The name the create gives the resource (the marker where the name is the marker), to find it by. */
  name?: string;
  /** Ids the create's answer returned (`VoiceConnectorId`, `OrderId`...), once it arrived. */
  ids?: Record<string, string>;
}

/** A kind-specific warning condition (status True while it holds). */
export interface ConditionWarning {
  type: ConditionType;
  reason: ConditionReason;
  message: string;
}

/** One AWS resource an object claims (src/reconcile/claims.ts). */
export interface IdentityClaim {
  /** Equal keys mean the same AWS resource (within one kind). */
  key: string;
  /** The resource in words, for messages: `the number +12065550100`. */
  label: string;
  /** Where the claim is written in the object, for file:line. */
  path: string;
}

export interface ObjectMetadata {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
  finalizers?: string[];
  resourceVersion?: string;
  creationTimestamp?: string | null;
}

/**
 * `A`: the kind's status.atProvider shape. The cache holds it in part (a create's captures land
 * before the first full observation), so reads see `Partial<A>`.
 */
export interface ObjectStatus<A extends object = AtProvider> {
  observedGeneration?: number;
  conditions?: Condition[];
  atProvider?: Partial<A>;
  drift?: DriftEntry[];
  lastSyncedTime?: string;
  /** A create call recorded before it was sent, until AWS shows its resource (src/reconcile/create-pending.ts). */
  createPending?: CreatePending;
  /** The generation at which AWS last matched the spec: differences at it are drift, before it progress. */
  convergedGeneration?: number;
  /** Kind-specific top-level members from `KindHandler.statusExtras` (PhoneNumber's `assignedTo`). */
  [extra: string]: unknown;
}

/** The spec members every kind carries (src/api/common.ts `commonSpecFields`), which the engine reads. */
export interface CommonSpec {
  deletionPolicy?: DeletionPolicy;
  driftPolicy?: DriftPolicy;
}

/**
 * A spec of a kind not known here: the common members, the rest left for the kind to read. (An
 * index signature, so a spec declared as an `interface` needs to be a `type` to count as one.)
 */
export type AnySpec = CommonSpec & { [member: string]: unknown };

/** An object of a kind: `Spec` its spec type (src/api, from the schema), `A` its atProvider shape. */
export interface ManagedObject<Spec extends object = AnySpec, A extends object = AtProvider> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetadata;
  spec: Spec;
  status?: ObjectStatus<A>;
}

// Object keys and the AWS service type live in the leaf (src/core); named here too for the kinds.
export { keyOf, keyString, type ObjectKey } from '../core/keys.js';
export type { AwsPort, AwsService } from '../core/aws-port.js';

/** One field where AWS differs from the desired state. Paths are spec paths, e.g. `termination.cpsLimit`. */
export interface Difference {
  path: string;
  desired: unknown;
  actual: unknown;
  /** The field cannot change in place (VC1 region, network type; S4 trigger): reported, never acted on silently. */
  requiresReplacement?: boolean;
  /**
   * Set when the values must never be shown (a password): the words that stand for them, such as
   * `password changed`. `desired` and `actual` then hold only placeholders, and every output (plan,
   * status.drift, Events) shows this instead.
   */
  redacted?: string;
}

/** A placeholder in an action's input for a value an earlier action of the same plan returns. */
export interface OutputRef {
  $output: string;
}

/** `A`: the atProvider shape of the planning kind, whose members the captures fill (see CaptureName). */
export interface PlannedAction<A extends object = AtProvider> {
  service: AwsService;
  /**
   * The region whose endpoint the call goes to: a regional resource's own (its AwsRegion); the home
   * region when omitted (account-wide things, and the kinds created where they are called).
   */
  region?: string;
  /** The AWS operation, e.g. `PutVoiceConnectorTermination`. */
  operation: string;
  input: Record<string, unknown>;
  /** What the action does, in a telephony engineer's words, for `plan` and Events. */
  description: string;
  /**
   * Values to keep from the output for later actions and the status cache: capture name → dotted
   * path in the output. The engine caches capture `VoiceConnectorId` as atProvider member
   * `voiceConnectorId`, so a name must be a member of the kind's atProvider shape, capitalised.
   */
  captures?: Captures<A>;
  /** Spec paths this action brings in line, for drift reporting. */
  fixes?: string[];
  /** Input members whose values must never be printed or logged (termination passwords). */
  sensitive?: string[];
  /** How this action merges with like actions of other objects into one call (see BatchSpec). */
  batch?: BatchSpec;
  /**
   * Set on a write that cannot be sent yet because it needs something AWS reaches later (a number
   * exists only once its order completes). `plan` lists it, marked `(after <awaits>)`, so the plan
   * shows every write apply will make; apply never sends it in the pass that planned it (nor any
   * action after it), and plans it again from what AWS holds on a later pass.
   */
  after?: { awaits: string };
  /**
   * Needs nothing from the action before it in the plan (another sub-configuration of the same
   * resource): sent side by side with it. A run of such actions goes out together under the AWS
   * concurrency bound, and the plan goes on once all of them answered, or stops there if one
   * failed. Ignored on a create (it goes alone, under the create-pending guard) and on a batched
   * action. `plan` prints actions in their order either way.
   */
  alongside?: true;
  /**
   * The inventory listings this action's write changes (list operation names), when the table in
   * src/aws/context.ts does not know the operation; [] for none.
   */
  invalidates?: string[];
}

/**
 * Actions that AWS can carry many of in one call: association calls take many E.164 numbers, and
 * UpdatePhoneNumber has a batch form. The executor merges actions of different objects whose
 * merged operation and `shared` input are equal, in chunks of at most `max` items, and hands each
 * action back the answer with only its own per-item errors (API4). A lone action runs as planned.
 */
export interface BatchSpec {
  /** The operation of a merged call (BatchUpdatePhoneNumber for UpdatePhoneNumber); the action's own when omitted. */
  operation?: string;
  /** The input members every merged action must share (the connector id, ForceAssociate): part of the merge key. */
  shared: Record<string, unknown>;
  /** The list member of the merged input that concatenates the items. */
  member: string;
  /** This action's entries of that list. */
  items: unknown[];
  /** Most items in one merged call. */
  max: number;
  /** The names this action's items go by in the answer's per-item errors (E.164, phone number id). */
  ids: string[];
  /** The answer member listing per-item errors, and the member of an error naming its item. */
  errors: { member: string; idField: string };
  /**
   * `capture`: per-item errors are part of the answer, as the single call's are (associations);
   * `fail`: an error naming one of this action's items fails the action, as the single call would throw.
   */
  onItemError: 'capture' | 'fail';
  /** Items with the same id never share a call (BatchUpdatePhoneNumber refuses duplicate ids). */
  unique?: boolean;
}

/**
 * The identity and bookkeeping the status caches, as the engine holds it for any kind: AWS stays
 * the source of truth. A kind's own shape (src/api) narrows it.
 */
export type AtProvider = Record<string, unknown>;

/**
 * The atProvider shapes by kind, for `DesiredContext.resolve` of a reference to another kind. An
 * interface, so that a kind defined elsewhere (a test's fake kind) adds itself by declaration merging.
 */
export interface AtProviderOf {
  VoiceConnector: VoiceConnectorAtProvider;
  VoiceConnectorGroup: VoiceConnectorGroupAtProvider;
  PhoneNumber: PhoneNumberAtProvider;
  SipMediaApplication: SipMediaApplicationAtProvider;
  SipRule: SipRuleAtProvider;
  VoiceProfileDomain: VoiceProfileDomainAtProvider;
  CallAnalyticsConfiguration: CallAnalyticsConfigurationAtProvider;
  VoiceGlobalSettings: VoiceGlobalSettingsAtProvider;
}

/**
 * What `desired` may consult besides the spec: referenced objects' AWS identity (a reference that
 * is missing or not Ready throws ReferenceNotReadyError, which the engine turns into a wait), and
 * Secret values of the object's namespace (a missing key throws InvalidSpecError).
 */
export interface DesiredContext {
  resolve<K extends keyof AtProviderOf>(kind: K, name: string): Partial<AtProviderOf[K]>;
  secret(name: string, key: string): string;
  /**
   * The keyed digest (`hmac-sha256:<key id>:<hex>`) of a secret value, to notice that it changed:
   * never a plain hash, which anyone reading the status could brute-force.
   */
  digestSecret(value: string): string;
  /** True while planning or deleting: references may be unresolved, and `resolve` returns placeholders. */
  readonly lenient: boolean;
}

/** Everything the engine knows about the other objects it manages, for references and deletion order. */
export interface World {
  get(key: ObjectKey): ManagedObject | undefined;
  list(kind: string, namespace?: string): ManagedObject[];
  /**
   * The objects of `kind` that claim the AWS resource `claimKey` (see claims.ts), from an index, so
   * that checking every object's claims costs one lookup each, not a scan of the kind. A world
   * without it is scanned.
   */
  claimants?(kind: string, claimKey: string): ManagedObject[];
}

export type Readiness =
  | { ready: true }
  | { ready: false; reason: ConditionReason; message: string; requeueAfterMs: number; stalled?: boolean };

/** A problem `planDelete` found: something still uses the resource. */
export interface DeleteBlocker {
  /** Whether the blocker is managed by this project (then the engine waits for it) or not (reported, Stalled). */
  managed: boolean;
  message: string;
}

export interface DeletePlan<A extends object = AtProvider> {
  actions: PlannedAction<A>[];
  blockers: DeleteBlocker[];
}

/** Why the engine observes: to act (apply), to show what it would do (plan), or to remove (delete). */
export type ReconcileMode = 'apply' | 'plan' | 'delete';

export interface ObserveArgs<D, O = unknown, S extends object = AnySpec, A extends object = AtProvider> {
  obj: ManagedObject<S, A>;
  desired: D;
  /** AWS as the kinds see it: calls and the pass's inventory (AwsContext in production). */
  aws: AwsPort;
  world: World;
  /** The engine's clock (the emulator's in tests), for cooldowns and deadlines computed in observe. */
  now: Date;
  mode: ReconcileMode;
  /**
   * On the observation right after this object's actions ran: what ran and whether it succeeded.
   * A handler learns from it what AWS cannot tell (a password it never returns was written).
   */
  executed?: ExecutedAction[];
  /**
   * On that observation, when the kind folded the writes' answers (`KindHandler.answered`): observe
   * starts from `answered.observed` and reads only the parts in `answered.unread`.
   */
  answered?: Answered<O>;
}

/**
 * The observation after a plan ran, from what its writes answered (src/reconcile/engine.ts
 * `complete`): `observed` is the observation before the writes with every answer folded in, and
 * `unread` names the parts no answer told (a write that answers nothing, one that failed, a status
 * due on its cadence), which observe reads. A listing never confirms a write: it may lag (API5).
 */
export interface Answered<O> {
  observed: O;
  /** Kind-defined part names (`tags`, `termination`...) to read from AWS; empty: nothing to read. */
  unread: readonly string[];
}

/**
 * A capture name of an action whose answer fills the cached member `K` of atProvider: the engine
 * stores capture `VoiceConnectorId` as `voiceConnectorId`, so the name is the member capitalised.
 */
export type CaptureName<A> = Capitalize<Extract<keyof A, string>>;

/** An action's captures: capture name (a member of the atProvider shape `A`, capitalised) → dotted path in the answer. */
export type Captures<A extends object> = { [K in CaptureName<A>]?: string };

/**
 * A kind's plug-in. `D` is what `desired` computes, `O` what `observe` reads, `A` the kind's
 * status.atProvider shape (src/api) and `S` its spec type (src/api): what a kind reads of its
 * object, caches and captures is checked by the compiler. The engine holds handlers as
 * `AnyKindHandler` and hands each only the values it produced itself.
 */
export interface KindHandler<D, O, A extends object = AtProvider, S extends object = AnySpec> {
  kind: string;
  /**
   * Pure: the desired state in AWS terms from the spec, the resolved references and the secrets.
   * Throws InvalidSpecError for input the schema could not catch.
   */
  desired(obj: ManagedObject<S, A>, ctx: DesiredContext): D;
  /** I/O: finds this object's AWS resource (status cache, then ownership marker) and reads what the spec manages. */
  observe(args: ObserveArgs<D, O, S, A>): Promise<O | undefined>;
  /**
   * Pure: the observation after `executed` ran, folded from the one before it (`before`, undefined
   * for a create) and the answers of the writes, so that the engine reads back only the parts no
   * answer told (`unread`), instead of observing everything again. Undefined: the answers do not
   * tell enough (an operation the kind cannot fold); the engine observes in full.
   */
  answered?(before: O | undefined, desired: D, executed: ExecutedAction[], now: Date): Answered<O> | undefined;
  /** Pure: the fields that differ. Fields the spec leaves empty are not compared (no perpetual diffs). */
  diff(desired: D, observed: O): Difference[];
  /**
   * Pure: the ordered actions that make AWS match `desired`; `observed` undefined means create. The
   * whole sequence up to Ready: writes that must wait for AWS (after an order completes) are
   * included, marked with `after`.
   */
  plan(desired: D, observed: O | undefined, diffs: Difference[]): PlannedAction<A>[];
  /** Pure: the ordered actions that remove the resource, or what blocks it. */
  planDelete(desired: D, observed: O, world: World, obj: ManagedObject<S, A>): DeletePlan<A>;
  /** Pure: the identity and read-only values for status.atProvider. */
  atProvider(observed: O, desired: D): A;
  /** Pure: whether the resource is usable (an order still processing is not). */
  readiness?(observed: O, desired: D): Readiness;
  /**
   * Pure: members merged into the top level of status besides atProvider (printer columns such as
   * PhoneNumber's `assignedTo`); a member given as undefined is removed.
   */
  statusExtras?(observed: O, desired: D): Record<string, unknown>;
  /**
   * Pure: the AWS resources this object claims beyond the external-id annotation (which every kind
   * claims), from the object alone: a PhoneNumber's E.164, the name where the name is the marker.
   * Two objects of a kind with a common claim are refused (src/reconcile/claims.ts).
   */
  claims?(obj: ManagedObject<S, A>): IdentityClaim[];
  /**
   * Status paths (segments from the status root) whose values change on every observation although
   * nothing changed, such as a Voice Connector's last SIP OPTIONS ping: the controller does not write
   * a status that differs only there, until a real change or the status heartbeat.
   */
  volatileStatusPaths?: ReadonlyArray<readonly string[]>;
  /**
   * Pure: true when observing `obj` reads the status of other objects of its kind to decide (a
   * PhoneNumber that orders chooses a number from a search that others have not chosen): such
   * objects are observed one at a time within a step, each seeing the statuses of those before it.
   */
  observesSiblings?(obj: ManagedObject<S, A>): boolean;
  /** Pure: extra conditions (warnings), e.g. recording and post-call analytics both on (A1). */
  warnings?(desired: D, observed: O | undefined): ConditionWarning[];
}

/**
 * A handler of some kind, as the registry and the engine hold it: its desired and observed values
 * are opaque (`unknown`), its objects and caches seen as any kind's. Built by `anyKind`.
 */
export type AnyKindHandler = KindHandler<unknown, unknown, AtProvider, AnySpec>;

/**
 * Registers a kind's handler with the engine. The one place its types are forgotten, which is
 * sound because the engine keeps to the handler's protocol: it hands `diff`, `plan`, `atProvider`
 * and the rest only the values this handler's own `desired` and `observe` returned, and only
 * objects of the handler's kind, whose spec the schema admitted (CRD admission or `validate`).
 */
export function anyKind<D, O, A extends object, S extends object>(handler: KindHandler<D, O, A, S>): AnyKindHandler {
  return handler as unknown as AnyKindHandler;
}

export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: EventReason;
  message: string;
}

export type Phase = 'Ready' | 'Progressing' | 'Waiting' | 'Stalled' | 'Error' | 'Deleted' | 'DeleteBlocked' | 'Planned';

export interface ExecutedAction {
  action: PlannedAction;
  ok: boolean;
  error?: string;
  /**
   * What AWS answered: a create's answer lets the inventory add the new resource to its listing.
   * For an action that went out merged, the answer with only this action's per-item errors.
   */
  output?: unknown;
  /** Set when the action went out merged with others: the call made and how many actions it carried. */
  batched?: { operation: string; actions: number };
}

export interface ReconcileResult {
  key: ObjectKey;
  phase: Phase;
  status: ObjectStatus;
  /** Actions run (apply) or that would run (plan). */
  actions: ExecutedAction[];
  drift: Difference[];
  events: EventRecord[];
  /** When to look again: progress to watch, or a backoff after a recoverable error. */
  requeueAfterMs?: number;
  /** Present when deletion finished (the finalizer may go). */
  deleted?: boolean;
}

/**
 * The actions with `region` set where they leave it unset: every call a regional resource's plan
 * makes (tags by ARN, sub-configurations by id) goes to that resource's own region's endpoint.
 */
export function inRegion(region: string | undefined, actions: PlannedAction[]): PlannedAction[] {
  return region === undefined ? actions : actions.map((a) => (a.region === undefined ? { ...a, region } : a));
}
