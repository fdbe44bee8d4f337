/**
 * CloudTrail as the emulator plays it: every write answered `ok` becomes a CloudTrail record
 * (management event, `AwsApiCall`), wrapped as EventBridge delivers it from an "AWS API Call via
 * CloudTrail" rule, and sent to an SQS queue, which is what the controller reads with
 * `--events-queue`. The record's fields follow the published examples (docs/events.md cites
 * them): member names in camelCase, secrets hidden, the caller's access key in `userIdentity`.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { backoffMs } from '../../core/backoff.js';

export interface CloudTrailOptions {
  /** The queue events are sent to (what an EventBridge rule with an SQS target does). */
  queueUrl: string;
  /** The SQS endpoint; the queue URL's origin by default. */
  sqsEndpoint?: string;
  /** Region of the queue (default us-east-1). */
  sqsRegion?: string;
  sqsCredentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * eventSource of Chime SDK Voice records. The administrator guide names `chime.amazonaws.com`
   * for the Chime SDK; `voice-chime.amazonaws.com` (the API's endpoint prefix) is accepted by the
   * controller as well, and a test can make the emulator send it.
   */
  voiceEventSource?: string;
  /** Delay before an event is sent, as CloudTrail's own delivery adds (default 0). */
  deliveryDelayMs?: number;
}

/**
 * Who a caller is, by access key id: a role session (CloudTrail type `AssumedRole`), as the
 * controller runs under IRSA. An access key not listed is an IAM user named after the key.
 */
export interface CallerIdentity {
  role: string;
  session: string;
}

export interface CallRecord {
  service: string;
  operation: string;
  region: string;
  accountId: string;
  time: Date;
  accessKeyId: string;
  userAgent: string;
  sourceIp: string;
  input: unknown;
  output: unknown;
}

/** CloudTrail's placeholder for a secret member (the media pipelines guide's example shows its kin for ARNs). */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const SECRET_MEMBERS = new Set(['password', 'secretaccesskey', 'sessiontoken']);

const EVENT_SOURCES: Record<string, string> = {
  'Chime SDK Voice': 'chime.amazonaws.com',
  'Chime SDK Media Pipelines': 'chime-sdk-media-pipelines.amazonaws.com',
};

/** Members in camelCase (CloudTrail's requestParameters and responseElements), secrets hidden. */
export function cloudTrailShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloudTrailShape);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const name = k.charAt(0).toLowerCase() + k.slice(1);
      out[name] = SECRET_MEMBERS.has(k.toLowerCase()) ? HIDDEN : cloudTrailShape(v);
    }
    return out;
  }
  return value;
}

/** The EventBridge event of one call: the CloudTrail record is its `detail`. */
export function cloudTrailEvent(call: CallRecord, callers: Readonly<Record<string, CallerIdentity>>, voiceEventSource = EVENT_SOURCES['Chime SDK Voice']) {
  const caller = callers[call.accessKeyId];
  const userIdentity = caller
    ? {
        type: 'AssumedRole',
        principalId: `AROA${call.accessKeyId.slice(-16).toUpperCase()}:${caller.session}`,
        arn: `arn:aws:sts::${call.accountId}:assumed-role/${caller.role}/${caller.session}`,
        accountId: call.accountId,
        accessKeyId: call.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: `AROA${call.accessKeyId.slice(-16).toUpperCase()}`, arn: `arn:aws:iam::${call.accountId}:role/${caller.role}`, accountId: call.accountId, userName: caller.role },
          attributes: { mfaAuthenticated: 'false', creationDate: call.time.toISOString() },
        },
      }
    : {
        type: 'IAMUser',
        principalId: `AIDA${call.accessKeyId.slice(-16).toUpperCase()}`,
        arn: `arn:aws:iam::${call.accountId}:user/${call.accessKeyId}`,
        accountId: call.accountId,
        accessKeyId: call.accessKeyId,
        userName: call.accessKeyId,
      };
  const eventID = randomUUID();
  const detail = {
    eventVersion: '1.08',
    userIdentity,
    eventTime: call.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: call.service === 'Chime SDK Voice' ? voiceEventSource : (EVENT_SOURCES[call.service] ?? 'chime.amazonaws.com'),
    eventName: call.operation,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    requestParameters: cloudTrailShape(call.input) ?? null,
    responseElements: cloudTrailShape(call.output) ?? null,
    requestID: randomUUID(),
    eventID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.accountId,
    eventCategory: 'Management',
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.chime',
    account: call.accountId,
    time: detail.eventTime,
    region: call.region,
    resources: [],
    detail,
  };
}

/**
 * Sends the events of the calls, in order, ten per SendMessageBatch (SQS's most). A queue that
 * fails keeps the events and is tried again with backoff: nothing is dropped while the emulator
 * runs (CloudTrail's own delivery is best effort; the emulator's is not, so that tests can count).
 */
export class CloudTrailSender {
  private readonly client: SQSClient;
  private readonly pending: Array<{ body: string; due: number }> = [];
  private sending: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Events sent to the queue, and send failures (each retried). */
  readonly counts = { recorded: 0, delivered: 0, sendFailures: 0 };
  callers: Record<string, CallerIdentity> = {};

  constructor(readonly options: CloudTrailOptions) {
    this.client = new SQSClient({
      endpoint: options.sqsEndpoint ?? new URL(options.queueUrl).origin,
      region: options.sqsRegion ?? 'us-east-1',
      credentials: options.sqsCredentials ?? { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
      maxAttempts: 1,
    });
  }

  record(call: CallRecord): void {
    if (this.stopped) return;
    this.counts.recorded++;
    this.pending.push({ body: JSON.stringify(cloudTrailEvent(call, this.callers, this.options.voiceEventSource)), due: Date.now() + (this.options.deliveryDelayMs ?? 0) });
    this.kick();
  }

  /** Events recorded and not yet in the queue. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Resolves once every event recorded so far is in the queue. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      this.kick();
      await (this.sending ?? new Promise((r) => setTimeout(r, 10)));
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.client.destroy();
  }

  private kick(): void {
    if (this.sending || this.stopped || this.pending.length === 0) return;
    const wait = this.pending[0].due - Date.now();
    if (wait > 0) {
      if (!this.timer) this.timer = setTimeout(() => ((this.timer = undefined), this.kick()), wait);
      return;
    }
    this.sending = this.sendSome().finally(() => {
      this.sending = undefined;
      this.kick();
    });
  }

  private async sendSome(): Promise<void> {
    const now = Date.now();
    let n = 0;
    while (n < 10 && n < this.pending.length && this.pending[n].due <= now) n++;
    const batch = this.pending.slice(0, n);
    try {
      const out = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: batch.map((e, i) => ({ Id: String(i), MessageBody: e.body })) }),
      );
      const failed = new Set((out.Failed ?? []).map((f) => Number(f.Id)));
      // Sent ones leave the backlog; failed ones stay at its head, in order, for the next try.
      const kept = batch.filter((_, i) => failed.has(i));
      this.pending.splice(0, n, ...kept);
      this.counts.delivered += n - kept.length;
      if (kept.length > 0) throw new Error(`${kept.length} of ${n} events refused by the queue`);
      this.failures = 0;
    } catch {
      this.counts.sendFailures++;
      this.failures++;
      await new Promise((r) => setTimeout(r, backoffMs(this.failures, 100, 5_000)));
    }
  }
}
