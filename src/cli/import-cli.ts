// `import` as the command line sees it: its options and help. What it does is in
// import-command.ts, imported when it runs, so `--help` does not load the AWS SDK or the kinds.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { regionOption, regionsOption } from './engine-cli.js';
import type { ImportCliOptions } from './engine-options.js';
import type { IO } from './engine-options.js';
import { IMPORTABLE_KINDS } from './import-kinds.js';


function parseKinds(value: string): string[] {
  const kinds = value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(IMPORTABLE_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) throw new InvalidArgumentError(`unknown kind ${unknown.join(', ') || '(none)'}; kinds: ${IMPORTABLE_KINDS.join(', ')}`);
  return kinds;
}

function parseSelector(value: string): { key: string; value: string } {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('a selector is key=value, such as team=voice');
  return { key: value.slice(0, at), value: value.slice(at + 1) };
}

function parseCount(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('--aws-concurrency must be a whole number greater than 0');
  return Number(value);
}

export function registerImportCommand(program: Command, io: IO = { stdout: process.stdout, stderr: process.stderr }): void {
  program
    .command('import')
    .description(
      'Read an existing Chime SDK Voice account and write manifests that manage it: one object per resource, each adopting its AWS resource (chimevoice.io/external-id) with deletionPolicy Retain, a folder per kind and a kustomization.yaml. Makes no AWS write.',
    )
    .requiredOption('-o, --output-dir <dir>', 'folder to write the manifests to: new, empty, or written by an earlier import (whose files are replaced)')
    .addOption(regionOption())
    .addOption(regionsOption('connectors, SIP media applications, voice profile domains and call analytics configurations'))
    .addOption(new Option('--endpoint <url>', 'Chime SDK Voice endpoint, e.g. an emulator started with `chime-voice-operator emulator`').conflicts('emulator'))
    .option('--emulator', 'read an embedded emulator (with --emulator-state, the account that state file holds)')
    .option('--emulator-state <file>', 'with --emulator: the emulator state file to read')
    .option('--kinds <kinds>', `comma-separated kinds to import (default: all): ${IMPORTABLE_KINDS.join(', ')}`, parseKinds)
    .option('--selector <key=value>', 'only resources carrying this tag, and what belongs to them (their numbers, groups, rules)', parseSelector)
    .option('--name-prefix <prefix>', 'only resources whose AWS name starts with this, and what belongs to them')
    .option('-n, --namespace <ns>', 'namespace written into every manifest (default: none, so kubectl uses its context\'s)')
    .addOption(new Option('--drift-policy <policy>', 'driftPolicy of the objects: Report for a first, read-only phase; under Correct, numbers in the deletion queue still get Report (Correct would restore them)').choices(['Correct', 'Report']).default('Correct'))
    .addOption(new Option('--deletion-policy <policy>', 'deletionPolicy of every object: Retain, so that deleting a manifest never deletes production').choices(['Retain', 'Delete']).default('Retain'))
    .option('--acknowledge-biometric-consent <who>', 'record that <who> acknowledges biometric processing (A3) for imported voice profile domains and voice analytics')
    .option('--aws-concurrency <n>', 'AWS reads in flight at once', parseCount, 10)
    .action(async (opts: ImportCliOptions) => {
      process.exitCode = await (await import('./import-command.js')).runImport(opts, io);
    });
}
