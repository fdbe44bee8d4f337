/**
 * The executor's pace: actions of one plan marked `alongside` go out side by side (another
 * sub-configuration of the same resource), the plan going on once all answered; and each plan goes
 * at its own pace, so one object's settings do not wait for every other object's create, while
 * creates still go one at a time. A fake AWS answers after a few milliseconds and logs what was
 * sent and answered, and what was in flight at once.
 */
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/context.js';
import { executePlans } from '../../src/reconcile/executor.js';
import { Limiter } from '../../src/reconcile/pool.js';
import type { PlannedAction } from '../../src/reconcile/types.js';

const action = (operation: string, extra: Partial<PlannedAction> = {}): PlannedAction => ({
  service: 'voice',
  operation,
  input: { Name: operation },
  description: operation,
  ...extra,
});
const alongside = (operation: string, extra: Partial<PlannedAction> = {}) => action(operation, { ...extra, alongside: true });

function slowAws(opts: { delayMs?: (operation: string) => number; fail?: string[] } = {}) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let creating = 0;
  let maxCreating = 0;
  let ids = 0;
  const aws = {
    send: async (_service: string, operation: string, input: Record<string, unknown>) => {
      const label = `${operation}${input.VoiceConnectorId ? `(${String(input.VoiceConnectorId)})` : ''}`;
      log.push(`send ${label}`);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const create = operation.startsWith('Create');
      if (create) maxCreating = Math.max(maxCreating, ++creating);
      await new Promise((r) => setTimeout(r, opts.delayMs?.(operation) ?? 5));
      inFlight--;
      if (create) creating--;
      log.push(`answer ${label}`);
      if (opts.fail?.includes(operation)) throw Object.assign(new Error(`${operation} refused`), { name: 'BadRequestException' });
      return create ? { VoiceConnector: { VoiceConnectorId: `vc-${++ids}` } } : {};
    },
  } as unknown as AwsContext;
  return { aws, log, max: () => maxInFlight, maxCreating: () => maxCreating };
}

describe('executePlans: actions sent side by side (alongside)', () => {
  it('a run of alongside actions is in flight at once; the next step goes out only after all of them answered; executed reads in plan order', async () => {
    // B answers first, A last: the record still follows the plan.
    const { aws, log, max } = slowAws({ delayMs: (op) => ({ PutA: 30, PutB: 2, PutC: 15 })[op] ?? 5 });
    const [run] = await executePlans(aws, [[action('PutA'), alongside('PutB'), alongside('PutC'), action('PutD'), alongside('PutE')]], {}, new Limiter(10));
    expect(max()).toBe(3);
    expect(log.indexOf('send PutD')).toBeGreaterThan(log.indexOf('answer PutA'));
    expect(log.slice(0, 3)).toEqual(['send PutA', 'send PutB', 'send PutC']);
    expect(log.indexOf('send PutE')).toBe(log.indexOf('send PutD') + 1);
    expect(run.error).toBeUndefined();
    expect(run.executed.map((e) => e.action.operation)).toEqual(['PutA', 'PutB', 'PutC', 'PutD', 'PutE']);
  });

  it('the AWS concurrency bound holds within a run of alongside actions', async () => {
    const { aws, max } = slowAws();
    const plan = [action('Put0'), ...Array.from({ length: 7 }, (_, k) => alongside(`Put${k + 1}`))];
    const [run] = await executePlans(aws, [plan], {}, new Limiter(3));
    expect(max()).toBe(3);
    expect(run.executed).toHaveLength(8);
  });

  it('a failure among alongside actions stops the plan after them: the others are still sent and recorded, the first failure is the error', async () => {
    const { aws, log } = slowAws({ fail: ['PutB', 'PutC'] });
    const [run] = await executePlans(aws, [[action('PutA'), alongside('PutB'), alongside('PutC'), alongside('PutD'), action('PutE')]], {}, new Limiter(10));
    expect(run.executed.map((e) => [e.action.operation, e.ok])).toEqual([
      ['PutA', true],
      ['PutB', false],
      ['PutC', false],
      ['PutD', true],
    ]);
    expect((run.error as Error).message).toBe('PutB refused');
    expect(log).not.toContain('send PutE');
  });

  it('a create goes alone even when the action behind it is marked alongside: that action gets the id the create answered', async () => {
    const { aws, log } = slowAws();
    const create = action('CreateVoiceConnector', { captures: { VoiceConnectorId: 'VoiceConnector.VoiceConnectorId' } });
    const put = (op: string) => alongside(op, { input: { VoiceConnectorId: { $output: 'VoiceConnectorId' } } });
    const [run] = await executePlans(aws, [[create, put('PutVoiceConnectorTermination'), put('PutVoiceConnectorOrigination')]], {}, new Limiter(10));
    expect(log).toEqual([
      'send CreateVoiceConnector',
      'answer CreateVoiceConnector',
      'send PutVoiceConnectorTermination(vc-1)',
      'send PutVoiceConnectorOrigination(vc-1)',
      'answer PutVoiceConnectorTermination(vc-1)',
      'answer PutVoiceConnectorOrigination(vc-1)',
    ]);
    expect(run.error).toBeUndefined();
  });
});

describe('executePlans: each plan at its own pace', () => {
  it("a plan's settings go out while other plans' creates still wait their turn; creates stay one at a time, each recorded around its call", async () => {
    const { aws, log, maxCreating } = slowAws();
    const plans = Array.from({ length: 4 }, () => [
      action('CreateVoiceConnector', { captures: { VoiceConnectorId: 'VoiceConnector.VoiceConnectorId' } }),
      action('PutVoiceConnectorTermination', { input: { VoiceConnectorId: { $output: 'VoiceConnectorId' } } }),
    ]);
    const hookLog: string[] = [];
    const runs = await executePlans(
      aws,
      plans,
      {
        before: async (i, a) => void hookLog.push(`intent ${i} ${a.operation}`),
        after: async (i, done) => void hookLog.push(`answer ${i} ${done.action.operation}`),
      },
      // Two call slots: a create waiting for its turn must not hold one the first connector's Put needs.
      new Limiter(2),
      new Limiter(1),
    );
    expect(maxCreating()).toBe(1);
    expect(runs.every((r) => r.error === undefined && r.executed.length === 2)).toBe(true);
    // The first connector's Put does not wait for the other three creates.
    expect(log.indexOf('send PutVoiceConnectorTermination(vc-1)')).toBeLessThan(log.lastIndexOf('send CreateVoiceConnector'));
    // Each create's intent is recorded before it and its answer right after it, before the next create's intent.
    const creates = hookLog.filter((h) => h.endsWith('CreateVoiceConnector'));
    expect(creates).toEqual(['intent 0 CreateVoiceConnector', 'answer 0 CreateVoiceConnector', 'intent 1 CreateVoiceConnector', 'answer 1 CreateVoiceConnector', 'intent 2 CreateVoiceConnector', 'answer 2 CreateVoiceConnector', 'intent 3 CreateVoiceConnector', 'answer 3 CreateVoiceConnector']);
  });
});

describe('executePlans: each plan is told it ended as soon as it did', () => {
  const assign = (n: number): PlannedAction =>
    action('AssociatePhoneNumbers', {
      input: { VoiceConnectorId: 'vc-1', E164PhoneNumbers: [`+1555000000${n}`] },
      batch: {
        shared: { VoiceConnectorId: 'vc-1' },
        member: 'E164PhoneNumbers',
        items: [`+1555000000${n}`],
        max: 100,
        ids: [`+1555000000${n}`],
        errors: { member: 'PhoneNumberErrors', idField: 'PhoneNumberId' },
        onItemError: 'capture',
      },
    });

  it('a plan that ended is told before a slower plan answers; a failed plan is told too; each once, with its final run', async () => {
    const { aws, log } = slowAws({ delayMs: (op) => ({ PutSlow: 60, PutFast: 2 })[op] ?? 5, fail: ['PutRefused'] });
    const told: number[] = [];
    const runs = await executePlans(
      aws,
      [[action('PutSlow'), action('PutSlowAgain')], [action('PutFast')], [action('PutRefused'), action('PutNever')]],
      {
        finished: (i, run) => {
          told.push(i);
          log.push(`finished ${i} after ${run.executed.length} action(s)`);
        },
      },
      new Limiter(10),
    );
    expect(log.indexOf('finished 1 after 1 action(s)')).toBeGreaterThan(log.indexOf('answer PutFast'));
    expect(log.indexOf('finished 1 after 1 action(s)')).toBeLessThan(log.indexOf('answer PutSlow'));
    expect(log.indexOf('finished 2 after 1 action(s)')).toBeLessThan(log.indexOf('answer PutSlow'));
    expect(log.at(-1)).toBe('finished 0 after 2 action(s)');
    expect(told.sort()).toEqual([0, 1, 2]);
    expect(runs[2].error).toBeDefined();
  });

  it('the plans of a merged call are told when that call answered, not when the plans merged after it did; a plan with nothing to run is told at once', async () => {
    const { aws, log } = slowAws({ delayMs: (op) => (op === 'PutLater' ? 40 : 2) });
    await executePlans(
      aws,
      [[assign(1)], [assign(2)], [assign(3), action('PutLater')], []],
      { finished: (i) => log.push(`finished ${i}`) },
      new Limiter(10),
    );
    expect(log[0]).toBe('finished 3');
    // One merged association carries all three plans; two of them end with it.
    expect(log.filter((l) => l === 'send AssociatePhoneNumbers(vc-1)')).toHaveLength(1);
    const answered = log.indexOf('answer AssociatePhoneNumbers(vc-1)');
    expect(log.slice(answered + 1, answered + 3).sort()).toEqual(['finished 0', 'finished 1']);
    expect(log.indexOf('finished 2')).toBeGreaterThan(log.indexOf('answer PutLater'));
  });
});
