// Entry point of `chime-voice-operator` (bin/chime-voice-operator.js and `npm run cli` run this).
import { buildProgram, EXIT } from './program.js';

// The AWS SDK versions are pinned in package-lock.json and support this Node release; the SDK's
// notice about releases of 2027 concerns an upgrade that comes with its own Node requirement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Terraform spells it `-auto-approve`; commander would read a single dash as bundled short flags.
const argv = process.argv.map((arg) => (arg === '-auto-approve' ? '--auto-approve' : arg));

try {
  await buildProgram().parseAsync(argv);
} catch (err) {
  process.stderr.write(`chime-voice-operator: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = EXIT.failure;
}
