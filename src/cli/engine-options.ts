// The options of the engine's commands as their actions receive them: types only, shared by the
// command line (engine-cli.ts) and what the commands do (engine-commands.ts), so that neither
// imports the other at load time.
import type { OutputStream } from './output.js';

export interface TargetOptions {
  filename: string;
  region: string;
  endpoint?: string;
  emulator?: boolean;
  emulatorState?: string;
  statusFile: string;
  timeout: number;
  output: string;
  awsConcurrency?: number;
  /** `--account NAME`: an AwsAccount in the folder, else an AWS shared config profile. */
  account?: string;
}

export interface IO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where destroy reads its confirmation; process.stdin unless a test gives another. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface DestroyOptions extends TargetOptions {
  dryRun?: boolean;
  autoApprove?: boolean;
}

/** The events queue (docs/events.md), for `run` and `apply --watch`. */
export interface EventsOptions {
  eventsQueue?: string;
  eventsSqsEndpoint?: string;
  eventsSessionName: string[];
  eventsFallbackResync: number;
}

export interface RunOptions extends EventsOptions {
  kubeconfig?: string;
  namespace?: string[];
  region: string;
  endpoint?: string;
  accounts?: boolean;
  concurrency: number;
  awsConcurrency?: number;
  resync: number;
  metricsBindAddress: string;
  leaderElect?: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  leaderElectionLeaseDuration: number;
  leaderElectionRenewDeadline: number;
  leaderElectionRetryPeriod: number;
  logLevel: string;
  digestKeySecret: string;
  digestKeyNamespace: string;
  createDigestKey: boolean;
}

export interface ImportCliOptions {
  outputDir: string;
  region: string;
  endpoint?: string;
  emulator?: boolean;
  emulatorState?: string;
  kinds?: string[];
  selector?: { key: string; value: string };
  namePrefix?: string;
  namespace?: string;
  driftPolicy: 'Correct' | 'Report';
  deletionPolicy: 'Retain' | 'Delete';
  acknowledgeBiometricConsent?: string;
  awsConcurrency: number;
  /** The regions whose regional resources are read (--regions). */
  regions?: string[];
}
