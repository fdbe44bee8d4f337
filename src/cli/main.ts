// Entry point of `chime-voice-operator` (bin/chime-voice-operator.js runs its compiled form, dist/cli/main.js;
// `npm run cli` runs this file through tsx).
import { buildProgram, EXIT } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`chime-voice-operator: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = EXIT.failure;
}
