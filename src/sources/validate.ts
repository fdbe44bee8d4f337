// Offline validation of a folder of manifests: YAML, schemas, references, Secrets, cycles and
// duplicates, every problem at a file and line. No AWS call is made here; `apply` runs this first
// and changes nothing when it finds an error.
import { applyDefaults, validateObject } from '../api/validate.js';
import { LIMITS } from '../domain/limits.js';
import { handlers } from '../kinds/index.js';
import { claimConflictMessage, claimsOf, precedes } from '../reconcile/claims.js';
import { loadDirectory, type ManifestObject, type Problem, type SecretObject } from './directory.js';
import { REFERENCE_FIELDS, findCycles, findDanglingReferences, objectKey, type ObjectLike, type ReferenceTable, type SecretLike } from './graph.js';

export type { Problem, Severity } from './directory.js';

export interface DirectoryValidation {
  objects: ManifestObject[];
  secrets: SecretObject[];
  /** Sorted by file, line, column; errors and warnings. */
  problems: Problem[];
}

export interface ValidateDirectoryOptions {
  /** Reference table to check against (tests); defaults to REFERENCE_FIELDS. */
  references?: ReferenceTable;
  /**
   * The account the folder is applied to (`--account`; "" for the default credentials): an object
   * naming another in spec.accountRef is an error. Unset (`validate` without --account): not checked.
   */
  account?: string;
  /** Where objects that name no namespace go (kubectl's -n, or its context's namespace); `default` unless given. */
  namespace?: string;
  /**
   * Objects and Secrets outside the folder that its references may name: what a cluster holds, for
   * a plan of the folder against it. Only the folder's own references are checked.
   */
  existing?: { objects: readonly ObjectLike[]; secrets: readonly SecretLike[] };
}

/** Validates every manifest under `dir` (a folder or one file). */
export async function validateDirectory(dir: string, options: ValidateDirectoryOptions = {}): Promise<DirectoryValidation> {
  const table = options.references ?? REFERENCE_FIELDS;
  const loaded = await loadDirectory(dir, options.namespace !== undefined ? { namespace: options.namespace } : {});
  const problems: Problem[] = [...loaded.problems];

  for (const m of [...loaded.objects, ...loaded.accounts]) {
    for (const e of validateObject(m.object)) {
      const at = m.locate(e.path);
      problems.push({ file: m.file, line: at.line, column: at.column, path: e.path || undefined, message: e.message, severity: 'error' });
    }
  }

  // The graph needs an identity; objects without one already have a schema error.
  const identified = loaded.objects.filter((m) => m.name !== '').map((m) => m.object);
  const inFolder = new Set(identified.map(objectKey));
  const secretsInFolder = new Set(loaded.secrets.map((s) => `${s.namespace}/${s.name}`));
  const existing = options.existing ?? { objects: [], secrets: [] };
  for (const d of findDanglingReferences(
    [...identified, ...existing.objects.filter((o) => !inFolder.has(objectKey(o)))],
    [...loaded.secrets, ...existing.secrets.filter((s) => !secretsInFolder.has(`${s.namespace}/${s.name}`))],
    table,
  )) {
    // What the cluster holds is not the folder's to fix.
    if (d.file === undefined) continue;
    const path = `${d.ref.path}.${d.missing === 'key' ? 'key' : 'name'}`;
    problems.push({ file: d.file!, line: d.line!, column: d.column, path, message: d.message, severity: 'error' });
  }

  for (const c of findCycles(
    identified,
    table,
  )) {
    problems.push({ file: c.file!, line: c.line!, column: c.column, path: c.path ? `${c.path}.name` : undefined, message: `reference cycle: ${c.text}`, severity: 'error' });
  }

  for (const p of accountRefChecks(loaded.objects, loaded.accounts, options.account)) problems.push(p);
  for (const p of accountWideChecks(loaded.objects)) problems.push(p);
  for (const p of quotaChecks(loaded.objects)) problems.push(p);
  for (const p of claimConflicts(loaded.objects)) problems.push(p);
  return { objects: loaded.objects, secrets: loaded.secrets, problems: sortProblems(problems) };
}

/**
 * Directory mode applies a folder to one account (`--account NAME`, else the default credentials):
 * an object naming another account in spec.accountRef would be written to the wrong one, so it is
 * an error at its line. Two AwsAccounts of one name are an error too.
 */
function accountRefChecks(objects: ManifestObject[], accounts: ManifestObject[], account: string | undefined): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, ManifestObject>();
  for (const a of accounts) {
    const first = seen.get(a.name);
    if (first) out.push({ file: a.file, line: a.line, column: a.column, path: 'metadata.name', message: `a second AwsAccount ${a.name} (the first is at ${first.file}:${first.line})`, severity: 'error' });
    else seen.set(a.name, a);
  }
  for (const o of objects) {
    const ref = (o.object.spec as { accountRef?: { name?: unknown } } | undefined)?.accountRef?.name;
    if (account === undefined || typeof ref !== 'string' || ref === account) continue;
    const at = o.locate('spec.accountRef.name');
    const message =
      account === ''
        ? `spec.accountRef names account ${ref}: directory mode applies a folder to one account, so run with --account ${ref} (an AwsAccount in the folder, or an AWS profile)`
        : `spec.accountRef names account ${ref}, but this run applies the folder to account ${account} (--account); a folder goes to one account`;
    out.push({ file: o.file, line: at.line, column: at.column, path: 'spec.accountRef.name', message, severity: 'error' });
  }
  return out;
}

/** VoiceGlobalSettings is one per account; a folder is applied to one account, so a second one will conflict. */
function accountWideChecks(objects: ManifestObject[]): Problem[] {
  const settings = objects.filter((o) => o.kind === 'VoiceGlobalSettings');
  return settings.slice(1).map((o) => ({
    file: o.file,
    line: o.line,
    column: o.column,
    message: `a second VoiceGlobalSettings for the same account (the first is ${settings[0].namespace}/${settings[0].name} at ${settings[0].file}:${settings[0].line}); it will be reported as a conflict, not applied`,
    severity: 'warning' as const,
  }));
}

/**
 * Account quotas a folder alone can exceed (a folder is applied to one account): the objects past
 * the quota are refused here rather than by AWS halfway through an apply. The quotas are the
 * emulator's too (src/domain/limits.ts).
 */
function quotaChecks(objects: ManifestObject[]): Problem[] {
  const quotas: Array<{ kind: string; limit: number; what: string; scope: (o: ManifestObject) => string }> = [
    { kind: 'VoiceConnectorGroup', limit: LIMITS.voiceConnectorGroupsPerAccount.max, what: LIMITS.voiceConnectorGroupsPerAccount.what, scope: () => 'the account' },
    {
      kind: 'VoiceProfileDomain',
      limit: LIMITS.voiceProfileDomainsPerRegion.max,
      what: LIMITS.voiceProfileDomainsPerRegion.what,
      scope: (o) => `region ${String((applyDefaults(o.object).spec as { region?: string } | undefined)?.region)}`,
    },
  ];
  const out: Problem[] = [];
  for (const q of quotas) {
    const byScope = new Map<string, ManifestObject[]>();
    for (const o of objects.filter((x) => x.kind === q.kind)) {
      const scope = q.scope(o);
      byScope.set(scope, [...(byScope.get(scope) ?? []), o]);
    }
    for (const [scope, list] of byScope) {
      for (const o of list.slice(q.limit)) {
        out.push({
          file: o.file,
          line: o.line,
          column: o.column,
          message: `${q.kind} ${o.namespace}/${o.name} is one more than AWS allows: at most ${q.limit} ${q.what} (${scope} would have ${list.length}; the first ${q.limit} are ${list
            .slice(0, q.limit)
            .map((x) => `${x.name} at ${x.file}:${x.line}`)
            .join(', ')})`,
          severity: 'error',
        });
      }
    }
  }
  return out;
}

/**
 * Two objects of a kind claiming one AWS resource (see src/reconcile/claims.ts): the later one (by
 * name, as the engine orders objects without a creation time) is refused, naming both places.
 */
function claimConflicts(objects: ManifestObject[]): Problem[] {
  const out: Problem[] = [];
  const first = new Map<string, { m: ManifestObject; path: string }>();
  const ordered = [...objects].filter((m) => m.name !== '').sort((a, b) => (precedes(a.object, b.object) ? -1 : precedes(b.object, a.object) ? 1 : 0));
  for (const m of ordered) {
    const handler = handlers.get(m.kind);
    for (const claim of claimsOf(m.object, handler?.claims?.bind(handler))) {
      const key = `${m.kind}\u0000${claim.key}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, { m, path: claim.path });
        continue;
      }
      const here = m.locate(claim.path);
      const there = earlier.m.locate(earlier.path);
      out.push({
        file: m.file,
        line: here.line,
        column: here.column,
        path: claim.path,
        message: claimConflictMessage(m.object, { other: earlier.m.object, claim }, `at ${earlier.m.file}:${there.line}`),
        severity: 'error',
      });
    }
  }
  return out;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** `file:line:col: path: message`, the form compilers use (editors jump to it). */
export function formatProblem(p: Problem): string {
  const loc = p.column ? `${p.file}:${p.line}:${p.column}` : `${p.file}:${p.line}`;
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${loc}: ${tag}${p.path ? `${p.path}: ` : ''}${p.message}`;
}
