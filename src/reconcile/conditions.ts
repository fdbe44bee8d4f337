/**
 * Status conditions that read like sentences, with kstatus polarity: Ready is always present;
 * Reconciling and Stalled only while True; Drifted always present once observed.
 */
import type { Condition } from '../api/common.js';
import type { ConditionReason } from './reasons.js';
import type { ConditionWarning, Difference, ObjectStatus, Phase } from './types.js';

export type { ConditionWarning };

export interface ConditionInput {
  phase: Phase;
  reason: ConditionReason;
  message: string;
  generation: number | undefined;
  drift: Difference[] | undefined;
  driftPolicy: 'Correct' | 'Report';
  warnings?: ConditionWarning[];
  now: Date;
}


export function buildConditions(previous: Condition[] | undefined, input: ConditionInput): Condition[] {
  const at = input.now.toISOString();
  const gen = input.generation;
  const next: Array<Omit<Condition, 'lastTransitionTime'>> = [];
  const base = { observedGeneration: gen };
  const ready = input.phase === 'Ready';
  next.push({ type: 'Ready', status: ready ? 'True' : 'False', reason: input.reason, message: input.message, ...base });
  if (input.phase === 'Progressing' || input.phase === 'Waiting' || input.phase === 'Error' || input.phase === 'DeleteBlocked') {
    next.push({ type: 'Reconciling', status: 'True', reason: input.reason, message: input.message, ...base });
  }
  if (input.phase === 'Stalled') next.push({ type: 'Stalled', status: 'True', reason: input.reason, message: input.message, ...base });
  if (input.drift !== undefined) {
    const drifted = input.drift.length > 0;
    next.push({
      type: 'Drifted',
      status: drifted ? 'True' : 'False',
      reason: drifted ? (input.driftPolicy === 'Report' ? 'DriftReported' : 'DriftDetected') : 'InSync',
      message: drifted
        ? `AWS differs from the spec at ${input.drift.map(driftLabel).join(', ')}${input.driftPolicy === 'Report' ? ' (driftPolicy Report: left as is)' : ''}`
        : 'AWS matches the spec',
      ...base,
    });
  } else {
    const prev = previous?.find((c) => c.type === 'Drifted');
    if (prev) next.push({ ...prev, observedGeneration: prev.observedGeneration });
  }
  for (const w of input.warnings ?? []) next.push({ type: w.type, status: 'True', reason: w.reason, message: w.message, ...base });
  return next.map((c) => {
    const prev = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime : at;
    return { ...c, lastTransitionTime } as Condition;
  });
}

/** JSON-encodes a drift value for status: strings as they are, absent as absent. */
export function encodeDriftValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 4096 ? `${text.slice(0, 4093)}...` : text;
}

/** A drift entry's path as messages and Events name it, with the words that stand for a redacted value. */
export function driftLabel(d: Difference): string {
  return d.redacted ? `${d.path} (${d.redacted})` : d.path;
}

export function driftEntries(diffs: Difference[]): NonNullable<ObjectStatus['drift']> {
  return diffs.slice(0, 256).map((d) => {
    // A redacted value (a password) is said in words; not even a placeholder value goes to status.
    if (d.redacted) return { path: d.path, message: d.redacted };
    const entry: { path: string; desired?: string; actual?: string } = { path: d.path };
    const desired = encodeDriftValue(d.desired);
    const actual = encodeDriftValue(d.actual);
    if (desired !== undefined) entry.desired = desired;
    if (actual !== undefined) entry.actual = actual;
    return entry;
  });
}

export function conditionOf(status: ObjectStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function isReady(status: ObjectStatus | undefined): boolean {
  return conditionOf(status, 'Ready')?.status === 'True';
}
