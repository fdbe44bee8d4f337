// Condition and Event reasons are types drawn from the catalog (src/reconcile/reasons.ts): the
// compiler refuses a reason the catalog does not list. `npx tsc --noEmit` checks the
// expect-error directives below: should a signature widen back to `string`, the directive is unused
// and the type check fails.
import { describe, expect, it } from 'vitest';
import { buildConditions, type ConditionInput } from '../../src/reconcile/conditions.js';
import { BlockedError, classify } from '../../src/reconcile/errors.js';
import { CONDITION_REASONS, isConditionReason, type ConditionReason, type EventReason } from '../../src/reconcile/reasons.js';
import type { EventRecord, Readiness } from '../../src/reconcile/types.js';

const input = (reason: ConditionReason): ConditionInput => ({
  phase: 'Stalled',
  reason,
  message: 'm',
  generation: 1,
  drift: undefined,
  driftPolicy: 'Correct',
  now: new Date(0),
});

describe('typed condition reasons', () => {
  it('refuses an unknown reason at compile time wherever a reason is set', () => {
    // @ts-expect-error 'SomethingWentWrong' is not in CONDITION_REASONS
    const blocked = new BlockedError('m', 'SomethingWentWrong');
    // @ts-expect-error readiness reasons come from the catalog too
    const readiness: Readiness = { ready: false, reason: 'OrderPending', message: 'm', requeueAfterMs: 0 };
    // @ts-expect-error buildConditions takes catalogued reasons only
    const conditions = buildConditions(undefined, { ...input('Available'), reason: 'Fine' });
    // @ts-expect-error Event reasons are EVENT_REASONS keys
    const event: EventRecord = { type: 'Normal', reason: 'Reconciled', message: 'm' };
    // @ts-expect-error a kind's warning condition names a catalogued condition type
    buildConditions(undefined, { ...input('Available'), warnings: [{ type: 'Odd', reason: 'DuplicateRecording', message: 'm' }] });
    const known: EventReason = 'CreateRetried';
    expect([blocked.reason, readiness.ready, conditions[0].reason, event.reason, known]).toHaveLength(5);
  });

  it('every reason classify() gives is catalogued, including the terminal AWS errors', () => {
    const names = [
      'BadRequestException',
      'ResourceLimitExceededException',
      'UnprocessableEntityException',
      'ForbiddenException',
      'AccessDeniedException',
      'UnauthorizedClientException',
      'GoneException',
      'ValidationException',
      'ThrottledClientException',
      'ConflictException',
      'NotFoundException',
      'ServiceFailureException',
    ];
    const reasons = names.map((name) => classify(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: 500 } })).reason);
    expect(reasons.filter((r) => !CONDITION_REASONS[r])).toEqual([]);
    expect(reasons).toEqual([
      'AwsRejectedSpec',
      'AwsLimitExceeded',
      'AwsUnprocessableEntity',
      'AwsForbidden',
      'AwsAccessDenied',
      'AwsUnauthorizedClient',
      'AwsGone',
      'AwsValidation',
      'AwsThrottled',
      'AwsConflict',
      'AwsNotFound',
      'AwsUnavailable',
    ]);
  });

  it('isConditionReason tells catalogued reasons from other strings', () => {
    expect(isConditionReason('AwaitingConsistency')).toBe(true);
    expect(isConditionReason('toString')).toBe(false);
    expect(isConditionReason('Reconciled')).toBe(false);
  });
});
