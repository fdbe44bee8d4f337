// How `destroy` (and its --dry-run) and `plan --prune` show deletions: per object, the calls that
// delete it (marked when they wait for other deletions), or that deletionPolicy Retain leaves it in
// AWS, or what blocks it.
import { describeAction, printableInput } from '../reconcile/executor.js';
import type { ReconcileResult } from '../reconcile/types.js';
import type { ObjectReport } from '../sources/directory-mode.js';
import { plural, type painter } from './output.js';

type Paint = ReturnType<typeof painter>;

export type DeletionOutcome = 'delete' | 'retain' | 'gone' | 'blocked';

export function deletionOutcome(result: ReconcileResult): DeletionOutcome {
  const reason = result.status.conditions?.find((c) => c.type === 'Ready')?.reason;
  if (result.deleted) return reason === 'Retained' ? 'retain' : 'gone';
  return result.phase === 'Planned' ? 'delete' : 'blocked';
}

const blockMessage = (result: ReconcileResult) =>
  result.status.conditions?.find((c) => c.type === 'Stalled')?.message ?? result.status.conditions?.find((c) => c.type === 'Ready')?.message ?? result.phase;

/** The counts a summary line gives. */
export function deletionCounts(reports: ObjectReport[]) {
  const of = (o: DeletionOutcome) => reports.filter((r) => deletionOutcome(r.result) === o);
  const calls = of('delete').flatMap((r) => r.result.actions.map((a) => a.action));
  return {
    deleted: of('delete').length,
    retained: of('retain').length,
    gone: of('gone').length,
    blocked: of('blocked').length,
    callsNow: calls.filter((a) => !a.after).length,
    callsLater: calls.filter((a) => a.after).length,
  };
}

/** Text lines, one block per object, in the order the deletions run. */
export function deletionLines(reports: ObjectReport[], paint: Paint): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    const name = paint('bold', `${r.key.kind} ${r.key.namespace}/${r.key.name}`);
    switch (deletionOutcome(r.result)) {
      case 'retain':
        lines.push(`${name}: left in AWS (deletionPolicy Retain)`);
        break;
      case 'gone':
        lines.push(`${name}: ${paint('dim', 'already gone from AWS')}`);
        break;
      case 'blocked':
        lines.push(name, `  ${paint('red', `! ${blockMessage(r.result)}`)}`);
        break;
      case 'delete':
        lines.push(name);
        for (const { action } of r.result.actions) {
          lines.push(`  ${paint('red', '-')} ${describeAction(action)}`);
          lines.push(paint('dim', `      ${action.operation} ${JSON.stringify(printableInput(action))}`));
        }
    }
  }
  return lines;
}

/** Markdown table rows (`| object | deletion |`) for a pull request comment. */
export function deletionRows(reports: ObjectReport[], escape: (s: string) => string): string[] {
  return reports.map((r) => {
    const outcome = deletionOutcome(r.result);
    const what =
      outcome === 'retain'
        ? 'left in AWS (deletionPolicy Retain)'
        : outcome === 'gone'
          ? 'already gone from AWS'
          : outcome === 'blocked'
            ? `**blocked**: ${escape(blockMessage(r.result))}`
            : r.result.actions.map((a) => escape(describeAction(a.action))).join('<br>');
    return `| \`${r.key.kind} ${r.key.namespace}/${r.key.name}\` | ${what} |`;
  });
}

/** `3 objects to delete (4 AWS calls now, 2 after the deletions they wait for), 1 left in AWS, 1 blocked`. */
export function deletionSummary(reports: ObjectReport[]): string {
  const c = deletionCounts(reports);
  const calls = c.callsLater > 0 ? `${plural(c.callsNow, 'AWS call')} now, ${c.callsLater} after the deletions they wait for` : plural(c.callsNow, 'AWS call');
  const parts = [`${plural(c.deleted, 'object')} to delete (${calls})`];
  if (c.retained > 0) parts.push(`${c.retained} left in AWS (deletionPolicy Retain)`);
  if (c.gone > 0) parts.push(`${c.gone} already gone`);
  if (c.blocked > 0) parts.push(`${c.blocked} blocked`);
  return parts.join(', ');
}
