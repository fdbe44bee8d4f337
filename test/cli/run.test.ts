// `run` without a usable cluster says so in one line and exits non-zero, instead of retrying
// forever against a made-up server or printing a stack trace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** The environment of a machine outside any cluster, with no kubeconfig anywhere. */
function envWithoutKube(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (k !== 'KUBECONFIG' && !k.startsWith('KUBERNETES_')) env[k] = v;
  return { ...env, HOME: mkdtempSync(path.join(tmpdir(), 'cvo-nokube-')), ...extra };
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Hang checks: before, `run` retried in the background forever; the helper kills it after this long.
const HANG = 30_000;
const args = ['run', '--metrics-bind-address', '127.0.0.1:0'];

function expectOneLine(stderr: string, says: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(says);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('run without a usable cluster', () => {
  it('no kubeconfig anywhere: one line naming what was tried, exit 1', { timeout: HANG + 10_000 }, async () => {
    const run = await runCli(args, { env: envWithoutKube(), timeoutMs: HANG });
    expect(run.hung, run.stderr).toBe(false);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, /^chime-voice-operator run: no kubeconfig: not in a cluster \(KUBERNETES_SERVICE_HOST unset\), KUBECONFIG unset, and .*\.kube\/config does not exist; pass --kubeconfig <file>$/);
  });

  it('KUBECONFIG=/nonexistent: one line, no stack trace, exit 1', { timeout: HANG + 10_000 }, async () => {
    const run = await runCli(args, { env: envWithoutKube({ KUBECONFIG: '/nonexistent' }), timeoutMs: HANG });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, /^chime-voice-operator run: KUBECONFIG=\/nonexistent: no such file$/);
  });

  it('--kubeconfig naming a file that does not exist: one line, exit 1', { timeout: HANG + 10_000 }, async () => {
    const run = await runCli([...args, '--kubeconfig', '/nonexistent/kubeconfig'], { env: envWithoutKube(), timeoutMs: HANG });
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, /^chime-voice-operator run: --kubeconfig \/nonexistent\/kubeconfig: no such file$/);
  });

  it('a kubeconfig whose API server does not answer: fails at start, naming the server and the cause', { timeout: HANG + 10_000 }, async () => {
    const port = await closedPort();
    const dir = mkdtempSync(path.join(tmpdir(), 'cvo-kube-'));
    const file = path.join(dir, 'kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:' + port + '", insecure-skip-tls-verify: true } }]',
        'users: [{ name: u, user: { token: t } }]',
        'contexts: [{ name: x, context: { cluster: c, user: u } }]',
        'current-context: x',
        '',
      ].join('\n'),
    );
    const run = await runCli([...args, '--kubeconfig', file], { env: envWithoutKube(), timeoutMs: HANG });
    expect(run.hung, run.stderr).toBe(false);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, new RegExp(`^chime-voice-operator run: Kubernetes API at https://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });
});
