// What `plan` prints: text for a terminal, Markdown for a pull request comment, JSON for scripts;
// and the heading of a run AWS could not be asked about. Apart from the commands that talk to AWS,
// so that rendering loads no AWS SDK (test/package/startup-imports.test.ts).
import type { RouteComparison } from '../domain/routes/compare.js';
import { planRoutesMarkdown } from './routes/plan-routes.js';
import { printableInput } from '../reconcile/executor.js';
import type { ObjectKey, PlannedAction } from '../reconcile/types.js';
import { keyString } from '../reconcile/types.js';
import type { AwsNotAsked, DirectoryRun, ObjectReport } from '../sources/directory-mode.js';
import { formatLocation } from '../sources/directory.js';
import { deletionLines, deletionOutcome, deletionRows, deletionSummary } from './deletions.js';
import { painter, plural } from './output.js';

export const objectName = (key: ObjectKey) => `${key.kind} ${key.namespace}/${key.name}`;

/** Where the run went: the endpoint, or AWS's own for the region. */
function endpointOf(n: AwsNotAsked): string {
  return n.endpoint ? `${n.endpoint} (region ${n.region})` : `the AWS endpoint of region ${n.region}`;
}

/** The heading of a run AWS could not be asked about: what failed, where, and which objects it leaves out. */
export function notAskedLines(n: AwsNotAsked, verb: string, paint: ReturnType<typeof painter>): string[] {
  const what = /Credentials/.test(n.reason)
    ? 'AWS credentials not usable for'
    : /AccessDenied|Forbidden|UnauthorizedClient/.test(n.reason)
      ? 'AWS denied access at'
      : 'AWS unreachable at';
  return [
    paint('red', `${what} ${endpointOf(n)}: ${n.message} [${n.reason}]`),
    `${plural(n.objects.length, 'object')} not ${verb}: ${n.objects.map(objectName).join(', ')}`,
  ];
}

/**
 * What a plan found, counted once for every output format. "No changes" is said only when every
 * object was observed and found in sync: an object AWS could not be asked about, or one that
 * failed, makes the plan incomplete.
 */
export interface PlanVerdict {
  /** Objects with drift or calls to make. */
  changing: number;
  /** Calls apply sends in its next pass. */
  calls: number;
  /** Writes that wait for AWS (an order to complete): sent on a later pass, counted apart. */
  deferred: PlannedAction[];
  /** With --prune: the deletions of objects the folder no longer holds, except those already gone. */
  deleting: ObjectReport[];
  blockedDeletions: number;
  /** Objects Stalled (a person must act). */
  stalled: number;
  /** Objects that could not be planned: AWS not asked, or an error. */
  incomplete: number;
  /** Reports to list, in order: every object not in sync, except those the not-asked heading names. */
  listed: ObjectReport[];
  /** Objects in the folder. */
  total: number;
}

export function planVerdict(run: DirectoryRun): PlanVerdict {
  const notAsked = new Set((run.notAsked?.objects ?? []).map(keyString));
  const failed = run.reports.filter((r) => !notAsked.has(keyString(r.key)) && (r.result.phase === 'Error' || r.result.phase === 'Waiting' || r.result.phase === 'Progressing'));
  const listed = run.reports.filter((r) => !notAsked.has(keyString(r.key)) && !(r.result.phase === 'Ready' && r.result.actions.length === 0 && r.result.drift.length === 0));
  const actions = listed.flatMap((r) => r.result.actions.map((a) => a.action));
  const deleting = (run.deletions ?? []).filter((r) => deletionOutcome(r.result) !== 'gone');
  return {
    changing: listed.filter((r) => r.result.actions.length > 0 || r.result.drift.length > 0).length,
    calls: actions.filter((a) => !a.after).length,
    deferred: actions.filter((a) => a.after),
    deleting,
    blockedDeletions: deleting.filter((r) => deletionOutcome(r.result) === 'blocked').length,
    stalled: listed.filter((r) => r.result.phase === 'Stalled').length,
    incomplete: notAsked.size + failed.length,
    listed,
    total: run.reports.length + (run.notAsked?.objects ?? []).filter((k) => !run.reports.some((r) => keyString(r.key) === keyString(k))).length,
  };
}

function planSummary(v: PlanVerdict): string {
  const changes = `${plural(v.changing, 'object')} to change, ${callCount(v.calls, v.deferred)}${v.deleting.length > 0 ? `; prune: ${deletionSummary(v.deleting)}` : ''}`;
  if (v.incomplete > 0) {
    const others = v.total - v.incomplete;
    return `Plan incomplete: ${plural(v.incomplete, 'object')} could not be planned (see above)${others > 0 ? `; of the ${plural(others, 'other')}, ${changes}` : ''}. Nothing is known about the changes they need.`;
  }
  if (v.changing === 0 && v.stalled === 0 && v.deleting.length === 0) return 'No changes: AWS matches every manifest.';
  return `Plan: ${changes}${v.stalled > 0 ? `; ${plural(v.stalled, 'object')} stalled` : ''}.`;
}

/** `3 AWS calls now, 2 after AWS finishes the order`: the writes that wait for AWS counted apart. */
function callCount(now: number, deferred: PlannedAction[]): string {
  if (deferred.length === 0) return plural(now, 'AWS call');
  const orders = deferred.every((a) => /\border\b/.test(a.after!.awaits));
  const distinct = new Set(deferred.map((a) => a.after!.awaits)).size;
  const what = orders ? `after AWS finishes ${distinct === 1 ? 'the order' : 'the orders'}` : 'after what they wait for';
  return `${plural(now, 'AWS call')} now, ${deferred.length} ${what}`;
}

export function readyOf(r: ObjectReport) {
  return r.result.status.conditions?.find((c) => c.type === 'Ready');
}

export function planText(run: DirectoryRun, v: PlanVerdict, paint: ReturnType<typeof painter>): string {
  const lines: string[] = [];
  if (run.notAsked) lines.push(...notAskedLines(run.notAsked, 'planned', paint), '');
  for (const r of v.listed) {
    const where = r.source ? paint('dim', ` (${formatLocation(r.source)})`) : '';
    lines.push(paint('bold', objectName(r.key)) + where, ...findingLines(r, paint));
  }
  if (v.deleting.length > 0) lines.push(paint('bold', 'To prune (objects an earlier apply created that the folder no longer holds):'), ...deletionLines(v.deleting, paint).map((l) => `  ${l}`));
  lines.push(planSummary(v));
  return `${lines.join('\n')}\n`;
}

/**
 * One object's findings, indented under its name: why it stalled or could not be planned, its
 * drift (`~ path: AWS has ..., the spec wants ...`) and the calls to make (`+ description`, then
 * the operation and its input). `indent` moves the block right (a plan against a cluster nests it).
 */
export function findingLines(r: ObjectReport, paint: ReturnType<typeof painter>, indent = '  '): string[] {
  const res = r.result;
  const lines: string[] = [];
  if (res.phase === 'Stalled') lines.push(`${indent}${paint('red', '! ' + (res.status.conditions?.find((c) => c.type === 'Stalled')?.message ?? 'stalled'))}`);
  else if (res.phase !== 'Ready' && res.phase !== 'Planned') lines.push(`${indent}${paint('red', `! could not be planned: ${readyOf(r)?.message ?? res.phase} [${readyOf(r)?.reason ?? res.phase}]`)}`);
  for (const d of res.drift) {
    lines.push(`${indent}${paint('yellow', '~')} ${d.path}: ${d.redacted ?? `AWS has ${show(d.actual)}, the spec wants ${show(d.desired)}`}${d.requiresReplacement ? paint('red', ' (needs replacement)') : ''}`);
  }
  for (const a of res.actions) {
    lines.push(`${indent}${paint('green', '+')} ${a.action.after ? paint('cyan', `(after ${a.action.after.awaits})`) + ' ' + a.action.description : a.action.description}`);
    lines.push(paint('dim', `${indent}    ${a.action.operation} ${JSON.stringify(printableInput(a.action))}`));
  }
  return lines;
}

/** `routes`: AWS now (left) and the manifests (right), when the plan could read them; its section lists the call paths the change touches. */
export function planMarkdown(run: DirectoryRun, v: PlanVerdict, routes?: RouteComparison): string {
  const out: string[] = ['### chime-voice-operator plan', ''];
  if (run.notAsked) {
    const [cause, objects] = notAskedLines(run.notAsked, 'planned', (_c, t) => t);
    out.push(`> [!CAUTION]`, `> **Plan incomplete.** ${escapeMd(cause)}`, `> ${escapeMd(objects)}`, '');
  }
  if (v.listed.length > 0) {
    out.push('| Object | Changes |', '| --- | --- |');
    for (const r of v.listed) {
      const res = r.result;
      const items = [
        ...(res.phase === 'Stalled' ? [`**stalled**: ${escapeMd(res.status.conditions?.find((c) => c.type === 'Stalled')?.message ?? 'stalled')}`] : []),
        ...(res.phase !== 'Ready' && res.phase !== 'Planned' && res.phase !== 'Stalled' ? [`**could not be planned**: ${escapeMd(readyOf(r)?.message ?? res.phase)}`] : []),
        ...res.drift.map((d) => `drift \`${d.path}\`: ${d.redacted ? escapeMd(d.redacted) : `${escapeMd(show(d.actual))} → ${escapeMd(show(d.desired))}`}${d.requiresReplacement ? ' **(needs replacement)**' : ''}`),
        ...res.actions.map((a) => (a.action.after ? `_(after ${escapeMd(a.action.after.awaits)})_ ${escapeMd(a.action.description)}` : escapeMd(a.action.description))),
      ];
      out.push(`| \`${objectName(r.key)}\` | ${items.join('<br>')} |`);
    }
    out.push('');
  }
  if (v.deleting.length > 0) out.push('| Object to prune | Deletion |', '| --- | --- |', ...deletionRows(v.deleting, escapeMd), '');
  if (routes) out.push(...planRoutesMarkdown(routes));
  out.push(planSummary(v), '');
  return out.join('\n');
}

/** `plan -o json`: the same findings as the text, for scripts. */
export function planJson(run: DirectoryRun, v: PlanVerdict): string {
  return `${JSON.stringify(
    {
      complete: v.incomplete === 0,
      summary: planSummary(v),
      changing: v.changing,
      calls: v.calls,
      deferredCalls: v.deferred.length,
      ...(run.notAsked ? { notAsked: { ...run.notAsked, objects: run.notAsked.objects.map(keyString) } } : {}),
      objects: run.reports.map((r) => ({
        kind: r.key.kind,
        namespace: r.key.namespace,
        name: r.key.name,
        ...(r.source ? { source: formatLocation(r.source) } : {}),
        phase: r.result.phase,
        reason: readyOf(r)?.reason,
        message: readyOf(r)?.message,
        drift: r.result.drift.map((d) => ({ path: d.path, desired: d.desired, actual: d.actual, requiresReplacement: d.requiresReplacement === true })),
        actions: r.result.actions.map((a) => ({ description: a.action.description, operation: a.action.operation, input: printableInput(a.action), ...(a.action.after ? { after: a.action.after.awaits } : {}) })),
      })),
      ...(v.deleting.length > 0
        ? { prune: v.deleting.map((r) => ({ kind: r.key.kind, namespace: r.key.namespace, name: r.key.name, outcome: deletionOutcome(r.result), actions: r.result.actions.map((a) => a.action.description) })) }
        : {}),
    },
    null,
    2,
  )}\n`;
}

export function show(v: unknown): string {
  return v === undefined ? '(nothing)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

export function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}
