// Entry point of `chime-voice-operator` (bin/chime-voice-operator.js and `npm run cli` run this).
import { DigestKeyError } from '../reconcile/secret-digest.js';
import { buildProgram, EXIT } from './program.js';

// The AWS SDK versions are pinned in package-lock.json and support this Node release; the SDK's
// notice about releases of 2027 concerns an upgrade that comes with its own Node requirement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // A digest key problem is the user's to fix, and its message says how: no stack trace.
  const text = err instanceof DigestKeyError ? err.message : ((err as Error).stack ?? String(err));
  process.stderr.write(`chime-voice-operator: ${text}\n`);
  process.exitCode = EXIT.failure;
}
