// The exit codes of every command, in one table: `--help` prints it, docs/reference/cli.md is
// generated from it, and test/cli/exit-codes.test.ts checks docs/concepts.md against it.

export const EXIT = {
  ok: 0,
  /** Invalid manifests, an object not Ready (or Stalled, or suspended), or AWS or the cluster could not be asked. */
  failure: 1,
  /** Bad command line: unknown command or flag, missing or bad value, a path that does not exist. */
  usage: 2,
  /** `plan`: changes are pending. */
  changesPending: 3,
  /** `apply`, `reconcile --wait`, `suspend`, `resume`: --timeout passed with objects still progressing (or the controller silent). */
  timedOut: 4,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM before the run finished (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** Each code with what it means, for `--help`, the CLI reference and the docs test. */
export const EXIT_CODES: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: EXIT.ok, meaning: 'success: validate found no errors, plan found no changes, apply made every object Ready, destroy deleted (or retained) every object' },
  {
    code: EXIT.failure,
    meaning:
      'failure: invalid manifests (nothing sent to AWS), an object Stalled or not Ready (reconcile: Stalled, or suspended), a deletion blocked, or AWS or the cluster could not be asked (unreachable, credentials, access denied, no such object)',
  },
  { code: EXIT.usage, meaning: 'usage: unknown command or flag, a missing or bad value, a path that does not exist, --emulator-state without --emulator' },
  { code: EXIT.changesPending, meaning: 'plan: changes are pending' },
  {
    code: EXIT.timedOut,
    meaning: 'apply, reconcile --wait, suspend, resume: timed out (--timeout) waiting for objects still progressing, such as a number order, or for a controller that did not answer',
  },
  { code: EXIT.interrupted, meaning: 'interrupted by Ctrl-C or SIGTERM before the run finished (apply --watch stopped by Ctrl-C exits 0)' },
];

export function exitCodesHelp(width = 80): string {
  const lines: string[] = [];
  for (const { code, meaning } of EXIT_CODES) {
    // Wrapped like commander wraps descriptions, under a hanging indent.
    let line = `  ${String(code).padEnd(5)}`;
    for (const word of meaning.split(' ')) {
      if (line.length + word.length + 1 > width && line.trim().length > 0) {
        lines.push(line.trimEnd());
        line = ' '.repeat(7);
      }
      line += `${word} `;
    }
    lines.push(line.trimEnd());
  }
  return `\nExit codes:\n${lines.join('\n')}\n`;
}
