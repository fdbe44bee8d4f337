/**
 * The create-pending guard, after crossplane-runtime's `external-create-pending` annotation: the
 * intent to create is made durable (status in a cluster, the status file in directory mode)
 * before the create call goes out, and the ids of its answer right after. While a recorded create
 * is inside its grace period and AWS does not show the resource yet (listings and reads by id are
 * eventually consistent, API5), the engine reads by id where one is known, or waits; it never
 * creates again. Once the grace period has passed with nothing visible, the earlier create evidently
 * failed, and creating again is safe: an Event says so.
 */
import type { CreatePending, ObjectStatus, PlannedAction } from './types.js';

export type { CreatePending } from './types.js';

/**
 * How long a recorded create may stay invisible before it is taken as failed. AWS documents no
 * bound for the Chime SDK's listings; the services that do document theirs (EC2, IAM) speak of
 * "several minutes" at worst. Ten minutes covers that strict reading with room to spare, and also
 * a create call still in flight (the SDK's own retries take well under a minute). The cost of a
 * create that truly failed is one wait of this length, never a duplicate resource or a second
 * phone number order.
 */
export const CREATE_GRACE_MS = 10 * 60_000;


/** Whether an action creates a resource (and so needs an intent recorded before it is sent). */
export const isCreate = (action: Pick<PlannedAction, 'operation'>): boolean => /^Create[A-Z]/.test(action.operation);

/** The name a create gives its resource, read from the call's input. */
function nameOf(action: PlannedAction): string | undefined {
  const input = action.input;
  const name = input.Name ?? input.MediaInsightsPipelineConfigurationName;
  return typeof name === 'string' ? name : undefined;
}

export function createIntent(action: PlannedAction, now: Date, graceMs = CREATE_GRACE_MS): CreatePending {
  const name = nameOf(action);
  return {
    operation: action.operation,
    requestedAt: now.toISOString(),
    graceEndsAt: new Date(now.getTime() + graceMs).toISOString(),
    ...(name !== undefined ? { name } : {}),
  };
}

/** The record in a status, if it is well formed (a hand-edited status file must not break a pass). */
export function pendingOf(status: ObjectStatus | undefined): CreatePending | undefined {
  const p = status?.createPending as Partial<CreatePending> | undefined;
  if (!p || typeof p !== 'object' || typeof p.operation !== 'string' || typeof p.requestedAt !== 'string' || typeof p.graceEndsAt !== 'string') return undefined;
  if (Number.isNaN(Date.parse(p.requestedAt)) || Number.isNaN(Date.parse(p.graceEndsAt))) return undefined;
  return p as CreatePending;
}

/** Whether a failed call was certainly refused before it took effect (a 4xx answer), so nothing was created. */
export function certainlyNotMade(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

export function describePending(p: CreatePending): string {
  const ids = Object.entries(p.ids ?? {}).map(([k, v]) => `${k} ${v}`);
  return `${p.operation}${p.name ? ` of "${p.name}"` : ''} sent at ${p.requestedAt}${ids.length > 0 ? ` (answered with ${ids.join(', ')})` : ''}`;
}
