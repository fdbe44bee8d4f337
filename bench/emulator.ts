/**
 * Emulator throughput: requests per second for simple reads and writes, through the real v3 client
 * (what the project's own benchmarks and tests pay) and over raw keep-alive HTTP (the server alone).
 * Bounded in count, loopback only.
 */
import { Agent, request } from 'node:http';
import {
  ChimeSDKVoiceClient,
  CreateVoiceConnectorCommand,
  GetVoiceConnectorCommand,
  PutVoiceConnectorLoggingConfigurationCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { startEmulator } from '../src/emulator/index.js';

export interface EmulatorBenchResult {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
}

async function timed(name: string, requests: number, concurrency: number, one: (i: number) => Promise<unknown>): Promise<EmulatorBenchResult> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { name, requests, seconds, perSecond: requests / seconds };
}

export async function benchEmulator(requests = 4_000, concurrency = 16): Promise<EmulatorBenchResult[]> {
  const emu = await startEmulator();
  const client = new ChimeSDKVoiceClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  try {
    const created = await client.send(new CreateVoiceConnectorCommand({ Name: 'bench', RequireEncryption: true }));
    const id = created.VoiceConnector!.VoiceConnectorId!;
    // Warm-up: JIT and connection pool, so the figures measure steady throughput.
    await timed('warm-up', 500, concurrency, () => client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id })));
    const results: EmulatorBenchResult[] = [];
    results.push(await timed('SDK read  (GetVoiceConnector)', requests, concurrency, () => client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))));
    results.push(
      await timed('SDK write (PutVoiceConnectorLoggingConfiguration)', requests, concurrency, (i) =>
        client.send(new PutVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: id, LoggingConfiguration: { EnableSIPLogs: i % 2 === 0 } })),
      ),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const url = new URL(emu.url);
    const headers = {
      authorization: `AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      'x-amz-date': '20260101T000000Z',
    };
    const raw = (path: string) =>
      new Promise<void>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, method: 'GET', agent, headers }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end();
      });
    results.push(await timed('HTTP read (GetVoiceConnector, no SDK)', requests, concurrency, () => raw(`/voice-connectors/${id}`)));
    agent.destroy();
    return results;
  } finally {
    client.destroy();
    await emu.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEmulator()) console.log(`${r.name.padEnd(52)} ${r.requests} requests in ${r.seconds.toFixed(2)} s: ${Math.round(r.perSecond)} req/s`);
}
