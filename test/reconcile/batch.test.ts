/**
 * Batching of planned actions (issue 4): the pure merge (keys, chunks, unique ids), the split of a
 * merged answer back to each action (API4 per-number errors), and the executor's scheduling of
 * many plans against a recording fake of AWS.
 */
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/context.js';
import { batchKey, mergeBatch, splitOutput } from '../../src/reconcile/batch.js';
import { canonical } from '../../src/core/canonical.js';
import { executePlans } from '../../src/reconcile/executor.js';
import type { PlannedAction } from '../../src/reconcile/types.js';
import { classify } from '../../src/reconcile/errors.js';

const ERRORS = { member: 'PhoneNumberErrors', idField: 'PhoneNumberId' };

function assoc(e164: string, connector = 'vc-1', force = true): PlannedAction {
  const shared = { VoiceConnectorId: connector, ForceAssociate: force };
  return {
    service: 'voice',
    operation: 'AssociatePhoneNumbersWithVoiceConnector',
    input: { ...shared, E164PhoneNumbers: [e164] },
    description: `assign ${e164}`,
    captures: { AssociationErrors: 'PhoneNumberErrors' },
    batch: { shared, member: 'E164PhoneNumbers', items: [e164], max: 100, ids: [e164], errors: ERRORS, onItemError: 'capture' },
  };
}

function update(id: string, member: string, value: string): PlannedAction {
  return {
    service: 'voice',
    operation: 'UpdatePhoneNumber',
    input: { PhoneNumberId: id, [member]: value },
    description: `set ${member} of ${id}`,
    batch: {
      operation: 'BatchUpdatePhoneNumber',
      shared: {},
      member: 'UpdatePhoneNumberRequestItems',
      items: [{ PhoneNumberId: id, [member]: value }],
      max: 100,
      ids: [id],
      errors: ERRORS,
      onItemError: 'fail',
      unique: true,
    },
  };
}

const single = (operation: string, input: Record<string, unknown> = {}): PlannedAction => ({ service: 'voice', operation, input, description: operation });
const n = (i: number) => `+1206201${String(i).padStart(4, '0')}`;

describe('batchKey', () => {
  it.each([
    ['same connector and force flag: one key', assoc(n(1)), assoc(n(2)), true],
    ['another connector: another key', assoc(n(1), 'vc-1'), assoc(n(2), 'vc-2'), false],
    ['another force flag: another key', assoc(n(1), 'vc-1', true), assoc(n(2), 'vc-1', false), false],
    ['a rename and a calling name (both BatchUpdatePhoneNumber items): one key', update(n(1), 'Name', 'a'), update(n(2), 'CallingName', 'b'), true],
    ['an association and an update: another key', assoc(n(1)), update(n(1), 'Name', 'a'), false],
  ])('%s', (_name, a, b, equal) => {
    expect(batchKey(a) === batchKey(b)).toBe(equal);
  });

  it('is undefined for an action without a batch spec, and ignores member order of the shared input', () => {
    expect(batchKey(single('CreateVoiceConnector'))).toBeUndefined();
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonical({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});

describe('mergeBatch (pure)', () => {
  const cases: Array<{ name: string; actions: PlannedAction[]; calls: Array<{ operation: string; input: Record<string, unknown>; members: number[] }>; alone?: number[] }> = [
    {
      name: 'three numbers to one connector: one call with the three numbers, shared members once',
      actions: [assoc(n(1)), assoc(n(2)), assoc(n(3))],
      calls: [{ operation: 'AssociatePhoneNumbersWithVoiceConnector', input: { VoiceConnectorId: 'vc-1', ForceAssociate: true, E164PhoneNumbers: [n(1), n(2), n(3)] }, members: [0, 1, 2] }],
    },
    {
      name: 'updates become BatchUpdatePhoneNumber items, one attribute per item',
      actions: [update(n(1), 'Name', 'Front desk'), update(n(2), 'CallingName', 'ACME')],
      calls: [
        {
          operation: 'BatchUpdatePhoneNumber',
          input: { UpdatePhoneNumberRequestItems: [{ PhoneNumberId: n(1), Name: 'Front desk' }, { PhoneNumberId: n(2), CallingName: 'ACME' }] },
          members: [0, 1],
        },
      ],
    },
    {
      name: 'two updates of one number never share a call (AWS refuses duplicate ids)',
      actions: [update(n(1), 'Name', 'x'), update(n(1), 'CallingName', 'y'), update(n(2), 'Name', 'z')],
      calls: [
        { operation: 'BatchUpdatePhoneNumber', input: { UpdatePhoneNumberRequestItems: [{ PhoneNumberId: n(1), Name: 'x' }, { PhoneNumberId: n(2), Name: 'z' }] }, members: [0, 2] },
        { operation: 'BatchUpdatePhoneNumber', input: { UpdatePhoneNumberRequestItems: [{ PhoneNumberId: n(1), CallingName: 'y' }] }, members: [1] },
      ],
    },
    {
      name: 'an action with more items than a call takes runs alone',
      actions: [{ ...assoc(n(1)), batch: { ...assoc(n(1)).batch!, items: [n(1), n(2), n(3)], max: 2 } }, { ...assoc(n(4)), batch: { ...assoc(n(4)).batch!, max: 2 } }],
      calls: [{ operation: 'AssociatePhoneNumbersWithVoiceConnector', input: { VoiceConnectorId: 'vc-1', ForceAssociate: true, E164PhoneNumbers: [n(4)] }, members: [1] }],
      alone: [0],
    },
  ];
  it.each(cases)('$name', ({ actions, calls, alone }) => {
    const merged = mergeBatch(actions);
    expect(merged.calls.map(({ operation, input, members }) => ({ operation, input, members }))).toEqual(calls);
    expect(merged.alone).toEqual(alone ?? []);
  });

  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('%i numbers to one connector make %i calls of at most 100', (count, expected) => {
    const merged = mergeBatch(Array.from({ length: count }, (_, i) => assoc(n(i))));
    expect(merged.calls).toHaveLength(expected);
    expect(merged.calls.every((c) => (c.input.E164PhoneNumbers as string[]).length <= 100)).toBe(true);
    expect(merged.calls.flatMap((c) => c.members)).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});

describe('splitOutput: each action sees only its own per-number errors (API4)', () => {
  const answer = {
    PhoneNumberErrors: [
      { PhoneNumberId: n(2), ErrorCode: 'BadRequest', ErrorMessage: 'only VoiceConnector numbers can be associated' },
      { PhoneNumberId: n(3), ErrorCode: 'Conflict', ErrorMessage: 'busy' },
    ],
  };
  it.each([
    ['no error of its own: an empty error list', assoc(n(1)), { ok: true, output: { PhoneNumberErrors: [] } }],
    ['its own error only', assoc(n(2)), { ok: true, output: { PhoneNumberErrors: [answer.PhoneNumberErrors[0]] } }],
  ])('association, %s', (_name, action, expected) => {
    expect(splitOutput(action, answer)).toEqual(expected);
  });

  it('an error naming no number concerns every action of the call', () => {
    const split = splitOutput(assoc(n(1)), { PhoneNumberErrors: [{ ErrorCode: 'ServiceFailure', ErrorMessage: 'x' }] });
    expect(split).toEqual({ ok: true, output: { PhoneNumberErrors: [{ ErrorCode: 'ServiceFailure', ErrorMessage: 'x' }] } });
  });

  it.each([
    ['BadRequest', 'BadRequestException', true],
    ['Conflict', 'ConflictException', false],
    ['Throttled', 'ThrottledClientException', false],
    ['Unprocessable', 'UnprocessableEntityException', true],
  ])('an update item error %s fails the action as %s (terminal %s), as UpdatePhoneNumber would throw', (code, name, terminal) => {
    const split = splitOutput(update(n(5), 'Name', 'x'), { PhoneNumberErrors: [{ PhoneNumberId: n(5), ErrorCode: code, ErrorMessage: 'no' }] });
    expect(split.ok).toBe(false);
    if (split.ok) return;
    expect(split.error.name).toBe(name);
    expect(split.error.message).toBe('no');
    expect(classify(split.error).terminal).toBe(terminal);
  });

  it("another number's update error does not fail this action", () => {
    expect(splitOutput(update(n(6), 'Name', 'x'), { PhoneNumberErrors: [{ PhoneNumberId: n(5), ErrorCode: 'BadRequest', ErrorMessage: 'no' }] })).toEqual({
      ok: true,
      output: { PhoneNumberErrors: [] },
    });
  });
});

/** A fake AwsContext that records calls and answers from a function. */
function fakeAws(answer: (operation: string, input: any) => unknown = () => ({})) {
  const calls: Array<{ operation: string; input: any }> = [];
  const aws = {
    send: async (_service: string, operation: string, input: any) => {
      calls.push({ operation, input });
      const out = answer(operation, input);
      if (out instanceof Error) throw out;
      return out;
    },
  } as unknown as AwsContext;
  return { aws, calls };
}

describe('executePlans: many plans, each in its own order, merged where AWS allows', () => {
  it('never sends a write that waits for AWS (after), nor anything planned behind it, in the pass that planned it', async () => {
    const { aws, calls } = fakeAws(() => ({ PhoneNumberErrors: [] }));
    const later = { awaits: 'the order completes' };
    const runs = await executePlans(aws, [
      [single('CreatePhoneNumberOrder'), { ...update(n(1), 'CallingName', 'c'), after: later }, assoc(n(1))],
      [{ ...assoc(n(2)), after: later }],
      [assoc(n(3))],
    ]);
    expect(calls.map((c) => [c.operation, c.input.E164PhoneNumbers])).toEqual([
      ['CreatePhoneNumberOrder', undefined],
      ['AssociatePhoneNumbersWithVoiceConnector', [n(3)]],
    ]);
    expect(runs.map((r) => r.executed.map((e) => e.action.operation))).toEqual([['CreatePhoneNumberOrder'], [], ['AssociatePhoneNumbersWithVoiceConnector']]);
  });

  it('plans [rename, assign] and [assign] send one rename and ONE association call', async () => {
    const { aws, calls } = fakeAws(() => ({ PhoneNumberErrors: [] }));
    const runs = await executePlans(aws, [[update(n(1), 'Name', 'a'), assoc(n(1))], [assoc(n(2))], [update(n(3), 'CallingName', 'c'), update(n(3), 'Name', 'd'), assoc(n(3))]]);
    expect(calls.map((c) => c.operation)).toEqual(['BatchUpdatePhoneNumber', 'UpdatePhoneNumber', 'AssociatePhoneNumbersWithVoiceConnector']);
    expect(calls[2].input.E164PhoneNumbers).toEqual([n(1), n(2), n(3)]);
    expect(runs.every((r) => r.error === undefined && r.executed.every((e) => e.ok))).toBe(true);
    expect(runs[0].executed[1].batched).toEqual({ operation: 'AssociatePhoneNumbersWithVoiceConnector', actions: 3 });
    // A lone action goes out as planned, not as a batch of one.
    expect(runs[2].executed[1].batched).toBeUndefined();
  });

  it('actions without a batch spec run first, in each plan\'s order; captures stay per plan', async () => {
    let id = 0;
    const { aws, calls } = fakeAws((op) => (op === 'CreateVoiceConnector' ? { VoiceConnector: { VoiceConnectorId: `vc-${++id}` } } : { PhoneNumberErrors: [] }));
    const create = { ...single('CreateVoiceConnector'), captures: { VoiceConnectorId: 'VoiceConnector.VoiceConnectorId' } };
    const assignToNew = (e164: string): PlannedAction => {
      const a = assoc(e164);
      const shared = { VoiceConnectorId: { $output: 'VoiceConnectorId' }, ForceAssociate: true };
      return { ...a, input: { ...shared, E164PhoneNumbers: [e164] }, batch: { ...a.batch!, shared } };
    };
    const runs = await executePlans(aws, [[create, assignToNew(n(1))], [create, assignToNew(n(2))]]);
    expect(calls.map((c) => c.operation)).toEqual(['CreateVoiceConnector', 'CreateVoiceConnector', 'AssociatePhoneNumbersWithVoiceConnector', 'AssociatePhoneNumbersWithVoiceConnector']);
    // Two different connectors: never merged although the planned inputs looked alike.
    expect(calls.slice(2).map((c) => [c.input.VoiceConnectorId, c.input.E164PhoneNumbers])).toEqual([
      ['vc-1', [n(1)]],
      ['vc-2', [n(2)]],
    ]);
    expect(runs.map((r) => r.captures.VoiceConnectorId)).toEqual(['vc-1', 'vc-2']);
  });

  it('a per-number error goes to exactly the plan of that number; an update item error stops only its plan', async () => {
    const { aws } = fakeAws((op, input) => {
      if (op === 'BatchUpdatePhoneNumber') return { PhoneNumberErrors: [{ PhoneNumberId: n(2), ErrorCode: 'Conflict', ErrorMessage: 'calling name cooldown' }] };
      return { PhoneNumberErrors: input.E164PhoneNumbers.includes(n(3)) ? [{ PhoneNumberId: n(3), ErrorCode: 'BadRequest', ErrorMessage: 'wrong product type' }] : [] };
    });
    const runs = await executePlans(aws, [
      [update(n(1), 'Name', 'a'), assoc(n(1))],
      [update(n(2), 'CallingName', 'b'), assoc(n(2))],
      [update(n(3), 'Name', 'c'), assoc(n(3))],
    ]);
    expect(runs[0].error).toBeUndefined();
    expect(runs[0].captures).toEqual({ AssociationErrors: [] });
    expect((runs[1].error as Error).name).toBe('ConflictException');
    expect(runs[1].executed.map((e) => e.ok)).toEqual([false]);
    expect(runs[2].captures.AssociationErrors).toEqual([{ PhoneNumberId: n(3), ErrorCode: 'BadRequest', ErrorMessage: 'wrong product type' }]);
  });

  it('a merged call that fails whole fails every action it carried, and nothing after them', async () => {
    const boom = Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailableException' });
    const { aws, calls } = fakeAws((op) => (op === 'AssociatePhoneNumbersWithVoiceConnector' ? boom : {}));
    const runs = await executePlans(aws, [[assoc(n(1)), update(n(1), 'Name', 'x')], [assoc(n(2))]]);
    expect(calls.map((c) => c.operation)).toEqual(['AssociatePhoneNumbersWithVoiceConnector']);
    expect(runs.map((r) => r.error)).toEqual([boom, boom]);
    expect(runs[0].executed).toHaveLength(1);
  });

  it('250 numbers to one connector: 3 association calls', async () => {
    const { aws, calls } = fakeAws(() => ({ PhoneNumberErrors: [] }));
    await executePlans(aws, Array.from({ length: 250 }, (_, i) => [assoc(n(i))]));
    expect(calls.map((c) => c.input.E164PhoneNumbers.length)).toEqual([100, 100, 50]);
  });
});
