/**
 * The real SQS-compatible server (ElasticMQ) of the tests and benches, shared by every test file
 * of a run (scripts/sqs-server.sh starts it once and stops it 10 minutes after its last use), each
 * file on queues of its own. A TCP relay in front of it lets a test take the queue away from a
 * controller (an outage) without disturbing the other files.
 */
import { execFile } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LEASE = join(REPO_ROOT, 'test/sqs/.cache/server/lease');

/** Credentials ElasticMQ accepts (it checks none); the region is the one of the queue URLs. */
export const SQS_CREDENTIALS = { accessKeyId: 'sqs-test', secretAccessKey: 'sqs-test' };
export const SQS_REGION = 'us-east-1';

let endpointPromise: Promise<string> | undefined;
let leaseTimer: NodeJS.Timeout | undefined;

/** The shared server's endpoint, starting it (and fetching ElasticMQ from Maven Central) when needed. */
export function sqsEndpoint(): Promise<string> {
  endpointPromise ??= promisify(execFile)('bash', [join(REPO_ROOT, 'scripts/sqs-server.sh')], { cwd: REPO_ROOT, timeout: 10 * 60_000 }).then(({ stdout }) => {
    // Keeps the server alive while this process uses it (the watchdog stops it 10 minutes after the last touch).
    leaseTimer ??= setInterval(() => {
      try {
        const now = new Date();
        utimesSync(LEASE, now, now);
      } catch {
        // The server folder went away: the next start makes it again.
      }
    }, 20_000).unref();
    return stdout.trim();
  });
  endpointPromise.catch(() => (endpointPromise = undefined));
  return endpointPromise;
}

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: SQS_REGION, credentials: SQS_CREDENTIALS });
}

/** A new queue of its own for the caller, named after it; returns its URL. */
export async function createTestQueue(client: SQSClient, label: string): Promise<string> {
  const name = `${label.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50)}-${randomBytes(4).toString('hex')}`;
  const out = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '30' } }));
  if (!out.QueueUrl) throw new Error(`CreateQueue ${name} answered without a QueueUrl`);
  return out.QueueUrl;
}

export async function deleteTestQueue(client: SQSClient, url: string): Promise<void> {
  await client.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
}

/** Messages in the queue: visible, and received but not yet deleted. */
export async function queueCounts(client: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/**
 * A TCP relay to the server: `url` stands in for the server's endpoint. `cut()` drops every
 * connection and refuses new ones (the queue is unreachable), `restore()` serves again.
 */
export interface SqsRelay {
  endpoint: string;
  /** A queue URL of the server rewritten to go through the relay. */
  through(queueUrl: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startRelay(target: string): Promise<SqsRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(Number(port), hostname);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(listenPort, '127.0.0.1', () => {
        listenPort = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  const endpoint = `http://127.0.0.1:${listenPort}`;
  return {
    endpoint,
    through: (queueUrl) => {
      const u = new URL(queueUrl);
      return `${endpoint}${u.pathname}`;
    },
    cut: stop,
    restore: listen,
    close: stop,
  };
}
