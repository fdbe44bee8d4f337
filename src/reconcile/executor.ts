/**
 * Runs a plan's actions in order. Values an earlier action returns (a new connector's id) reach
 * later actions through `{ $output: name }` placeholders; the first failure stops the plan, since
 * later actions depend on earlier ones.
 */
import type { AwsContext } from '../aws/context.js';
import type { ExecutedAction, OutputRef, PlannedAction } from './types.js';

export interface PlanRun {
  executed: ExecutedAction[];
  captures: Record<string, unknown>;
  error?: unknown;
}

export async function executePlan(aws: AwsContext, actions: PlannedAction[]): Promise<PlanRun> {
  const captures: Record<string, unknown> = {};
  const executed: ExecutedAction[] = [];
  for (const action of actions) {
    try {
      const input = substitute(action.input, captures) as Record<string, unknown>;
      const output = await aws.send(action.service, action.operation, input);
      for (const [name, path] of Object.entries(action.captures ?? {})) captures[name] = at(output, path);
      executed.push({ action, ok: true });
    } catch (error) {
      executed.push({ action, ok: false, error: (error as Error).message });
      return { executed, captures, error };
    }
  }
  return { executed, captures };
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

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);
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
