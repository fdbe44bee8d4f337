/**
 * Pure batching of planned actions across objects (issue 4, "batch where AWS allows it"): actions
 * whose BatchSpec names the same merged operation and shared input become one call, in chunks of
 * at most `max` items; the answer is split back so that each action sees only its own per-item
 * errors (API4), exactly as if it had been sent alone.
 */
import { canonical } from '../core/canonical.js';
import type { BatchSpec, PlannedAction } from './types.js';

/** Actions with equal keys may share one call; undefined for an action that never merges. */
export function batchKey(action: PlannedAction): string | undefined {
  const b = action.batch;
  if (!b) return undefined;
  // The region is part of the key: a call goes to one region's endpoint (numbers of connectors in two regions are two calls).
  return `${action.region ?? ''}:${action.service}:${b.operation ?? action.operation}:${b.member}:${canonical(b.shared)}`;
}

/** One call carrying several actions: `members` are indexes into the actions given to `mergeBatch`. */
export interface MergedCall {
  service: PlannedAction['service'];
  /** The region whose endpoint takes the call (its actions share it: it is part of the batch key). */
  region?: string;
  operation: string;
  input: Record<string, unknown>;
  members: number[];
}

/**
 * Merges actions of one batch key into calls (first fit: an action joins the first call with room
 * for all its items and, when ids must be unique, none of its ids). An action whose items exceed
 * `max` on their own is left out (`alone`): it runs as planned.
 */
export function mergeBatch(actions: PlannedAction[]): { calls: MergedCall[]; alone: number[] } {
  const calls: Array<MergedCall & { items: unknown[]; ids: Set<string> }> = [];
  const alone: number[] = [];
  actions.forEach((action, index) => {
    const b = action.batch as BatchSpec;
    if (b.items.length > b.max) {
      alone.push(index);
      return;
    }
    const fits = (c: (typeof calls)[number]) => c.items.length + b.items.length <= b.max && (!b.unique || b.ids.every((id) => !c.ids.has(id)));
    let call = calls.find(fits);
    if (!call) {
      call = { service: action.service, region: action.region, operation: b.operation ?? action.operation, input: {}, members: [], items: [], ids: new Set() };
      calls.push(call);
    }
    call.members.push(index);
    call.items.push(...b.items);
    for (const id of b.ids) call.ids.add(id);
  });
  return {
    calls: calls.map(({ service, region, operation, members, items }) => {
      const b = actions[members[0]].batch as BatchSpec;
      return { service, ...(region !== undefined ? { region } : {}), operation, members, input: { ...b.shared, [b.member]: items } };
    }),
    alone,
  };
}

/** Per-item ErrorCodes whose exception class is not simply `<code>Exception`. */
const EXCEPTION_OF: Record<string, string> = {
  Throttled: 'ThrottledClientException',
  Throttling: 'ThrottledClientException',
  Unauthorized: 'UnauthorizedClientException',
  Unprocessable: 'UnprocessableEntityException',
};

/** An error of one item of a merged call, named as the SDK's exception for the single call, so classification agrees. */
export class ItemError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = EXCEPTION_OF[code] ?? (/Exception$/.test(code) ? code : `${code}Exception`);
  }
}

export type SplitOutcome = { ok: true; output: Record<string, unknown> } | { ok: false; error: ItemError };

/**
 * The part of a merged call's answer that belongs to one action: its own per-item errors only
 * (errors naming no item concern every action of the call). Under `fail`, such an error fails the
 * action, as the single call would have thrown.
 */
export function splitOutput(action: PlannedAction, output: Record<string, unknown>): SplitOutcome {
  const b = action.batch as BatchSpec;
  const all = Array.isArray(output[b.errors.member]) ? (output[b.errors.member] as Array<Record<string, unknown>>) : [];
  const ids = new Set(b.ids);
  const mine = all.filter((e) => {
    const id = e[b.errors.idField];
    return typeof id !== 'string' || ids.has(id);
  });
  if (b.onItemError === 'fail' && mine.length > 0) {
    const first = mine[0];
    const message = mine.map((e) => `${String(e.ErrorMessage ?? e.ErrorCode ?? 'error')}`).join('; ');
    return { ok: false, error: new ItemError(String(first.ErrorCode ?? 'ServiceFailure'), message) };
  }
  return { ok: true, output: { ...output, [b.errors.member]: mine } };
}
