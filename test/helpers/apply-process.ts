/**
 * `apply` as users run it, in a child process against an emulator the test holds in-process, so
 * that a test can kill it with SIGKILL at a chosen call boundary (the emulator's call hook fires
 * when a call is received or answered) and then count what AWS holds. Shared by the kill -9 tests
 * and the chaos test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator, EmulatorState } from '../../src/emulator/index.js';
import type { CallEvent } from '../../src/emulator/core/server.js';

export interface ApplyRun {
  child: ChildProcess;
  /** Resolves when the process is gone, with its exit code (null when killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far. */
  output(): string;
  /** SIGKILL now; resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Starts `apply -f dir --endpoint <emulator> --status-file <statusFile>` (plus `args`). */
export function startApply(emulator: Emulator, dir: string, statusFile: string, args: string[] = []): ApplyRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'apply', '-f', dir, '--endpoint', emulator.url, '--status-file', statusFile, ...args], {
    env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Runs apply until it exits by itself, killing it with SIGKILL each time `killAt` says so for a
 * call (the call itself goes on to AWS: the hook holds it until the process is gone, as a request
 * already sent is served whatever happens to its sender). Returns how many kills happened and the
 * last run's output and exit code.
 */
export async function applyWithKills(
  emulator: Emulator,
  dir: string,
  statusFile: string,
  killAt: (event: CallEvent, run: number) => boolean,
  opts: { maxKills: number; args?: string[] },
): Promise<{ kills: number; code: number | null; output: string }> {
  let kills = 0;
  for (let run = 0; ; run++) {
    const current = startApply(emulator, dir, statusFile, opts.args);
    let killing: Promise<void> | undefined;
    emulator.setCallHook(async (event) => {
      if (killing) return killing;
      if (kills < opts.maxKills && killAt(event, run)) {
        kills++;
        killing = current.kill();
        await killing;
      }
    });
    const { code, signal } = await current.exited;
    emulator.setCallHook(undefined);
    if (signal !== 'SIGKILL') return { kills, code, output: current.output() };
  }
}

/** Writes manifests (file name → YAML) into a new folder under `root`. */
export function writeManifests(root: string, files: Record<string, string>): string {
  const dir = join(root, 'manifests');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/**
 * "Exactly one AWS resource per object": resources of the account by kind, counted from the
 * emulator's state (not from listings, which may lag), with the owner each carries (its marker
 * tag, or its name where the name is the marker).
 */
export function resourcesByOwner(state: EmulatorState): Record<string, Record<string, number>> {
  const tagOwner = (arn: string) => state.tags[arn]?.find((t) => t.Key === 'chimevoice.io/owner')?.Value ?? '(no marker)';
  const count = (owners: string[]) => owners.reduce<Record<string, number>>((m, o) => ({ ...m, [o]: (m[o] ?? 0) + 1 }), {});
  return {
    VoiceConnector: count(Object.values(state.voiceConnectors).map((v) => tagOwner(v.VoiceConnectorArn))),
    VoiceConnectorGroup: count(Object.values(state.voiceConnectorGroups).map((g) => g.Name)),
    SipMediaApplication: count(Object.values(state.sipMediaApplications).map((a) => tagOwner(a.SipMediaApplicationArn))),
    SipRule: count(Object.values(state.sipRules).map((r) => r.Name)),
    VoiceProfileDomain: count(Object.values(state.voiceProfileDomains).map((d) => tagOwner(d.VoiceProfileDomainArn))),
    CallAnalyticsConfiguration: count(Object.values(state.mediaInsightsPipelineConfigurations).map((c) => c.MediaInsightsPipelineConfigurationName)),
    PhoneNumber: count(Object.values(state.phoneNumbers).map((n) => n.Name ?? '(no name)')),
  };
}

/** Owners holding more than one resource of a kind: empty when every object has at most one. */
export function duplicates(state: EmulatorState): string[] {
  return Object.entries(resourcesByOwner(state)).flatMap(([kind, owners]) =>
    Object.entries(owners)
      .filter(([, n]) => n > 1)
      .map(([owner, n]) => `${kind} ${owner}: ${n}`),
  );
}

/** Phone number orders of the account: how many, by status, and the numbers each New order asked for. */
export function orderSummary(state: EmulatorState): { orders: number; byStatus: Record<string, number>; numbersOrdered: number; distinctNumbers: number } {
  const orders = Object.values(state.phoneNumberOrders).filter((o) => o.OrderType === 'New');
  const numbers = orders.flatMap((o) => o.OrderedPhoneNumbers.map((n) => n.E164PhoneNumber));
  return {
    orders: orders.length,
    byStatus: orders.reduce<Record<string, number>>((m, o) => ({ ...m, [o.Status]: (m[o.Status] ?? 0) + 1 }), {}),
    numbersOrdered: numbers.length,
    distinctNumbers: new Set(numbers).size,
  };
}
