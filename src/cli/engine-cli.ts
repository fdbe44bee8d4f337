// The engine's commands as the command line sees them: `apply`, `plan`, `destroy` and `run`, their
// options and help. What they do is in engine-commands.ts, imported when one of them runs: that
// module brings the AWS SDK, the kinds and the engine, which `--help`, `validate` and a usage
// error must not pay for (a type-only import of it is free).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseRegionList, VOICE_REGIONS } from '../domain/regions.js';
import { EXIT } from './exit-codes.js';
import { formatDuration } from './output.js';
import type { DestroyOptions, EventsOptions, IO, RunOptions, TargetOptions } from './engine-options.js';
import type { ClusterPlanOptions } from './cluster-plan.js';
import { isKubectlPlugin } from './program-name.js';

export type { DestroyOptions, IO, RunOptions, TargetOptions };

type ApplyCliOptions = TargetOptions & EventsOptions & { watch?: boolean; resync: number; prune?: boolean; statusOut?: string };

export const EXIT_CHANGES_PENDING = EXIT.changesPending;

type ClusterPlanCliOptions = ClusterPlanOptions & { format?: string; cluster?: boolean };




function parseCount(name: string) {
  return (value: string): number => {
    if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number greater than 0`);
    return Number(value);
  };
}

/** `30s`, `5m`, `1h30m`, `250ms`; a bare number is seconds. */
export function parseDuration(value: string): number {
  const text = value.trim();
  const bad = () => new InvalidArgumentError(`not a duration: ${value} (use e.g. 30s, 5m, 1h30m)`);
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1_000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) throw bad();
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(ms);
}

/** A duration option whose default `--help` shows as people write it (`5m`, not `300000`). */
export function durationOption(flags: string, description: string, defaultMs: number): Option {
  return new Option(flags, description).argParser(parseDuration).default(defaultMs, formatDuration(defaultMs));
}

/** `-o, --output <format>`, the one output flag of every command that prints results. */
export function outputOption(formats: string[]): Option {
  return new Option('-o, --output <format>', `output format: ${formats.slice(0, -1).join(', ')}${formats.length > 1 ? ', or ' : ''}${formats[formats.length - 1]}`).choices(formats).default(formats[0]);
}

/** Defaults that come from the environment say so in `--help` (and in the generated CLI reference). */
export function regionOption(): Option {
  return new Option('--region <region>', 'home AWS Region: phone numbers, global settings, groups and SIP rules; regional resources go to their own region').default(
    process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    'AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1',
  );
}

/**
 * `--regions`, for the commands that read a whole account (import, routes): the regions whose
 * regional resources are read. Every Chime SDK Voice region by default; each one listed costs a
 * page per collection even when empty (docs/concepts.md#regions).
 */
export function regionsOption(what: string): Option {
  return new Option('--regions <regions>', `comma-separated regions whose ${what} are read; each costs one list call per collection even when empty`)
    .default([...VOICE_REGIONS], `every Chime SDK Voice region: ${VOICE_REGIONS.join(', ')}`)
    .argParser((value: string) => {
      const parsed = parseRegionList(value);
      if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
      return parsed.regions;
    });
}

function targetOptions(cmd: Command, formats: string[]): Command {
  return cmd
    .requiredOption('-f, --filename <dir>', 'folder of manifests (searched recursively), or one file')
    .addOption(outputOption(formats))
    .addOption(regionOption())
    .addOption(new Option('--endpoint <url>', 'Chime SDK Voice endpoint, e.g. an emulator started with `chime-voice-operator emulator`').conflicts('emulator'))
    .option('--account <name>', 'the AWS account to apply the folder to: an AwsAccount of that name in the folder (such as accounts.yaml: its role is assumed through STS), else the AWS profile of that name (docs/accounts.md)')
    .option('--emulator', 'run against an embedded emulator (no AWS account needed)')
    .option('--emulator-state <file>', 'with --emulator: keep the emulator state in this file across runs')
    .option('--status-file <file>', 'where directory mode keeps status between runs', '.chime-voice-operator/status.json')
    .addOption(durationOption('--timeout <duration>', 'how long to wait for objects still progressing (orders, references); then exit code 4', 600_000))
    .option('--aws-concurrency <n>', 'objects whose AWS calls are in flight at once (default 10, within the request rates AWS grants an account; above them calls come back throttled; creates go one at a time whatever this says)', parseCount('--aws-concurrency'));
}

/** The events queue's options, the same for `run` and `apply --watch` (docs/events.md). */
function eventsOptions(cmd: Command): Command {
  return cmd
    .option('--events-queue <url>', 'SQS queue of CloudTrail events (an EventBridge rule, docs/events.md): drift found in seconds; the resync becomes a safety net (1h unless --resync says otherwise)')
    .option('--events-sqs-endpoint <url>', "SQS endpoint for --events-queue (default: AWS's, for the queue URL's region)")
    .addOption(
      new Option('--events-session-name <name...>', "role session names of this controller's own writes, which events ignore (its user agent is recognised anyway)").default(
        process.env.AWS_ROLE_SESSION_NAME ? [process.env.AWS_ROLE_SESSION_NAME] : [],
        'AWS_ROLE_SESSION_NAME',
      ),
    )
    .addOption(durationOption('--events-fallback-resync <duration>', 'with --events-queue: the resync period while the queue cannot be read (polling)', 300_000));
}

/** With an events queue and no --resync given, the resync is an hour: events find drift, the resync is the safety net. */
export const EVENTS_RESYNC_MS = 3_600_000;

function resyncWithEvents(opts: { resync: number; eventsQueue?: string }, cmd: Command): void {
  if (opts.eventsQueue && cmd.getOptionValueSource('resync') !== 'cli') opts.resync = EVENTS_RESYNC_MS;
}

export function registerEngineCommands(program: Command, io: IO = { stdout: process.stdout, stderr: process.stderr }): void {
  targetOptions(
    program
      .command('apply')
      .description('Reconcile AWS to every manifest under a folder, in dependency order; print the resulting status.')
      .option('--watch', 'keep going: re-apply when the folder changes, and resync on an interval to catch drift')
      .addOption(durationOption('--resync <duration>', 'with --watch: how often to look for drift in AWS', 300_000))
      .option('--prune', 'delete what an earlier apply created and the folder no longer holds (under its deletionPolicy)')
      .option('--status-out <file>', 'also write every object with its status as YAML'),
    ['text', 'json'],
  );
  eventsOptions(program.commands[program.commands.length - 1]).action(async (opts: ApplyCliOptions, cmd: Command) => {
    if (opts.eventsQueue && !opts.watch) cmd.error('error: --events-queue needs --watch (events matter to a process that keeps running)', { exitCode: EXIT.usage, code: 'cvo.usage' });
    resyncWithEvents(opts, cmd);
    process.exitCode = await (await import('./engine-commands.js')).runApply(opts, io);
  });

  targetOptions(
    program
      .command('plan')
      .description(
        `Show, per object, the drift and the AWS calls apply would make, without writing. With --cluster (${isKubectlPlugin() ? 'the default as kubectl chime' : 'kubectl chime plan'}): what kubectl apply of the folder would change in the cluster of the current kube context, field by field, and the AWS calls the controller would then make. Exit code ${EXIT_CHANGES_PENDING} when changes are pending.`,
      )
      // The flag of earlier releases, kept for existing pipelines: -o is the one output flag of every command.
      .addOption(new Option('--format <format>', 'same as --output').choices(['text', 'markdown', 'json']).hideHelp())
      .option('--prune', 'also show what apply --prune would delete: objects an earlier apply created that the folder no longer holds; with --cluster, what kubectl apply --prune would delete: objects of the folder\'s kinds, in its namespaces, made by kubectl apply, that the folder no longer holds')
      .option(
        '--cluster',
        `plan the folder against the cluster of the current kube context, before kubectl apply: per object created, changed (field by field) or unchanged; with AWS access (--aws, --account, --endpoint, --emulator), the AWS calls the controller would then make. Reads only.${isKubectlPlugin() ? ' The default as kubectl chime.' : ' Implied by --kubeconfig and --context.'}`,
      )
      .option('--no-cluster', 'plan the folder against AWS alone (directory mode), as chime-voice-operator plan does')
      .option('--kubeconfig <file>', 'with --cluster: kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
      .option('--context <name>', 'with --cluster: the kube context to use (default: the current one)')
      .option('-n, --namespace <ns>', "with --cluster: the namespace of objects that name none (default: the kube context's, else default); as kubectl apply -n, an object of another namespace is an error")
      .option('--aws', 'with --cluster: compute the AWS calls with the default AWS credential chain (in --region)')
      .option('--digest-key-secret <name>', "with --cluster: the controller's digest key Secret, read to compare termination passwords with what it sent", 'chime-voice-operator-digest-key')
      .addOption(new Option('--digest-key-namespace <ns>', "with --cluster: that Secret's namespace (the controller's)").default(process.env.POD_NAMESPACE ?? 'default', 'POD_NAMESPACE, else default')),
    ['text', 'markdown', 'json'],
  ).action(async (opts: ClusterPlanCliOptions, cmd: Command) => {
    if (opts.format !== undefined) {
      if (cmd.getOptionValueSource('output') === 'cli' && opts.output !== opts.format) {
        cmd.error(`error: --format ${opts.format} and --output ${opts.output} disagree: use --output alone`, { exitCode: EXIT.usage, code: 'cvo.usage' });
      }
      opts.output = opts.format;
    }
    // As kubectl chime the cluster is the default; elsewhere a kube flag says it.
    const cluster = opts.cluster ?? (isKubectlPlugin() || opts.kubeconfig !== undefined || opts.context !== undefined);
    if (!cluster) {
      const clusterOnly = (['namespace', 'aws'] as const).filter((o) => opts[o] !== undefined).map((o) => (o === 'namespace' ? '--namespace' : '--aws'));
      if (clusterOnly.length > 0) cmd.error(`error: ${clusterOnly.join(' and ')} ${clusterOnly.length > 1 ? 'are' : 'is'} for --cluster (a plan against AWS alone always reads AWS)`, { exitCode: EXIT.usage, code: 'cvo.usage' });
      process.exitCode = await (await import('./engine-commands.js')).runPlan(opts, io);
      return;
    }
    process.exitCode = await (await import('./cluster-plan.js')).runClusterPlan(opts, io);
  });

  program
    .command('run')
    .description('Run the controller against the Kubernetes API (in-cluster config or KUBECONFIG): reconcile every chimevoice.io object, report status, resync for drift.')
    .option('--kubeconfig <file>', 'kubeconfig file (default: in-cluster config, then KUBECONFIG, then ~/.kube/config)')
    .option('-n, --namespace <ns...>', 'namespaces to watch (default: all)')
    .addOption(regionOption())
    .option('--endpoint <url>', 'Chime SDK Voice endpoint, e.g. an emulator')
    .option('--accounts', 'watch AwsAccount objects and Namespaces: objects may use other AWS accounts (spec.accountRef, the namespace annotation chimevoice.io/account) that grant their namespace; needs list and watch on both, cluster-wide (docs/accounts.md)')
    .option('--concurrency <n>', 'workers: batches of due objects reconciled at once (each batch merges its writes)', parseCount('--concurrency'), 4)
    .option('--aws-concurrency <n>', 'objects whose AWS calls are in flight at once (default 10, within the request rates AWS grants an account; above them calls come back throttled; creates go one at a time whatever this says)', parseCount('--aws-concurrency'))
    .addOption(durationOption('--resync <duration>', 'how often each object is compared with AWS to find drift', 300_000))
    .option('--metrics-bind-address <address>', 'address of /metrics, /healthz and /readyz', ':8080')
    .option('--leader-elect', 'campaign for a Lease so that one replica reconciles at a time')
    .addOption(new Option('--leader-election-namespace <ns>', 'namespace of the Lease').default(process.env.POD_NAMESPACE ?? 'default', 'POD_NAMESPACE, else default'))
    .option('--leader-election-id <name>', 'name of the Lease', 'chime-voice-operator')
    .addOption(durationOption('--leader-election-lease-duration <duration>', 'how long a standby waits after the last renewal before taking the Lease', 15_000))
    .addOption(durationOption('--leader-election-renew-deadline <duration>', 'how long the leader keeps trying to renew before it steps down', 10_000))
    .addOption(durationOption('--leader-election-retry-period <duration>', 'how often candidates try to acquire or renew the Lease', 2_000))
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error']).default(process.env.LOG_LEVEL ?? 'info', 'LOG_LEVEL, else info'))
    .option('--digest-key-secret <name>', 'Secret holding the key of the password digests kept in status (created when missing)', 'chime-voice-operator-digest-key')
    .option('--digest-key-namespace <ns>', 'namespace of that Secret', process.env.POD_NAMESPACE ?? 'default')
    .option('--no-create-digest-key', 'never create the digest key Secret: it must exist');
  eventsOptions(program.commands[program.commands.length - 1]).action(async (opts: RunOptions, cmd: Command) => {
    resyncWithEvents(opts, cmd);
      process.exitCode = await (await import('./engine-commands.js')).runController(opts, io);
    });

  targetOptions(
    program
      .command('destroy')
      .description(
        `Delete every object of the folder from AWS, dependents first; deletionPolicy Retain leaves the AWS resource. Shows the deletions and asks for confirmation; without a terminal, pass --auto-approve. --dry-run exit codes as plan's (${EXIT_CHANGES_PENDING}: deletions pending).`,
      )
      .option('--dry-run', 'only show what would be deleted, left in AWS (deletionPolicy Retain) or blocked; change nothing')
      .option('--auto-approve', 'do not ask for confirmation (also spelled -auto-approve, as in Terraform)'),
    ['text', 'json'],
  ).action(async (opts: DestroyOptions) => {
    process.exitCode = await (await import('./engine-commands.js')).runDestroy(opts, io);
  });
}

