// docs/reference/cli.md, rendered from the program itself (src/cli/program.ts): every command,
// every flag with its default as `--help` shows it, and the exit codes. A flag added to the code
// is in the reference on the next `npm run generate`, and `generate --check` fails until it is.
import type { Command, Option } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { DOC_HEADER } from './reference.js';

const cell = (s: string) => s.replace(/[|*_]/g, (c) => `\\${c}`).replace(/\n/g, ' ');

/** Where a default comes from, as `--help` says it: the description given, else the value. */
function defaultOf(o: Option): string {
  if (o.defaultValueDescription !== undefined) return o.defaultValueDescription;
  if (o.defaultValue === undefined || o.negate) return '';
  return typeof o.defaultValue === 'string' ? o.defaultValue : JSON.stringify(o.defaultValue);
}

function optionRows(cmd: Command): string[] {
  const rows = ['| flag | what it does | default |', '| --- | --- | --- |'];
  for (const o of cmd.options as Option[]) {
    if (o.hidden) continue;
    const choices = o.argChoices ? ` (one of ${o.argChoices.map((c) => `\`${c}\``).join(', ')})` : '';
    rows.push(`| \`${o.flags}\`${o.mandatory ? ' (required)' : ''} | ${cell(o.description)}${choices} | ${defaultOf(o) ? `\`${defaultOf(o)}\`` : ''} |`);
  }
  return rows;
}

export function renderCliReference(): string {
  // Defaults read from the environment (AWS_REGION, LOG_LEVEL, ...) are documented by name, not by value.
  const program = buildProgram({ stdout: { write: () => true }, stderr: { write: () => true } });
  const L = [DOC_HEADER.trimEnd(), '', '# Command line', ''];
  L.push(`\`${program.name()} <command> [flags]\`: ${program.description()}`, '');
  L.push('Durations are written `250ms`, `30s`, `5m`, `1h` or combined (`1h30m`); a bare number is seconds.', '');
  L.push(...optionRows(program), '');
  for (const cmd of program.commands as Command[]) {
    L.push(`## ${cmd.name()}`, '', cmd.description(), '', `\`${program.name()} ${cmd.name()} ${cmd.usage()}\``, '');
    if ((cmd.options as Option[]).some((o) => !o.hidden)) L.push(...optionRows(cmd), '');
  }
  L.push('## Exit codes', '', 'Every command exits with one of these codes (the same table is in [concepts](../concepts.md#plan-and-exit-codes) and in `--help`).', '');
  L.push('| code | meaning |', '| --- | --- |');
  for (const { code, meaning } of EXIT_CODES) L.push(`| ${code} | ${cell(meaning)} |`);
  L.push('');
  return L.join('\n');
}
