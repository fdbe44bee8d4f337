// vitest globalSetup. On Node.js before 22 the AWS SDK warns, once per process, that its releases
// from January 2027 need Node 22. That is true of this machine's Node and worth seeing, but a test
// run starts a process per test file and many CLI child processes, and the same eight lines from
// each of them would bury the test output. So the SDK's own warning is raised here, once for the
// whole run (by creating a client, as any of the tests would), and only then silenced for the
// processes the run starts. On Node 22 and later the SDK has nothing to say and nothing is set.
import { ChimeSDKVoiceClient } from '@aws-sdk/client-chime-sdk-voice';

export default function setup(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22 || process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === 'true') return;
  new ChimeSDKVoiceClient({ region: 'us-east-1' }).destroy();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
