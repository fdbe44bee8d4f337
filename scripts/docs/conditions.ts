// docs/conditions.md, rendered from src/reconcile/reasons.ts (what each reason means and what to do)
// and from what the code sets (reason-scan.ts: which kinds set it, which AWS errors map to it).
// A reason the code sets but the table lacks still appears, under "Not yet documented", and
// test/docs/reasons.test.ts fails until someone explains it.
import { KINDS } from '../../src/api/index.js';
import { classify } from '../../src/reconcile/errors.js';
import { CONDITION_REASONS, CONDITION_TYPES, EVENT_REASONS, type ReasonShows } from '../../src/reconcile/reasons.js';
import { DOC_HEADER, kindDir } from './reference.js';
import { modelExceptions, type ReasonInventory } from './reason-scan.js';

const GROUPS: Array<{ shows: ReasonShows; title: string; intro: string }> = [
  { shows: 'Ready', title: 'Ready', intro: 'Ready=True.' },
  { shows: 'Drifted', title: 'Drift', intro: 'Reasons of the Drifted condition.' },
  {
    shows: 'Reconciling',
    title: 'Progressing (Reconciling=True)',
    intro: 'Ready=False and Reconciling=True: the controller requeues the object by itself (after a few seconds, or with exponential backoff and jitter for errors). Nothing to do unless it lasts.',
  },
  {
    shows: 'Stalled',
    title: 'Stalled (Stalled=True)',
    intro: 'Ready=False and Stalled=True: retrying would not help, so there is no hot retry: `run` looks again when the spec changes and at each resync (`--resync`, 5 minutes by default), and `apply` reports the object and moves on. These need a person.',
  },
  { shows: 'Deletion', title: 'Deletion', intro: 'While an object is deleted (the finalizer `chimevoice.io/finalizer` holds it until AWS is cleaned up), or in the table `destroy` prints.' },
  { shows: 'Warning', title: 'Warnings', intro: 'Kind-specific conditions with status True while the warning holds; they do not change Ready.' },
  { shows: 'Plan', title: 'Plan only', intro: 'Only in the output of `plan`, never written to a cluster.' },
];

const cell = (s: string) => s.replace(/\|/g, '\\|');

function setBy(files: string[] | undefined, fromAws: string[] | undefined): string {
  const byDir = new Map(KINDS.map((k) => [kindDir(k.kind), k.kind]));
  const labels = new Set<string>();
  for (const f of files ?? []) {
    const m = /^src\/kinds\/([^/]+)\//.exec(f);
    // src/kinds/shared holds helpers every kind may call (reference resolution, tags): not one kind's.
    labels.add(m && m[1] !== 'shared' ? (byDir.get(m[1]) ?? m[1]) : 'any kind (the engine)');
  }
  if (fromAws?.length) labels.add('any kind (the engine)');
  const list = [...labels].sort((a, b) => (a.startsWith('any') ? -1 : b.startsWith('any') ? 1 : a.localeCompare(b)));
  return list.map((l) => (l.startsWith('any') ? l : `[${l}](reference/${kindDir(l)}.md)`)).join(', ');
}

export function renderConditions(inv: ReasonInventory): string {
  const L: string[] = [DOC_HEADER.trimEnd(), '', '# Conditions and reasons', ''];
  L.push(
    'Every object reports its state in `status.conditions`, in the shape of Kubernetes `metav1.Condition` (type, status, reason, message, observedGeneration, lastTransitionTime), with [kstatus](https://github.com/kubernetes-sigs/cli-utils/blob/master/pkg/kstatus/README.md) polarity: `Ready` is always present; `Reconciling` and `Stalled` appear only while True. `status.observedGeneration` says which generation of the spec the status describes; while it is behind `metadata.generation`, the status is about an older spec.',
    '',
    'The reason is the machine-readable part (for alerts and for this page); the message says, for this object, what happened and what is waited for or needed. In a cluster:',
    '',
    '```sh',
    'kubectl get chime                                   # every object of every kind, with Ready and Drifted',
    'kubectl wait --for=condition=Ready voiceconnector/office-pbx-trunk --timeout=5m',
    'kubectl get vc office-pbx-trunk -o jsonpath=\'{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}\'',
    'kubectl get events --field-selector involvedObject.name=office-pbx-trunk',
    '```',
    '',
    'In directory mode, `apply` prints a line per object as it goes (`✓ VoiceConnector default/office-pbx-trunk: Ready (Available) — ...`, the reason in parentheses), a table at the end, and every status as YAML with `--status-out FILE`.',
    '',
    'This page is generated from `src/reconcile/reasons.ts` and from a scan of the code for the reasons it sets; the "Set by" lines name the kinds whose code sets the reason.',
    '',
  );

  L.push('## Condition types', '');
  L.push('| Type | Kinds | Meaning |', '| --- | --- | --- |');
  const extra = new Map<string, string[]>();
  for (const k of KINDS) for (const t of k.extraConditionTypes) extra.set(t, [...(extra.get(t) ?? []), k.kind]);
  const types = [...new Set([...Object.keys(CONDITION_TYPES), ...extra.keys()])];
  for (const t of types) {
    const doc = CONDITION_TYPES[t];
    const kinds = extra.has(t) ? extra.get(t)!.map((k) => `[${k}](reference/${kindDir(k)}.md)`).join(', ') : 'every kind';
    L.push(`| ${t} | ${kinds} | ${cell(doc?.meaning ?? '(not yet documented)')} |`);
  }
  L.push('');

  L.push('## Reasons', '');
  const found = new Set([...inv.conditions.keys(), ...inv.fromAws.keys()]);
  const fromAwsByReason = inv.fromAws;
  for (const g of GROUPS) {
    const names = Object.keys(CONDITION_REASONS).filter((r) => CONDITION_REASONS[r].shows[0] === g.shows);
    if (names.length === 0) continue;
    L.push(`### ${g.title}`, '', g.intro, '');
    for (const r of names) {
      const doc = CONDITION_REASONS[r];
      L.push(`#### ${r}`, '');
      const shows = doc.shows.map((s) => (s === 'Reconciling' ? 'Reconciling=True' : s === 'Stalled' ? 'Stalled=True' : s === 'Ready' ? 'Ready=True' : s)).join(', ');
      const aws = fromAwsByReason.get(r);
      L.push(`*${shows}.* Set by: ${setBy(inv.conditions.get(r), aws) || '(nothing in the code: stale)'}${aws ? `. From AWS: ${aws.map((n) => `\`${n}\``).join(', ')}` : ''}.`, '');
      L.push(doc.meaning, '', `**What to do:** ${doc.action}`, '');
    }
  }
  const undocumented = [...found].filter((r) => !CONDITION_REASONS[r]).sort();
  if (undocumented.length > 0) {
    L.push('### Not yet documented', '');
    for (const r of undocumented) L.push(`- \`${r}\`, set by ${setBy(inv.conditions.get(r), inv.fromAws.get(r))}`);
    L.push('');
  }

  L.push('## AWS errors', '');
  L.push(
    'How an error AWS answers with becomes a condition: terminal errors stall the object (no hot retry: the spec or the account must change), the others are retried with exponential backoff and full jitter (1 s doubling to 5 min), on top of the AWS SDK\'s own adaptive retries (5 attempts).',
    '',
  );
  L.push('| AWS error | Reason | Retried |', '| --- | --- | --- |');
  for (const { name, httpStatusCode } of modelExceptions()) {
    if (name === 'Error') continue;
    const c = classify(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode } }));
    L.push(`| \`${name}\`${httpStatusCode ? ` (${httpStatusCode})` : ''} | [${c.reason}](#${c.reason.toLowerCase()}) | ${c.terminal ? 'no: Stalled' : 'yes, with backoff: Reconciling'} |`);
  }
  L.push(`| anything else (network, credentials, timeouts) | [ReconcileError](#reconcileerror) | yes, with backoff: Reconciling |`, '');

  L.push('## Events', '');
  L.push('In a cluster the controller also records Kubernetes Events on the object (repeats of the same reason and message within a short window are merged):', '');
  L.push('| Reason | Type | Meaning |', '| --- | --- | --- |');
  for (const [r, e] of Object.entries(EVENT_REASONS)) L.push(`| ${r} | ${e.type} | ${cell(e.meaning)} |`);
  const undocEvents = [...inv.events.keys()].filter((r) => !EVENT_REASONS[r]);
  for (const r of undocEvents) L.push(`| ${r} | ? | (not yet documented) |`);
  L.push('');
  return L.join('\n');
}
