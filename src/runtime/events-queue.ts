/**
 * The CloudTrail events queue (`--events-queue`): an SQS queue that an EventBridge rule fills with
 * the Chime SDK Voice and media pipelines writes of the account (docs/events.md). Each message is
 * read, its record mapped to the objects it touches (EventKeyIndex), those handed to `onKeys`
 * (the controller requeues them ahead of the routine resyncs), and the message deleted once that
 * is done. The controller's own writes are recognised and skipped; a record seen twice (SQS
 * delivers at least once) is handled once. A queue that cannot be read is an outage: `onHealth`
 * says so (the controller falls back to polling) and reading is retried with backoff.
 *
 * Deleting after the hand-over is safe against a crash: a process that dies after a delete loses
 * its work queue, but a new process reconciles every object at start anyway.
 */
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { eventLagMs, isOwnWrite, parseEventMessage, type CloudTrailRecord, type OwnIdentity } from '../aws/cloudtrail-events.js';
import { backoffMs } from '../core/backoff.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';

export interface EventsQueueOptions {
  queueUrl: string;
  /** The SQS client's settings: the queue's region (from its URL by default), an endpoint, credentials. */
  sqs?: { region?: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } };
  own: OwnIdentity;
  /** The keys of the objects a record touches. */
  keysFor: (record: CloudTrailRecord) => string[];
  /**
   * Called with the records of the messages received at once and the keys each touches, before
   * the messages are deleted (records touching no object included: their writes may still change
   * listings the controller caches).
   */
  onEvents: (events: Array<{ record: CloudTrailRecord; keys: string[] }>) => void | Promise<void>;
  /** Called when the queue becomes unreadable (with the cause) and readable again. */
  onHealth?: (healthy: boolean, cause?: string) => void;
  metrics: Metrics;
  log: Logger;
  /** Long-poll wait of each ReceiveMessage, seconds (default 20, SQS's most). */
  waitTimeSeconds?: number;
  /** Receivers in parallel (default 2): a burst drains at twice the pace of one. */
  receivers?: number;
  /** eventIDs remembered to drop repeats (default 100,000). */
  dedupeWindow?: number;
  /** Failed reads in a row before the queue counts as out (default 2: one retry, so a single dropped connection is not an outage). */
  failuresBeforeOutage?: number;
  /** Ceiling of the wait between failed reads (default 30 s). */
  maxRetryMs?: number;
  now?: () => number;
}

export class EventsQueueConsumer {
  private readonly client: SQSClient;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly seen = new Map<string, true>();
  private failures = 0;
  private healthy = true;
  private abort = new AbortController();

  constructor(private readonly options: EventsQueueOptions) {
    this.client = new SQSClient({
      region: options.sqs?.region ?? regionOfQueueUrl(options.queueUrl) ?? 'us-east-1',
      ...(options.sqs?.endpoint ? { endpoint: options.sqs.endpoint } : {}),
      ...(options.sqs?.credentials ? { credentials: options.sqs.credentials } : {}),
      // The loop retries with its own backoff and says when the queue is out; the SDK's retries would only delay that.
      maxAttempts: 1,
    });
  }

  /** Whether the last read of the queue worked. */
  get isHealthy(): boolean {
    return this.healthy;
  }

  /**
   * Checks that the queue can be read (GetQueueAttributes: the URL, the permission), then starts
   * reading. A queue that cannot be read at start is an outage like any other: the controller
   * starts, polls, and says why.
   */
  async start(): Promise<void> {
    this.running = true;
    try {
      const out = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      this.options.metrics.eventsQueueUp.set(1);
      this.options.log.info({ queue: this.options.queueUrl, backlog: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) }, 'reading CloudTrail events from the queue');
    } catch (err) {
      this.failed(err);
      this.failures = Math.max(this.failures, this.options.failuresBeforeOutage ?? 2);
      this.setHealth(false, describe(err));
    }
    const n = Math.max(1, this.options.receivers ?? 2);
    this.loops = Array.from({ length: n }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
    this.client.destroy();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let messages: Message[];
      try {
        // The abort signal ends a long poll at stop. Spread: scripts/iam/scan.ts reads every two-argument `.send(` as a Chime call.
        const receive = [
          new ReceiveMessageCommand({ QueueUrl: this.options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: this.options.waitTimeSeconds ?? 20 }),
          { abortSignal: this.abort.signal },
        ] as const;
        const out = await this.client.send(...receive);
        messages = out.Messages ?? [];
        this.failures = 0;
        this.setHealth(true);
      } catch (err) {
        if (!this.running) return;
        this.failed(err);
        await sleep(backoffMs(this.failures, 500, this.options.maxRetryMs ?? 30_000), this.abort.signal);
        continue;
      }
      if (messages.length > 0) await this.handle(messages);
    }
  }

  private failed(err: unknown) {
    this.failures++;
    if (this.failures >= (this.options.failuresBeforeOutage ?? 2)) this.setHealth(false, describe(err));
    else this.options.log.debug({ err: describe(err) }, 'events queue read failed; trying again');
  }

  private setHealth(healthy: boolean, cause?: string) {
    if (healthy === this.healthy) return;
    this.healthy = healthy;
    this.options.metrics.eventsQueueUp.set(healthy ? 1 : 0);
    if (healthy) this.options.log.info({ queue: this.options.queueUrl }, 'events queue readable again: drift is found from events, polling back to the resync period');
    else this.options.log.error({ queue: this.options.queueUrl, err: cause }, 'events queue unreadable: falling back to polling for drift until it is back');
    this.options.onHealth?.(healthy, cause);
  }

  /** Maps, hands over, then deletes: a message is deleted only once its keys are queued. */
  private async handle(messages: Message[]): Promise<void> {
    const { metrics, log } = this.options;
    const now = (this.options.now ?? Date.now)();
    const handed: Array<{ record: CloudTrailRecord; keys: string[] }> = [];
    for (const m of messages) {
      metrics.events.inc({ outcome: 'received' });
      const parsed = parseEventMessage(m.Body ?? '');
      if (parsed.kind === 'malformed') {
        metrics.events.inc({ outcome: 'malformed' });
        log.warn({ messageId: m.MessageId, why: parsed.why }, 'events queue: a message that is not a CloudTrail event; deleted');
        continue;
      }
      if (parsed.kind === 'other') {
        metrics.events.inc({ outcome: 'other' });
        continue;
      }
      const record = parsed.record;
      if (this.seen.has(record.eventID)) {
        metrics.events.inc({ outcome: 'duplicate' });
        continue;
      }
      this.remember(record.eventID);
      const lag = eventLagMs(record, now);
      if (lag !== undefined) metrics.eventLag.observe(lag / 1000);
      if (isOwnWrite(record, this.options.own)) {
        metrics.events.inc({ outcome: 'own' });
        continue;
      }
      const touched = this.options.keysFor(record);
      handed.push({ record, keys: touched });
      if (touched.length === 0) {
        metrics.events.inc({ outcome: 'unmatched' });
        log.debug({ event: record.eventName, eventID: record.eventID }, 'event touches no object');
        continue;
      }
      metrics.events.inc({ outcome: 'matched' });
      log.info({ event: record.eventName, eventID: record.eventID, objects: touched }, 'AWS changed outside the controller: looking at the objects it touched now');
    }
    try {
      if (handed.length > 0) await this.options.onEvents(handed);
    } catch (err) {
      // Not handed over: the messages stay, and come back after their visibility timeout.
      for (const m of messages) {
        const parsed = parseEventMessage(m.Body ?? '');
        if (parsed.kind === 'record') this.seen.delete(parsed.record.eventID);
      }
      log.warn({ err: describe(err) }, 'events queue: could not queue the objects an event touched; the messages come back later');
      return;
    }
    try {
      const out = await this.client.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
      );
      // A message not deleted comes back; its eventID is remembered, so it is dropped then.
      if (out.Failed?.length) log.warn({ failed: out.Failed.length }, 'events queue: some messages could not be deleted; they will be seen again and dropped as repeats');
    } catch (err) {
      log.warn({ err: describe(err) }, 'events queue: delete failed; the messages will be seen again and dropped as repeats');
    }
  }

  private remember(id: string) {
    this.seen.set(id, true);
    const window = this.options.dedupeWindow ?? 100_000;
    // A Map iterates in insertion order: the oldest ids go first.
    while (this.seen.size > window) this.seen.delete(this.seen.keys().next().value as string);
  }
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → the region. */
export function regionOfQueueUrl(url: string): string | undefined {
  try {
    return /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  return [e.name, e.message ?? e.code].filter(Boolean).join(': ') || String(err);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
