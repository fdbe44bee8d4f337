// Entry point of `chime-voice-operator` (bin/chime-voice-operator.js runs its compiled form, dist/cli/main.js;
// `npm run cli` runs this file through tsx).
import { CommanderError } from 'commander';
import { DigestKeyError } from '../reconcile/secret-digest.js';
import { fatalMessage } from './fatal.js';
import { buildProgram, EXIT } from './program.js';

// Terraform spells it `-auto-approve`; commander would read a single dash as bundled short flags.
const argv = process.argv.map((arg) => (arg === '-auto-approve' ? '--auto-approve' : arg));

try {
  await buildProgram().parseAsync(argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed its one line already; --help and --version are not mistakes.
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  } else if (err instanceof DigestKeyError) {
    // A digest key problem is the user's to fix, and its message says how.
    process.stderr.write(`chime-voice-operator: ${err.message}\n`);
    process.exitCode = EXIT.failure;
  } else {
    // A bug, not a user's mistake: one line naming the file when known; the stack only on request.
    process.stderr.write(`${fatalMessage(err)}\n`);
    process.exitCode = EXIT.failure;
  }
}
