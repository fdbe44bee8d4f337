/**
 * Which AWS account an object's resource lives in, and whether its namespace may use it
 * (docs/accounts.md). Pure: the sources hand in the AwsAccount objects and the namespace, and get
 * back the account or a refusal the engine never sees (nothing is written for a refused object).
 */
import { ACCOUNT_ANNOTATION, type AwsAccount, type NamespaceSelector } from '../api/index.js';
import { buildConditions } from './conditions.js';
import { withNextStep, type ConditionReason } from './reasons.js';
import type { ManagedObject, Phase, ReconcileResult } from './types.js';
import { keyOf } from './types.js';

/** The account of the controller's own credentials (no AwsAccount): its name in status.account. */
export const DEFAULT_ACCOUNT = '';

/** What a namespace says about accounts: its labels (tenancy selectors) and annotations (the default account). */
export interface NamespaceInfo {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type AccountChoice =
  | { ok: true; name: string; account?: AwsAccount; from: 'spec.accountRef' | 'namespace annotation' | 'default' }
  | { ok: false; reason: Extract<ConditionReason, 'AccountNotFound' | 'AccountNotGranted' | 'ReferenceInOtherAccount'>; message: string };

/** `""` (the controller's own credentials) or `AwsAccount <name>`, for messages. */
export function accountLabel(name: string): string {
  return name === DEFAULT_ACCOUNT ? "the controller's own account" : `AwsAccount ${name}`;
}

/**
 * The account `obj` uses: spec.accountRef, else its namespace's annotation, else the controller's
 * own credentials. A named account must exist and grant the namespace; `namespace` undefined
 * (not known, or not readable) grants nothing through a selector, only through allowedNamespaces.
 */
export function chooseAccount(obj: Pick<ManagedObject, 'kind' | 'metadata' | 'spec'>, namespace: NamespaceInfo | undefined, accountNamed: (name: string) => AwsAccount | undefined): AccountChoice {
  const ns = obj.metadata.namespace ?? 'default';
  const fromSpec = (obj.spec as { accountRef?: { name?: string } } | undefined)?.accountRef?.name;
  const fromNamespace = namespace?.annotations?.[ACCOUNT_ANNOTATION]?.trim();
  const name = fromSpec ?? (fromNamespace || undefined);
  if (name === undefined) return { ok: true, name: DEFAULT_ACCOUNT, from: 'default' };
  const from = fromSpec !== undefined ? 'spec.accountRef' : 'namespace annotation';
  const where = from === 'spec.accountRef' ? 'spec.accountRef' : `the annotation ${ACCOUNT_ANNOTATION} of namespace ${ns}`;
  const account = accountNamed(name);
  if (!account) {
    return { ok: false, reason: 'AccountNotFound', message: `${obj.kind} ${ns}/${obj.metadata.name} uses AwsAccount ${name} (${where}), which does not exist; nothing is written to AWS until it does` };
  }
  if (!grants(account, namespace ?? { name: ns })) {
    return {
      ok: false,
      reason: 'AccountNotGranted',
      message: `namespace ${ns} is not granted AwsAccount ${name} (${where}): its spec.tenancy neither lists the namespace in allowedNamespaces nor selects it by namespaceSelector, so ${obj.kind} ${obj.metadata.name} writes nothing to AWS`,
    };
  }
  return { ok: true, name, account, from };
}

/** Whether the account's tenancy grants the namespace: listed by name, or matched by the selector. With neither, no namespace is granted. */
export function grants(account: AwsAccount, namespace: NamespaceInfo): boolean {
  const tenancy = account.spec.tenancy;
  if (!tenancy) return false;
  if (tenancy.allowedNamespaces?.includes(namespace.name)) return true;
  return tenancy.namespaceSelector !== undefined && selects(tenancy.namespaceSelector, namespace.labels ?? {});
}

/**
 * Kubernetes label selector semantics (matchLabels and matchExpressions, all must hold; an empty
 * selector selects everything). Written here because no dependency of the project evaluates
 * selectors client-side (@kubernetes/client-node only passes them to the API server).
 */
export function selects(selector: NamespaceSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? has && values.includes(labels[e.key])
        : e.operator === 'NotIn'
          ? !has || !values.includes(labels[e.key])
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}

/**
 * Whether the status says the object holds a resource in AWS (an id, or a create sent), and in
 * which account: `status.account`, or the controller's own account for a status written before
 * accounts existed.
 */
export function heldIn(status: ManagedObject['status']): string | undefined {
  if (!status?.atProvider && !status?.createPending) return undefined;
  return typeof status.account === 'string' ? status.account : DEFAULT_ACCOUNT;
}

/** The message of an object whose resource is in one account while its spec now selects another. */
export function accountMoveMessage(obj: Pick<ManagedObject, 'kind' | 'metadata'>, from: string, to: string): string {
  return (
    `${obj.kind} ${obj.metadata.name} moves to ${accountLabel(to)}: replace. Its AWS resource is in ${accountLabel(from)}; an AWS resource cannot move between accounts, ` +
    `so nothing is written: to move it, delete this object (its deletionPolicy applies in ${accountLabel(from)}) and create it again selecting ${accountLabel(to)}, or select ${accountLabel(from)} again`
  );
}

/** The result of an object refused before the engine: Stalled with the reason, its status otherwise kept, nothing written. */
export function refusedResult(obj: ManagedObject, reason: ConditionReason, message: string, now: Date, deleting = false): ReconcileResult {
  // Refused while being deleted: an object that never held anything may go; one that does stays until a person decides.
  const nothingHeld = heldIn(obj.status) === undefined;
  const phase: Phase = deleting && nothingHeld ? 'Deleted' : 'Stalled';
  const text = deleting && nothingHeld ? `${message}; it held nothing in AWS, so its deletion needs no AWS call` : message;
  return {
    key: keyOf(obj),
    phase,
    status: {
      ...obj.status,
      conditions: buildConditions(obj.status?.conditions, { phase, reason, message: text, generation: obj.metadata.generation, drift: undefined, driftPolicy: 'Correct', now }),
      lastSyncedTime: now.toISOString(),
    },
    actions: [],
    drift: [],
    events: [{ type: 'Warning', reason: 'Blocked', message: withNextStep(text, reason) }],
    ...(phase === 'Deleted' ? { deleted: true } : {}),
  };
}
