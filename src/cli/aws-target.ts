// The AWS a command talks to: the default credential chain, an endpoint (an emulator run on its
// own), or an embedded emulator started for the command. Shared by the engine's commands and
// `routes`, so that an endpoint without credentials is an emulator in one place only.
import type { AwsOptions } from '../aws/context.js';
import type { IO } from './engine-options.js';

/** An endpoint without AWS credentials in the environment is an emulator, which accepts any. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'emulator', secretAccessKey: 'emulator' };

export interface AwsTargetOptions {
  region: string;
  endpoint?: string;
  emulator?: boolean;
  emulatorState?: string;
}

export async function openAws(
  opts: AwsTargetOptions,
  io: Pick<IO, 'stderr'>,
  extra: { signal?: AbortSignal; failFast?: (err: unknown) => boolean; configure?: (base: AwsOptions) => AwsOptions } = {},
) {
  const { AwsContext } = await import('../aws/context.js');
  let emulator: { url: string; stop(): Promise<void> } | undefined;
  let endpoint = opts.endpoint;
  if (opts.emulator) {
    const { startEmulator } = await import('../emulator/index.js');
    // Strict regions: the embedded emulator answers as the stricter reading of AWS does (docs/concepts.md#regions).
    emulator = await startEmulator({ stateFile: opts.emulatorState, defaultRegion: opts.region, strictRegions: true });
    endpoint = emulator.url;
    io.stderr.write(`embedded Chime SDK Voice emulator at ${emulator.url}${opts.emulatorState ? ` (state ${opts.emulatorState})` : ''}\n`);
  }
  const base: AwsOptions = {
    region: opts.region,
    endpoint,
    credentials: emulator || (endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) ? EMULATOR_CREDENTIALS : undefined,
    ...(extra.failFast ? { failFast: extra.failFast } : {}),
    ...(extra.signal ? { signal: extra.signal } : {}),
  };
  // An account's access (a role to assume, a profile) is applied on top of the target's endpoint and region.
  const aws = new AwsContext(extra.configure ? extra.configure(base) : base);
  return {
    aws,
    /** What the command talked to, for messages: the endpoint, or `AWS <region>`. */
    where: emulator ? `the embedded emulator` : endpoint ? endpoint : `AWS ${opts.region}`,
    async close() {
      aws.destroy();
      await emulator?.stop();
    },
  };
}
