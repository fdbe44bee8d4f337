/** Test helper: the CLI as a user runs it, a child process, with its exit code and output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CliRun {
  /** Exit code; null when the process was killed (a hang the test detected). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the helper had to kill the process after `timeoutMs`. */
  hung: boolean;
}

export interface CliOptions {
  /** Called with everything printed so far (stdout and stderr interleaved) after each chunk. */
  onOutput?: (text: string, child: ChildProcess) => void;
  /** Kills the process after this long and reports `hung` (a correctness check, not a performance one). */
  timeoutMs?: number;
  /** Called once the process is started. */
  onSpawn?: (child: ChildProcess) => void;
  /** The environment; NO_COLOR is always added. Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...(opts.env ?? process.env), NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let all = '';
    let hung = false;
    const seen = (d: Buffer) => {
      all += d.toString();
      opts.onOutput?.(all, child);
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      seen(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      seen(d);
    });
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

/** The environment of a machine with no AWS configuration at all (and no instance metadata to ask). */
export function envWithoutAws(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'KUBECONFIG') env[k] = v;
  const home = mkdtempSync(path.join(tmpdir(), 'cvo-home-'));
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    // The SDK's credential chain would otherwise ask the EC2 instance metadata service.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The last non-empty line of a text. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}
