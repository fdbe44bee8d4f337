// The layer rule of src/ (.dependency-cruiser.cjs, run by `npm run check`) must keep failing on an
// upward import and on a cycle: each case runs the same command as the check on a copy of src/ with
// one violation added, so a rule that stopped matching (a renamed folder, a broken regex, an option
// that drops type-only imports) fails here instead of passing silently.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const copies: string[] = [];

/** A copy of src/ with `files` (path → content) added, checked exactly as `npm run check` does. */
async function check(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  copies.push(dir);
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  for (const f of ['tsconfig.json', '.dependency-cruiser.cjs']) cpSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CRUISE, 'src', '--config', '.dependency-cruiser.cjs'], { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('layer check (dependency-cruiser)', () => {
  it('passes on the source as it is', async () => {
    const { code, output } = await check({});
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it.each([
    ['reconcile imports a kind', 'src/reconcile/upward.ts', "import { handlers } from '../kinds/index.js';\nexport const n = handlers.size;\n", 'layer-reconcile'],
    ['aws imports reconcile (type only)', 'src/aws/upward.ts', "import type { ManagedObject } from '../reconcile/types.js';\nexport type O = ManagedObject;\n", 'layer-aws-api-domain-telemetry'],
    ['core imports api', 'src/core/upward.ts', "import { KINDS } from '../api/index.js';\nexport const n = KINDS.length;\n", 'core-is-a-leaf'],
    ['a kind imports the runtime', 'src/kinds/upward.ts', "import { Controller } from '../runtime/controller.js';\nexport const c = Controller;\n", 'layer-kinds'],
    ['the engine imports the folder loader', 'src/reconcile/upward.ts', "import { parsePath } from '../sources/directory.js';\nexport const p = parsePath;\n", 'layer-reconcile'],
  ])('fails when %s', async (_name, path, content, rule) => {
    const { code, output } = await check({ [path]: content });
    expect(code).not.toBe(0);
    expect(output).toContain(`error ${rule}: ${path}`);
  });

  it('fails on a cycle inside one layer', async () => {
    const { code, output } = await check({
      'src/core/ping.ts': "import type { Pong } from './pong.js';\nexport interface Ping { pong?: Pong }\n",
      'src/core/pong.ts': "import type { Ping } from './ping.js';\nexport interface Pong { ping?: Ping }\n",
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/error no-circular: src\/core\/p[io]ng\.ts/);
  });
});
