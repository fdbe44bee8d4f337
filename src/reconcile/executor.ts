/**
 * Runs plans' actions in order. Values an earlier action returns (a new connector's id) reach
 * later actions through `{ $output: name }` placeholders; the first failure stops the plan, since
 * later actions depend on earlier ones. Actions marked `alongside` need nothing from the action
 * before them (another sub-configuration of the same resource): a run of them goes out side by
 * side, and the plan goes on once all answered (or stops there if one failed).
 *
 * Actions marked `after` wait for something AWS reaches later: they and everything behind them
 * stay for a later pass, which plans them again from what AWS then holds.
 *
 * Several plans (one per object of a pass) run together, each at its own pace: a plan's single
 * calls follow one another as soon as the previous answered, whatever the other plans are doing
 * (one connector's settings need not wait for every other connector's create). Actions AWS can
 * carry many of in one call (BatchSpec) wait until no plan has a single call left before them, and
 * then go out merged; calls run a bounded number at a time across all plans. A plan that ended is
 * told at once (`finished`), so its object's status need not wait for the other plans.
 */
import type { AwsContext } from '../aws/context.js';
import { batchKey, mergeBatch, splitOutput } from './batch.js';
import { isCreate } from './create-pending.js';
import type { Limiter } from './pool.js';
import type { ExecutedAction, OutputRef, PlannedAction } from './types.js';

export interface PlanRun {
  executed: ExecutedAction[];
  captures: Record<string, unknown>;
  error?: unknown;
}

/** The actions apply sends in this pass: those before the first one that waits for AWS (`after`). */
export function runnableNow(actions: PlannedAction[]): PlannedAction[] {
  const waiting = actions.findIndex((a) => a.after !== undefined);
  return waiting < 0 ? actions : actions.slice(0, waiting);
}

/**
 * Called around single (unmerged) calls, with the index of the plan. `before` runs before the call
 * is sent, and a throw stops that plan with the error, the call unsent (a create whose intent could
 * not be recorded is not made). `after` runs once the call answered successfully.
 */
export interface ExecutionHooks {
  before?(plan: number, action: PlannedAction): Promise<void>;
  /** Must not throw: the call took effect whatever happens here. */
  after?(plan: number, done: ExecutedAction, captures: Record<string, unknown>): Promise<void>;
  /**
   * Plan `plan` has nothing left to send (every action answered, or one failed), with its `after`
   * hooks done: its object can be observed and given a status while other plans still run. Called
   * once per plan, the run being final. Must not throw.
   */
  finished?(plan: number, run: PlanRun): void;
}

export async function executePlan(aws: AwsContext, actions: PlannedAction[]): Promise<PlanRun> {
  return (await executePlans(aws, [actions]))[0];
}

/**
 * Runs many plans. A step runs every plan's next action that cannot merge, one by one; when only
 * mergeable actions are next, it sends one batch key's group: the first group that no plan will
 * add to later (every pending action of that key is next in its plan), else the largest. So plans
 * shaped [rename, assign] and [assign] still send one association call, not two.
 */
export async function executePlans(
  aws: AwsContext,
  planned: PlannedAction[][],
  hooks: ExecutionHooks = {},
  limiter?: Limiter,
  /**
   * Creates go through this one at a time: between its recorded intent and its answer a create
   * cannot be told from one never sent, so a process killed with several in that window would leave
   * each to wait out its grace period (create-pending.ts). One at a time, a kill strands at most one.
   */
  createLimiter?: Limiter,
): Promise<PlanRun[]> {
  const limitedAny = <T>(work: () => Promise<T>): Promise<T> => (limiter ? limiter.run(work) : work());
  // A write that waits for AWS (`after`) is never sent in the pass that planned it.
  const plans = planned.map(runnableNow);
  const runs: PlanRun[] = plans.map(() => ({ executed: [], captures: {} }));
  const next = plans.map(() => 0);
  const ended = (i: number) => runs[i].error !== undefined || next[i] >= plans[i].length;
  const live = () => plans.map((_, i) => i).filter((i) => !ended(i));
  const told = new Set<number>();
  /** Tells `finished` of plan i once it ended (an object whose last action was merged ends when that call answers). */
  const tellIfEnded = (i: number) => {
    if (!ended(i) || told.has(i)) return;
    told.add(i);
    hooks.finished?.(i, runs[i]);
  };
  plans.forEach((_, i) => tellIfEnded(i));

  const record = (i: number, done: ExecutedAction, output?: unknown, error?: unknown) => {
    const action = plans[i][next[i]];
    runs[i].executed.push(done);
    // Within actions sent side by side, the first failure in plan order is the plan's error.
    if (error !== undefined) runs[i].error ??= error;
    else for (const [name, path] of Object.entries(action.captures ?? {})) if (path !== undefined) runs[i].captures[name] = at(output, path);
    next[i]++;
  };

  // The create token is taken before a call slot: a create waiting for its turn holds no slot other calls could use.
  const limited = <T>(work: () => Promise<T>, action?: PlannedAction): Promise<T> =>
    createLimiter && action && isCreate(action) ? createLimiter.run(() => limitedAny(work)) : limitedAny(work);

  type Answer = { ok: true; output: unknown } | { ok: false; error: unknown };
  const send = async (i: number, action: PlannedAction): Promise<Answer> => {
    try {
      const input = substitute(action.input, runs[i].captures) as Record<string, unknown>;
      await hooks.before?.(i, action);
      return { ok: true, output: await aws.send(action.service, action.operation, input, action.region) };
    } catch (error) {
      return { ok: false, error };
    }
  };
  const settle = async (i: number, answer: Answer) => {
    const action = plans[i][next[i]];
    if (!answer.ok) {
      record(i, { action, ok: false, error: (answer.error as Error).message }, undefined, answer.error);
      return;
    }
    const done: ExecutedAction = { action, ok: true, output: answer.output };
    record(i, done, answer.output);
    await hooks.after?.(i, done, runs[i].captures);
  };
  const runOne = async (i: number, action: PlannedAction) => settle(i, await send(i, action));

  /**
   * The next single action of plan i and the `alongside` actions right behind it. A create always
   * goes alone: its intent and answer are recorded around it under the create token.
   */
  const groupAt = (i: number): PlannedAction[] => {
    const plan = plans[i];
    const group = [plan[next[i]]];
    if (isCreate(group[0])) return group;
    for (let k = next[i] + 1; k < plan.length && plan[k].alongside && !plan[k].batch && !isCreate(plan[k]); k++) group.push(plan[k]);
    return group;
  };

  /** Runs plan i's single actions until its next one merges with other plans', or it ends or fails. */
  const runSingles = async (i: number) => {
    while (runs[i].error === undefined && next[i] < plans[i].length && !plans[i][next[i]].batch) {
      const group = groupAt(i);
      if (group.length === 1) {
        await limited(() => runOne(i, group[0]), group[0]);
        continue;
      }
      const answers = await Promise.all(group.map((action) => limited(() => send(i, action), action)));
      // Recorded in plan order, whatever order AWS answered in: executed lists read as the plan did.
      for (const answer of answers) await settle(i, answer);
    }
    tellIfEnded(i);
  };

  for (let ids = live(); ids.length > 0; ids = live()) {
    // Nothing gains by waiting: single calls run now, and mergeable actions wait for more plans to reach them.
    if (ids.some((i) => !plans[i][next[i]].batch)) {
      await Promise.all(ids.map(runSingles));
      continue;
    }
    // Placeholders resolved first: two plans' `{ $output: VoiceConnectorId }` are different connectors.
    const heads = new Map<number, PlannedAction>();
    for (const i of ids) {
      const raw = plans[i][next[i]];
      try {
        heads.set(i, { ...raw, batch: substitute(raw.batch, runs[i].captures) as PlannedAction['batch'] });
      } catch (error) {
        record(i, { action: raw, ok: false, error: (error as Error).message }, undefined, error);
        tellIfEnded(i);
      }
    }
    if (heads.size === 0) continue;

    const groups = new Map<string, number[]>();
    for (const [i, action] of heads) {
      const key = batchKey(action)!;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    const pendingOf = (key: string) =>
      ids.reduce((n, i) => n + plans[i].slice(next[i]).filter((a) => a.batch && batchKey({ ...a, batch: substituteLoose(a.batch, runs[i].captures) }) === key).length, 0);
    const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
    const [, members] = ordered.find(([key, m]) => pendingOf(key) === m.length) ?? ordered[0];

    if (members.length === 1) {
      const i = members[0];
      await limited(() => runOne(i, plans[i][next[i]]), plans[i][next[i]]);
      tellIfEnded(i);
      continue;
    }
    const actions = members.map((i) => heads.get(i)!);
    const { calls, alone } = mergeBatch(actions);
    await Promise.all(
      alone.map(async (k) => {
        await limited(() => runOne(members[k], plans[members[k]][next[members[k]]]), plans[members[k]][next[members[k]]]);
        tellIfEnded(members[k]);
      }),
    );
    for (const call of calls) {
      const batched = { operation: call.operation, actions: call.members.length };
      try {
        const output = (await limitedAny(() => aws.send(call.service, call.operation, call.input, call.region))) as Record<string, unknown>;
        for (const k of call.members) {
          const i = members[k];
          const split = splitOutput(actions[k], output ?? {});
          if (split.ok) record(i, { action: plans[i][next[i]], ok: true, output: split.output, batched }, split.output);
          else record(i, { action: plans[i][next[i]], ok: false, error: split.error.message, batched }, undefined, split.error);
        }
      } catch (error) {
        // The whole call failed: every action it carried failed with it.
        for (const k of call.members) {
          const i = members[k];
          record(i, { action: plans[i][next[i]], ok: false, error: (error as Error).message, batched }, undefined, error);
        }
      }
      // Each object of this call goes on to its status now, not after the calls merged after it.
      for (const k of call.members) tellIfEnded(members[k]);
    }
  }
  plans.forEach((_, i) => tellIfEnded(i));
  return runs;
}

const isOutputRef = (v: unknown): v is OutputRef => typeof v === 'object' && v !== null && '$output' in v;

function substitute(value: unknown, captures: Record<string, unknown>): unknown {
  if (isOutputRef(value)) {
    if (!(value.$output in captures)) throw new Error(`plan error: no earlier action returned ${value.$output}`);
    return captures[value.$output];
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, captures));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, captures)]));
  }
  return value;
}

/** Like substitute, but leaves placeholders not yet returned in place (for keys of later actions). */
function substituteLoose<T>(value: T, captures: Record<string, unknown>): T {
  try {
    return substitute(value, captures) as T;
  } catch {
    return value;
  }
}

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), obj);
}

/** The action's input as `plan` prints it: placeholders in words, sensitive members masked. */
export function printableInput(action: PlannedAction): Record<string, unknown> {
  const mask = (value: unknown, key?: string): unknown => {
    if (key && action.sensitive?.includes(key)) return '(sensitive)';
    if (isOutputRef(value)) return `(${value.$output} from an earlier step)`;
    if (Array.isArray(value)) return value.map((v) => mask(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
    return value;
  };
  return mask(action.input) as Record<string, unknown>;
}

/** An action's description as plan shows it: prefixed with what it waits for, if anything. */
export function describeAction(action: PlannedAction): string {
  return action.after ? `(after ${action.after.awaits}) ${action.description}` : action.description;
}
