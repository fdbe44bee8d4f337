// Finds every AWS operation the controller can call, by reading src/ as TypeScript syntax (no type
// checking: fast, and independent of whether the tree type-checks right now), the way
// scripts/docs/reason-scan.ts finds condition reasons. iam/policy.json is generated from it.
//
// The kinds plan actions as data ({service, operation, input}) and observe through
// aws.send/read(service, operation, input) and aws.inventory.list({service, operation, ...}). So an
// operation is found where a string literal (or a conditional choosing between literals) is
//   - the value of an `operation:` property of an object literal (actions, list specs); a `service:`
//     literal beside it names the service;
//   - the argument of a parameter named `operation` (AwsContext.send and read, and any helper such
//     as observe's `read = (operation) => aws.read('voice', operation, ...)`); the argument of a
//     parameter named `service` names the service;
//   - the initializer of a variable named `operation`.
// Anything else in those places must pass a value through (an identifier named `operation`, or
// `x.operation`): a computed operation name could not be checked, so the scan refuses it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// The emulator is the other side of the API; src/api holds schemas, not calls.
const EXCLUDED_DIRS = ['src/emulator', 'src/api'];

export interface OperationUse {
  operation: string;
  /** 'voice' or 'mediaPipelines' when the call site names it. */
  service?: string;
  file: string;
  line: number;
}

export interface ScanResult {
  uses: OperationUse[];
  /** Places where an operation is neither a literal nor passed through: the scan cannot know it. */
  unresolved: Array<{ file: string; line: number; text: string }>;
}

function tsFiles(dir: string, root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!EXCLUDED_DIRS.includes(relative(root, p))) out.push(...tsFiles(p, root));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/**
 * What an expression in an operation's place can be: the string literals it can evaluate to, and
 * the parts that are neither a literal nor a value passed through (`operation`, `x.operation`).
 */
function analyze(e: ts.Expression): { literals: string[]; opaque: ts.Expression[] } {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { literals: [e.text], opaque: [] };
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) return analyze(e.expression);
  const both = (a: ts.Expression, b: ts.Expression) => {
    const x = analyze(a);
    const y = analyze(b);
    return { literals: [...x.literals, ...y.literals], opaque: [...x.opaque, ...y.opaque] };
  };
  if (ts.isConditionalExpression(e)) return both(e.whenTrue, e.whenFalse);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return both(e.left, e.right);
  }
  // A value handed on, not chosen here: checked where it was written.
  if ((ts.isIdentifier(e) && e.text === 'operation') || (ts.isPropertyAccessExpression(e) && e.name.text === 'operation')) return { literals: [], opaque: [] };
  return { literals: [], opaque: [e] };
}

const nameOf = (n: ts.Node | undefined): string | undefined => (n && (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) ? n.text : undefined);

interface Params {
  operation: number;
  service: number;
}

function paramsOf(params: ts.NodeArray<ts.ParameterDeclaration>): Params | undefined {
  const index = (name: string) => params.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
  const operation = index('operation');
  return operation >= 0 ? { operation, service: index('service') } : undefined;
}

/** Functions, arrow functions and methods with an `operation` parameter, by name. */
function collectCallables(sf: ts.SourceFile, local: Map<string, Params>, methods: Map<string, Params>): void {
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name) {
      const p = paramsOf(node.parameters);
      if (p) local.set(node.name.text, p);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = node.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        const p = paramsOf(init.parameters);
        if (p) local.set(node.name.text, p);
      }
    } else if (ts.isMethodDeclaration(node) && node.name) {
      const p = paramsOf(node.parameters);
      const name = nameOf(node.name);
      // Methods are called from other files (aws.send, aws.read): known everywhere by name.
      if (p && name) methods.set(name, p);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** Every operation name src/ (the emulator and schemas excepted) can call, with where. */
export function scanOperations(root = ROOT): ScanResult {
  const files = tsFiles(join(root, 'src'), root);
  const sources = files.map((f) => ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true));
  const methods = new Map<string, Params>();
  const locals = new Map<ts.SourceFile, Map<string, Params>>();
  for (const sf of sources) {
    const local = new Map<string, Params>();
    collectCallables(sf, local, methods);
    locals.set(sf, local);
  }
  const uses: OperationUse[] = [];
  const unresolved: ScanResult['unresolved'] = [];
  for (const sf of sources) {
    const file = relative(root, sf.fileName);
    const local = locals.get(sf)!;
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const add = (e: ts.Expression, service: ts.Expression | undefined) => {
      const { literals: ops, opaque } = analyze(e);
      for (const o of opaque) unresolved.push({ file, line: lineOf(o), text: o.getText(sf) });
      const services = service ? analyze(service).literals : [];
      for (const operation of ops) uses.push({ operation, service: services.length === 1 ? services[0] : undefined, file, line: lineOf(e) });
    };
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAssignment(node) && nameOf(node.name) === 'operation' && ts.isObjectLiteralExpression(node.parent)) {
        const service = node.parent.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(p.name) === 'service');
        add(node.initializer, service?.initializer);
      } else if (ts.isVariableDeclaration(node) && nameOf(node.name) === 'operation' && node.initializer) {
        // `const operation = ...`, handed on as `{ operation }` or to a parameter: an identifier named
        // operation is a pass-through everywhere else, so its value is read here.
        add(node.initializer, undefined);
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        // A function declared in this file, or a method called on something (aws.send, this.read).
        const p = ts.isIdentifier(callee) ? local.get(callee.text) : ts.isPropertyAccessExpression(callee) ? methods.get(callee.name.text) : undefined;
        const arg = p && node.arguments[p.operation];
        if (p && arg) add(arg, p.service >= 0 ? node.arguments[p.service] : undefined);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { uses, unresolved };
}

// `tsx scripts/iam/scan.ts` prints what it finds.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { uses, unresolved } = scanOperations();
  for (const u of uses) console.log(`${u.operation}\t${u.service ?? '?'}\t${u.file}:${u.line}`);
  for (const u of unresolved) console.log(`UNRESOLVED ${u.file}:${u.line} ${u.text}`);
}
