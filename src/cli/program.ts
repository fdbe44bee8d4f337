// The command-line interface: `chime-voice-operator <command>`. The offline commands (validate,
// emulator) live here; the engine's commands come from engine-commands.ts.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FaultSettings } from '../emulator/index.js';
import { registerEngineCommands } from './engine-cli.js';
import { registerImportCommand } from './import-cli.js';
import { registerReconcileCommands } from './reconcile-cli.js';
import { registerRoutesCommand } from './routes-cli.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { painter, plural, type OutputStream } from './output.js';
import { programName } from './program-name.js';

export { EXIT };

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

function parsePositiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number greater than 0`);
    return n;
  };
}

export interface ProgramIO {
  stdout: OutputStream;
  stderr: OutputStream;
}

export { programName };

export function buildProgram(io: ProgramIO = { stdout: process.stdout, stderr: process.stderr }): Command {
  const program = new Command(programName())
    .description('GitOps controller for Amazon Chime SDK Voice: voice connectors, phone numbers, SIP media applications and more, as YAML.')
    .version(packageVersion())
    .option('--no-color', 'never colour the output (NO_COLOR in the environment does the same)')
    // Usage mistakes throw (main.ts maps them to exit code 2) instead of commander's exit(1); set
    // before the commands are added, which inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // One line per usage mistake (commander puts its "Did you mean" suggestion on a line of its own).
      outputError: (s, write) => write(`${s.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .addHelpText('afterAll', exitCodesHelp());

  program.hook('preAction', (thisCommand, actionCommand) => {
    if (thisCommand.opts().color === false) process.env.NO_COLOR = '1';
    const opts = actionCommand.opts() as { filename?: string; emulator?: boolean; emulatorState?: string };
    if (opts.filename !== undefined && !existsSync(opts.filename)) {
      actionCommand.error(`error: -f ${opts.filename}: no such file or folder`, { exitCode: EXIT.usage, code: 'cvo.usage' });
    }
    // Never AWS by accident: a state file only makes sense for the embedded emulator.
    if (opts.emulatorState !== undefined && !opts.emulator) {
      actionCommand.error('error: --emulator-state needs --emulator (without it, the command would go to AWS)', { exitCode: EXIT.usage, code: 'cvo.usage' });
    }
  });

  program
    .command('validate')
    .description('Check every manifest under a folder offline: YAML, schemas, references, Secrets, cycles, duplicates. Exit code 1 when there are errors.')
    .requiredOption('-f, --filename <path>', 'folder (searched recursively for *.yaml and *.yml) or single file')
    .addOption(new Option('-o, --output <format>', 'output format: text, or json').choices(['text', 'json']).default('text'))
    .option('--account <name>', 'also check that every spec.accountRef names this account, as apply --account does')
    .action(async (opts: { filename: string; output: 'text' | 'json'; account?: string }) => {
      process.exitCode = await runValidate(opts.filename, opts.output, io, opts.account);
    });

  program
    .command('emulator')
    .description('Run the local Chime SDK Voice emulator (for tests, demos and `apply --endpoint`). Ctrl-C stops it and writes the state file.')
    .option('-p, --port <n>', 'port to listen on; 0 picks a free one', parseInteger('--port', 0, 65535), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--state <file>', 'state snapshot: loaded at start when present, rewritten after every change')
    .option('--account-id <id>', 'the emulated 12-digit AWS account id', '123456789012')
    .option('--region <region>', 'the default AWS Region of the emulated account', 'us-east-1')
    .option('--clock-rate <x>', 'emulated seconds per real second (speeds up orders and waits)', parsePositiveNumber('--clock-rate'), 1)
    .option('--faults <file>', 'fault injection settings, JSON or YAML (rate limits, error rates, latency, consistency window)')
    .option('--strict-regions', "a request's SigV4 region decides what it sees: regional resources only through their own region's endpoint (docs/emulator.md)", false)
    .option('--events-queue <url>', 'send a CloudTrail event (as EventBridge delivers it) for every write to this SQS queue')
    .option('--events-sqs-endpoint <url>', "SQS endpoint for --events-queue (default: the queue URL's origin)")
    .option('--caller <key=role/session...>', 'in events, the access key is this role session (AssumedRole); other keys are IAM users', collectCaller, {})
    .action(async (opts: EmulatorCliOptions) => {
      process.exitCode = await runEmulator(opts, io);
    });

  registerEngineCommands(program);
  registerImportCommand(program);
  registerRoutesCommand(program, io);
  registerReconcileCommands(program, io);
  return program;
}

// ---- validate -------------------------------------------------------------------------------------

export async function runValidate(target: string, output: 'text' | 'json', io: ProgramIO, account?: string): Promise<number> {
  // Loaded when validate runs: the schemas, the kinds and the YAML loader are no part of `--help`.
  const { formatProblem, hasErrors, validateDirectory } = await import('../sources/validate.js');
  const { objects, secrets, problems } = await validateDirectory(target, account !== undefined ? { account } : {});
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify({ objects: objects.length, secrets: secrets.length, errors, warnings, problems }, null, 2)}\n`);
    return hasErrors(problems) ? EXIT.failure : EXIT.ok;
  }
  const paint = painter(io.stdout);
  for (const p of problems) {
    const line = formatProblem(p);
    io.stdout.write(`${p.severity === 'error' ? paint('red', line) : paint('yellow', line)}\n`);
  }
  const counts = `${plural(objects.length, 'object')}, ${plural(secrets.length, 'secret')}`;
  const summary = errors
    ? paint('red', `${target}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (${counts})`)
    : paint('green', `${target}: valid, ${plural(warnings, 'warning')} (${counts})`);
  io.stdout.write(`${summary}\n`);
  return errors ? EXIT.failure : EXIT.ok;
}

// ---- emulator -------------------------------------------------------------------------------------

export interface EmulatorCliOptions {
  port: number;
  host: string;
  state?: string;
  accountId: string;
  region: string;
  clockRate: number;
  faults?: string;
  strictRegions?: boolean;
  eventsQueue?: string;
  eventsSqsEndpoint?: string;
  caller: Record<string, { role: string; session: string }>;
}

function collectCaller(value: string, previous: Record<string, { role: string; session: string }>) {
  const m = /^([^=\s]+)=([^/\s]+)\/([^/\s]+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`--caller takes ACCESS_KEY_ID=ROLE/SESSION, not ${JSON.stringify(value)}`);
  return { ...previous, [m[1]]: { role: m[2], session: m[3] } };
}

export async function runEmulator(opts: EmulatorCliOptions, io: ProgramIO): Promise<number> {
  // Loaded on demand: `validate` must not pay for the emulator's models.
  const { startEmulator } = await import('../emulator/index.js');
  let faults: unknown;
  if (opts.faults) {
    const { parse: parseYaml } = await import('yaml');
    try {
      faults = parseYaml(await readFile(opts.faults, 'utf8'));
    } catch (err) {
      io.stderr.write(`cannot read --faults ${opts.faults}: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port: opts.port,
      host: opts.host,
      stateFile: opts.state,
      accountId: opts.accountId,
      defaultRegion: opts.region,
      clockRate: opts.clockRate,
      // Settings from YAML: the emulator checks them as it starts (validateFaults) and refuses bad ones.
      faults: faults as FaultSettings | undefined,
      strictRegions: opts.strictRegions === true,
      ...(opts.eventsQueue ? { cloudTrail: { queueUrl: opts.eventsQueue, ...(opts.eventsSqsEndpoint ? { sqsEndpoint: opts.eventsSqsEndpoint } : {}) } } : {}),
      callers: opts.caller,
    });
  } catch (err) {
    io.stderr.write(`emulator: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const paint = painter(io.stdout);
  io.stdout.write(`Chime SDK Voice emulator listening on ${paint('bold', emulator.url)}\n`);
  io.stdout.write(
    paint('dim', `account ${opts.accountId}, region ${opts.region}${opts.strictRegions ? ' (strict regions)' : ''}${opts.state ? `, state ${opts.state}` : ''}${opts.clockRate !== 1 ? `, clock x${opts.clockRate}` : ''}`) + '\n',
  );
  if (opts.eventsQueue) io.stdout.write(paint('dim', `CloudTrail events of writes to ${opts.eventsQueue}`) + '\n');
  io.stdout.write(paint('dim', `try: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws chime-sdk-voice list-voice-connectors --endpoint-url ${emulator.url}`) + '\n');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C while the state is being written: give up waiting.
        io.stderr.write(`${signal} again: exiting without waiting\n`);
        process.exit(130);
      }
      stopping = true;
      io.stdout.write(`${signal}: stopping the emulator${opts.state ? ` and writing ${opts.state}` : ''}\n`);
      emulator
        .stop()
        .then(() => {
          io.stdout.write('emulator stopped\n');
          resolve(EXIT.ok);
        })
        .catch((err: Error) => {
          io.stderr.write(`emulator: stop failed: ${err.message}\n`);
          resolve(EXIT.failure);
        })
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
