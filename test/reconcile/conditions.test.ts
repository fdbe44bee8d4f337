// buildConditions (src/reconcile/conditions.ts) directly: kstatus polarity, transition times, and
// the Drifted condition carried over from the last pass that observed AWS.
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src/api/common.js';
import { buildConditions, type ConditionInput } from '../../src/reconcile/conditions.js';

const T0 = new Date('2030-01-01T00:00:00Z');
const T1 = new Date('2030-01-01T00:05:00Z');
const input = (over: Partial<ConditionInput> = {}): ConditionInput => ({
  phase: 'Ready',
  reason: 'Available',
  message: 'matches',
  generation: 3,
  drift: [],
  driftPolicy: 'Correct',
  now: T0,
  ...over,
});
const types = (cs: Condition[]) => cs.map((c) => `${c.type}=${c.status}/${c.reason}`);
const find = (cs: Condition[], type: string) => cs.find((c) => c.type === type);
const sizeDrift = [{ path: 'size', desired: 2, actual: 5 }];

describe('buildConditions', () => {
  const table: Array<{ reason: string; in: Partial<ConditionInput>; want: string[] }> = [
    { reason: 'Ready: Ready True, no Reconciling or Stalled', in: {}, want: ['Ready=True/Available', 'Drifted=False/InSync'] },
    { reason: 'Progressing: Reconciling True', in: { phase: 'Progressing', reason: 'OrderProcessing' }, want: ['Ready=False/OrderProcessing', 'Reconciling=True/OrderProcessing', 'Drifted=False/InSync'] },
    { reason: 'Waiting: Reconciling True', in: { phase: 'Waiting', reason: 'ReferenceNotReady', drift: undefined }, want: ['Ready=False/ReferenceNotReady', 'Reconciling=True/ReferenceNotReady'] },
    { reason: 'Error: Reconciling True', in: { phase: 'Error', reason: 'AwsThrottled', drift: undefined }, want: ['Ready=False/AwsThrottled', 'Reconciling=True/AwsThrottled'] },
    { reason: 'DeleteBlocked: Reconciling True', in: { phase: 'DeleteBlocked', reason: 'DeletionWaiting', drift: undefined }, want: ['Ready=False/DeletionWaiting', 'Reconciling=True/DeletionWaiting'] },
    { reason: 'Stalled: Stalled True, no Reconciling', in: { phase: 'Stalled', reason: 'InvalidSpec', drift: undefined }, want: ['Ready=False/InvalidSpec', 'Stalled=True/InvalidSpec'] },
    { reason: 'Planned and Deleted: Ready False alone', in: { phase: 'Planned', reason: 'ChangesPending', drift: undefined }, want: ['Ready=False/ChangesPending'] },
    { reason: 'drift under Correct: DriftDetected', in: { drift: sizeDrift }, want: ['Ready=True/Available', 'Drifted=True/DriftDetected'] },
    { reason: 'drift under Report: DriftReported', in: { drift: sizeDrift, driftPolicy: 'Report' }, want: ['Ready=True/Available', 'Drifted=True/DriftReported'] },
    {
      reason: 'a kind\'s warnings come last, True',
      in: { warnings: [{ type: 'DuplicateRecording', reason: 'DuplicateRecording', message: 'twice' }] },
      want: ['Ready=True/Available', 'Drifted=False/InSync', 'DuplicateRecording=True/DuplicateRecording'],
    },
  ];
  for (const row of table) {
    it(row.reason, () => {
      const out = buildConditions(undefined, input(row.in));
      expect(types(out)).toEqual(row.want);
      for (const c of out) expect(c).toMatchObject({ observedGeneration: 3, lastTransitionTime: T0.toISOString() });
    });
  }

  it('the Drifted message names the paths, and says when Report leaves them', () => {
    expect(find(buildConditions(undefined, input({ drift: sizeDrift })), 'Drifted')?.message).toBe('AWS differs from the spec at size');
    expect(find(buildConditions(undefined, input({ drift: sizeDrift, driftPolicy: 'Report' })), 'Drifted')?.message).toBe('AWS differs from the spec at size (driftPolicy Report: left as is)');
    const redacted = [{ path: 'termination.password', desired: '(x)', actual: '(y)', redacted: 'password changed' }];
    expect(find(buildConditions(undefined, input({ drift: redacted })), 'Drifted')?.message).toBe('AWS differs from the spec at termination.password (password changed)');
  });

  it('keeps lastTransitionTime while the status stays, even as reason and message change', () => {
    const first = buildConditions(undefined, input({ phase: 'Progressing', reason: 'OrderProcessing' }));
    const second = buildConditions(first, input({ phase: 'Error', reason: 'AwsThrottled', message: 'slow down', now: T1 }));
    expect(find(second, 'Ready')).toMatchObject({ status: 'False', reason: 'AwsThrottled', message: 'slow down', lastTransitionTime: T0.toISOString() });
    expect(find(second, 'Reconciling')).toMatchObject({ status: 'True', lastTransitionTime: T0.toISOString() });
  });

  it('moves lastTransitionTime when the status flips, and when a condition comes back', () => {
    const progressing = buildConditions(undefined, input({ phase: 'Progressing', reason: 'OrderProcessing' }));
    const ready = buildConditions(progressing, input({ now: T1 }));
    expect(find(ready, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: T1.toISOString() });
    expect(find(ready, 'Reconciling')).toBeUndefined();
    expect(find(ready, 'Drifted')?.lastTransitionTime).toBe(T0.toISOString());
    const again = buildConditions(ready, input({ phase: 'Progressing', reason: 'UpdateInProgress', now: new Date('2030-01-01T00:09:00Z') }));
    expect(find(again, 'Reconciling')?.lastTransitionTime).toBe('2030-01-01T00:09:00.000Z');
  });

  it('carries the previous Drifted over unchanged when the pass did not observe AWS', () => {
    const observed = buildConditions(undefined, input({ drift: sizeDrift, driftPolicy: 'Report', generation: 2 }));
    const waiting = buildConditions(observed, input({ phase: 'Waiting', reason: 'ReferenceNotReady', drift: undefined, generation: 3, now: T1 }));
    // Same reason, message, generation and time: it speaks for the observation that set it.
    expect(find(waiting, 'Drifted')).toEqual(find(observed, 'Drifted'));
    expect(find(waiting, 'Drifted')?.observedGeneration).toBe(2);
  });

  it('has no Drifted before AWS was ever observed', () => {
    expect(find(buildConditions(undefined, input({ phase: 'Waiting', reason: 'ReferenceNotFound', drift: undefined })), 'Drifted')).toBeUndefined();
  });

  it('a warning that stops holding is dropped', () => {
    const warned = buildConditions(undefined, input({ warnings: [{ type: 'DuplicateRecording', reason: 'DuplicateRecording', message: 'twice' }] }));
    expect(find(buildConditions(warned, input({ now: T1 })), 'DuplicateRecording')).toBeUndefined();
  });
});
