// Offline validation of a folder of manifests: YAML, schemas, references, Secrets, cycles and
// duplicates, every problem at a file and line. No AWS call is made here; `apply` runs this first
// and changes nothing when it finds an error.
import { validateObject } from '../api/validate.js';
import { loadDirectory, type ManifestObject, type Problem, type SecretObject } from './directory.js';
import { REFERENCE_FIELDS, findCycles, findDanglingReferences, type ReferenceTable } from './graph.js';

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
}

/** Validates every manifest under `dir` (a folder or one file). */
export async function validateDirectory(dir: string, options: ValidateDirectoryOptions = {}): Promise<DirectoryValidation> {
  const table = options.references ?? REFERENCE_FIELDS;
  const loaded = await loadDirectory(dir);
  const problems: Problem[] = [...loaded.problems];

  for (const m of loaded.objects) {
    for (const e of validateObject(m.object)) {
      const at = m.locate(e.path);
      problems.push({ file: m.file, line: at.line, column: at.column, path: e.path || undefined, message: e.message, severity: 'error' });
    }
  }

  // The graph needs an identity; objects without one already have a schema error.
  const identified = loaded.objects.filter((m) => m.name !== '').map((m) => m.object);
  for (const d of findDanglingReferences(
    identified,
    loaded.secrets,
    table,
  )) {
    const path = `${d.ref.path}.${d.missing === 'key' ? 'key' : 'name'}`;
    problems.push({ file: d.file!, line: d.line!, column: d.column, path, message: d.message, severity: 'error' });
  }

  for (const c of findCycles(
    identified,
    table,
  )) {
    problems.push({ file: c.file!, line: c.line!, column: c.column, path: c.path ? `${c.path}.name` : undefined, message: `reference cycle: ${c.text}`, severity: 'error' });
  }

  problems.push(...accountWideChecks(loaded.objects));
  return { objects: loaded.objects, secrets: loaded.secrets, problems: sortProblems(problems) };
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
