// Finds every condition reason and Event reason the code can set, by reading src/ as TypeScript
// syntax (no type checking: fast, and independent of whether the tree type-checks right now).
// docs/conditions.md is rendered from the table in src/reconcile/reasons.ts plus what this scan
// finds, and test/docs/reasons.test.ts fails when the two disagree, so the docs cannot drift.
//
// A reason is found where a string literal (or a conditional choosing between literals) is
//   - the value of a `reason:` property (condition inputs, readiness, warnings, holds, Events);
//   - the argument of a parameter named `reason` (BlockedError, ReferenceNotReadyError, the
//     engine's finish()/result(), a kind's wait()/stall() helpers, ...).
// Reasons computed from AWS error names (classify()) are not literals: they are found by running
// classify() over every exception the vendored API models declare.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { classify } from '../../src/reconcile/errors.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// The emulator's `reason`s are its own vocabulary, and src/api's are CEL admission reasons
// (FieldValueInvalid, ...), documented with each rule in docs/reference/: neither is a condition reason.
const EXCLUDED_DIRS = ['src/emulator', 'src/api'];

export interface ReasonUse {
  reason: string;
  /** Repository-relative file. */
  file: string;
  line: number;
  /** Event reasons come from objects with `type: 'Normal' | 'Warning'`. */
  event: boolean;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!EXCLUDED_DIRS.includes(relative(ROOT, p))) out.push(...tsFiles(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** String literals an expression can evaluate to, when it is made only of literals and conditionals. */
function literals(e: ts.Expression): string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) return literals(e.expression);
  if (ts.isConditionalExpression(e)) return [...literals(e.whenTrue), ...literals(e.whenFalse)];
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...literals(e.left), ...literals(e.right)];
  }
  return [];
}

const nameOf = (n: ts.Node | undefined): string | undefined => (n && (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) ? n.text : undefined);

function reasonIndex(params: ts.NodeArray<ts.ParameterDeclaration>): number {
  return params.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'reason');
}

/** Callables with a `reason` parameter: name → index. `global` holds classes and exported functions. */
function collectCallables(sf: ts.SourceFile, local: Map<string, number>, global: Map<string, number>): void {
  const visit = (node: ts.Node) => {
    if (ts.isClassDeclaration(node) && node.name) {
      for (const m of node.members) {
        if (ts.isConstructorDeclaration(m)) {
          const i = reasonIndex(m.parameters);
          if (i >= 0) {
            local.set(node.name.text, i);
            global.set(node.name.text, i);
          }
        }
      }
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      const i = reasonIndex(node.parameters);
      if (i >= 0) {
        local.set(node.name.text, i);
        if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) global.set(node.name.text, i);
      }
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = node.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const i = reasonIndex(init.parameters);
        if (i >= 0) local.set(node.name.text, i);
      }
    } else if ((ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) && node.name) {
      const fn = ts.isMethodDeclaration(node) ? node : node.initializer && (ts.isArrowFunction(node.initializer) ? node.initializer : undefined);
      const name = nameOf(node.name);
      if (fn && name) {
        const i = reasonIndex(fn.parameters);
        if (i >= 0) local.set(name, i);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

function isEventObject(obj: ts.ObjectLiteralExpression): boolean {
  return obj.properties.some(
    (p) => ts.isPropertyAssignment(p) && nameOf(p.name) === 'type' && literals(p.initializer).some((v) => v === 'Normal' || v === 'Warning'),
  );
}

/** Every literal reason in src/ (the emulator excepted), in file order. */
export function scanReasonLiterals(root = ROOT): ReasonUse[] {
  const files = tsFiles(join(root, 'src'));
  const sources = files.map((f) => ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true));
  const global = new Map<string, number>();
  const locals = new Map<ts.SourceFile, Map<string, number>>();
  for (const sf of sources) {
    const local = new Map<string, number>();
    collectCallables(sf, local, global);
    locals.set(sf, local);
  }
  const out: ReasonUse[] = [];
  for (const sf of sources) {
    const file = relative(root, sf.fileName);
    const local = locals.get(sf)!;
    const add = (e: ts.Expression, event: boolean) => {
      for (const reason of literals(e)) out.push({ reason, file, line: sf.getLineAndCharacterOfPosition(e.getStart(sf)).line + 1, event });
    };
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAssignment(node) && nameOf(node.name) === 'reason' && ts.isObjectLiteralExpression(node.parent)) {
        add(node.initializer, isEventObject(node.parent));
      } else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        // A name declared in this file wins; otherwise only classes and exported functions count,
        // so an unrelated local `result(...)` elsewhere is not mistaken for the engine's.
        const i = name === undefined ? undefined : (local.get(name) ?? (ts.isIdentifier(callee) || ts.isNewExpression(node) ? global.get(name) : undefined));
        if (i !== undefined && node.arguments[i]) add(node.arguments[i], false);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** Exception names the vendored API models declare (the errors AWS can answer with). */
export function modelExceptions(root = ROOT): Array<{ name: string; httpStatusCode: number }> {
  const dir = join(root, 'src/emulator/model');
  const out = new Map<string, number>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const model = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { shapes: Record<string, { exception?: boolean; error?: { httpStatusCode?: number } }> };
    for (const [name, shape] of Object.entries(model.shapes)) if (shape.exception) out.set(name, shape.error?.httpStatusCode ?? 400);
  }
  // Errors of the SDK itself, not in the models: input validation, and no credentials in the chain.
  // A plain Error is a bug or a network failure.
  out.set('ValidationException', 400);
  out.set('CredentialsProviderError', 0);
  out.set('Error', 0);
  return [...out].map(([name, httpStatusCode]) => ({ name, httpStatusCode })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The reasons classify() gives each AWS exception: reason → exception names. */
export function classifiedReasons(root = ROOT): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { name, httpStatusCode } of modelExceptions(root)) {
    const err = Object.assign(new Error('x'), { name, $metadata: httpStatusCode ? { httpStatusCode } : {} });
    const { reason } = classify(err);
    out.set(reason, [...(out.get(reason) ?? []), name]);
  }
  return out;
}

export interface ReasonInventory {
  /** Condition reason → the repository files that can set it (sorted). */
  conditions: Map<string, string[]>;
  /** Event reason → files. */
  events: Map<string, string[]>;
  /** Condition reasons classify() derives from AWS exception names → those names. */
  fromAws: Map<string, string[]>;
}

export function reasonInventory(root = ROOT): ReasonInventory {
  const conditions = new Map<string, Set<string>>();
  const events = new Map<string, Set<string>>();
  for (const u of scanReasonLiterals(root)) {
    const m = u.event ? events : conditions;
    if (!m.has(u.reason)) m.set(u.reason, new Set());
    m.get(u.reason)!.add(u.file);
  }
  const sorted = (m: Map<string, Set<string>>) => new Map([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));
  return { conditions: sorted(conditions), events: sorted(events), fromAws: classifiedReasons(root) };
}

// `tsx scripts/docs/reason-scan.ts` prints what it finds, for a quick look.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const inv = reasonInventory();
  for (const [r, files] of inv.conditions) console.log(`condition ${r}: ${files.join(', ')}`);
  for (const [r, files] of inv.events) console.log(`event ${r}: ${files.join(', ')}`);
  for (const [r, names] of inv.fromAws) console.log(`aws ${r}: ${names.join(', ')}`);
}
