// Shared by the tests that run the compiled CLI: `npm run build` once (it returns at once when dist/
// is current, and a lock makes parallel callers wait for one build).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cluster.js';

export const BIN = join(REPO_ROOT, 'bin/chime-voice-operator.js');

export function ensureBuilt(): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 5 * 60_000 });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}

/** The environment of a user's shell: no npm_* variables of the `npm run` this test may run under. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !k.startsWith('AWS_') && k !== 'KUBECONFIG' && k !== 'NODE_OPTIONS') env[k] = v;
  // The node running this test first on PATH, so that `#!/usr/bin/env node` and npm run on it too.
  return { ...env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`, NO_COLOR: '1', ...extra };
}
