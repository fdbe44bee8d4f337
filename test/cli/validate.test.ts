// The `validate` command as a user runs it: a child process, its output and its exit code.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('chime-voice-operator validate', () => {
  it('exits 0 on a valid folder, with warnings and a summary', async () => {
    const r = await cli('validate', '-f', 'test/fixtures/valid');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'test/fixtures/valid/secrets.yaml:12:1: warning: v1/ConfigMap unrelated is not managed by this controller; ignored',
        'test/fixtures/valid: valid, 1 warning (9 objects, 1 secret)',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 on errors, printing file:line:col: path: message lines', async () => {
    const r = await cli('validate', '-f', 'test/fixtures/invalid/missing-secret-key');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'test/fixtures/invalid/missing-secret-key/connector.yaml:12:11: spec.termination.credentials[0].passwordSecretRef.key: Secret default/trunk has no key "password" (keys: passwd)',
        'test/fixtures/invalid/missing-secret-key/connector.yaml:15:11: spec.termination.credentials[1].passwordSecretRef.name: Secret default/absent not found',
        'test/fixtures/invalid/missing-secret-key: 2 errors, 0 warnings (1 object, 1 secret)',
        '',
      ].join('\n'),
    );
  });

  it('reports every kind of bad manifest across a whole tree', async () => {
    const r = await cli('validate', '-f', 'test/fixtures/invalid', '-o', 'json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { errors: number; warnings: number; problems: Array<{ file: string; line: number; message: string }> };
    const files = new Set(out.problems.map((p) => p.file.split('/')[3]));
    expect([...files].sort()).toEqual([
      'cycle',
      'dangling-reference',
      'duplicate',
      'malformed-e164',
      'missing-secret-key',
      'no-metadata',
      'private-cidr',
      'unknown-field',
      'unknown-kind',
      'wrong-type',
      'yaml-syntax',
    ]);
    expect(out.errors).toBe(out.problems.length - out.warnings);
  });

  it('exits 2 (a usage mistake) with one line when the folder does not exist', async () => {
    const r = await cli('validate', '-f', 'test/fixtures/nope');
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe('error: -f test/fixtures/nope: no such file or folder (see --help)');
  });

  it('refuses a missing -f', async () => {
    const r = await cli('validate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-f, --filename <path>' not specified");
  });
});
