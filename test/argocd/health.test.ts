// The Argo CD health checks: the Go test program in this folder runs every health.lua in gopher-lua
// as Argo CD does (go test), and the testdata objects stay valid objects of their kinds.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_GROUP, KINDS } from '../../src/api/index.js';
import { formatErrors, validateObject } from '../../src/api/validate.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const HEALTH = join(HERE, '../../argocd/health', API_GROUP);
const run = promisify(execFile);

describe('Argo CD health checks', () => {
  // The first run downloads the pinned modules from the Go module proxy and builds gopher-lua.
  it('pass every health_test.yaml case in gopher-lua, as Argo CD runs them (go test in test/argocd)', { timeout: 600_000 }, async () => {
    try {
      const { stdout } = await run('go', ['test', '-count=1', './...'], { cwd: HERE, timeout: 590_000, maxBuffer: 16 << 20 });
      expect(stdout).toMatch(/^ok\s/m);
    } catch (err) {
      const e = err as { code?: string; stdout?: string; stderr?: string; message: string };
      if (e.code === 'ENOENT') throw new Error('the Go toolchain (go) is needed to run the Argo CD health check tests (test/argocd)');
      throw new Error(`go test failed in test/argocd:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  });

  it('exist for every kind', () => {
    for (const k of KINDS) expect(existsSync(join(HEALTH, k.kind, 'health.lua')), k.kind).toBe(true);
  });

  it('have testdata that are valid objects of their kind (schema, defaults and status)', () => {
    for (const k of KINDS) {
      const dir = join(HEALTH, k.kind, 'testdata');
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
        const obj = parse(readFileSync(join(dir, f), 'utf8'));
        expect(obj.kind, `${k.kind}/${f}`).toBe(k.kind);
        expect(formatErrors(validateObject(obj)), `${k.kind}/${f}`).toBe('');
      }
    }
  });
});
