// Usage mistakes exit 2 with one line (never commander's exit 1 and a page of help), and never
// reach AWS; --help shows durations as people write them and the exit codes; docs/concepts.md
// documents exactly the exit codes the program has.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODES } from '../../src/cli/exit-codes.js';
import { envWithoutAws, runCli } from '../helpers/cli.js';

const work = mkdtempSync(path.join(tmpdir(), 'cvo-usage-'));

const mistakes: Array<[string, string[], RegExp]> = [
  ['an unknown command', ['aply', '-f', 'examples'], /unknown command 'aply' \(Did you mean apply\?\)/],
  ['plan without -f', ['plan'], /required option '-f, --filename <dir>' not specified/],
  ['apply without -f', ['apply', '--emulator'], /required option '-f, --filename <dir>' not specified/],
  ['a bad duration', ['plan', '-f', 'examples', '--emulator', '--timeout', '5x'], /not a duration: 5x/],
  ['a bad resync', ['apply', '-f', 'examples', '--emulator', '--watch', '--resync', 'soon'], /not a duration: soon/],
  ['plan of a path that does not exist', ['plan', '-f', 'no/such/folder', '--emulator'], /-f no\/such\/folder: no such file or folder/],
  ['apply of a path that does not exist', ['apply', '-f', 'no/such/folder', '--emulator'], /-f no\/such\/folder: no such file or folder/],
  ['destroy of a path that does not exist', ['destroy', '-f', 'no/such/folder', '--emulator'], /-f no\/such\/folder: no such file or folder/],
  ['validate of a path that does not exist', ['validate', '-f', 'no/such/folder'], /-f no\/such\/folder: no such file or folder/],
  ['an unknown output format', ['plan', '-f', 'examples', '--emulator', '-o', 'yaml'], /argument 'yaml' is invalid/],
  ['--endpoint with --emulator', ['plan', '-f', 'examples', '--emulator', '--endpoint', 'http://127.0.0.1:9'], /cannot be used with option '--emulator'/],
  ['a bad --concurrency', ['run', '--concurrency', 'many'], /--concurrency must be a whole number/],
  ['--events-queue without --watch', ['apply', '-f', 'examples', '--emulator', '--events-queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/q'], /--events-queue needs --watch/],
  ['a bad --events-fallback-resync', ['run', '--events-queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/q', '--events-fallback-resync', 'later'], /not a duration: later/],
];

describe('usage mistakes', () => {
  for (const [what, args, says] of mistakes) {
    it(`${what}: exit 2, one line`, async () => {
      const run = await runCli(args);
      expect(run.code, run.stderr).toBe(EXIT.usage);
      expect(run.stderr).toMatch(says);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    });
  }

  it('--emulator-state without --emulator: exit 2, and AWS is never asked', async () => {
    // No credentials and no network needed to fail: had it gone to AWS, the error would be about credentials.
    const run = await runCli(['apply', '-f', 'examples', '--emulator-state', path.join(work, 'state.json'), '--status-file', path.join(work, 'status.json')], { env: envWithoutAws() });
    expect(run.code, run.stderr).toBe(EXIT.usage);
    expect(run.stderr.trimEnd()).toBe('error: --emulator-state needs --emulator (without it, the command would go to AWS) (see --help)');
    expect(run.stdout).toBe('');
  });

  it('--help and --version are not mistakes: exit 0', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['plan', '--help'])).code).toBe(0);
    expect((await runCli(['--version'])).code).toBe(0);
  });
});

describe('--help', () => {
  it('shows durations as people write them, and the exit codes', async () => {
    const apply = (await runCli(['apply', '--help'])).stdout;
    expect(apply).toMatch(/--timeout <duration>[\s\S]*?\(default: 10m\)/);
    expect(apply).toMatch(/--resync <duration>[\s\S]*?\(default: 5m\)/);
    expect(apply).not.toMatch(/600000|300000/);
    const run = (await runCli(['run', '--help'])).stdout;
    expect(run).toMatch(/--leader-election-lease-duration <duration>[\s\S]*?\(default: 15s\)/);
    expect(run).not.toMatch(/15000|10000|2000\b/);
    for (const { code } of EXIT_CODES) expect(apply).toMatch(new RegExp(`^  ${code}\\s+\\S`, 'm'));
  });

  it('every command that prints results has -o, --output; plan keeps --format as a hidden alias', async () => {
    for (const [command, formats] of [
      ['validate', 'text, or json'],
      ['plan', 'text, markdown, or json'],
      ['apply', 'text, or json'],
      ['destroy', 'text, or json'],
    ]) {
      expect((await runCli([command, '--help'])).stdout).toMatch(new RegExp(`-o, --output <format>\\s+output format: ${formats}\\s`));
    }
    expect((await runCli(['plan', '--help'])).stdout).not.toContain('--format');
  });
});

describe('docs/concepts.md', () => {
  it('has one exit-code table with every code the program uses, and no other', () => {
    const doc = readFileSync('docs/concepts.md', 'utf8');
    const section = doc.slice(doc.indexOf('## Plan and exit codes'));
    const table = section.slice(section.indexOf('| code |'), section.indexOf('\n\n', section.indexOf('| code |')));
    const codes = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(EXIT_CODES.map((c) => c.code));
    expect(Object.values(EXIT).sort((a, b) => a - b)).toEqual(EXIT_CODES.map((c) => c.code).sort((a, b) => a - b));
  });
});
