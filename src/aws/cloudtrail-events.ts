/**
 * CloudTrail records of Chime SDK Voice and media pipelines writes, as an EventBridge rule delivers
 * them to an SQS queue (docs/events.md, with the sources of each field): reading a message, telling
 * the controller's own writes from others', and the AWS identifiers a record touches. Pure: the
 * queue consumer (src/runtime/events-queue.ts) does the I/O, and the table tests pin these rules.
 */

import type { AwsService } from '../core/aws-port.js';
import type { Write } from './context.js';

/**
 * The eventSource values taken as Chime SDK Voice or media pipelines. The administrator guide
 * names `chime.amazonaws.com` for the Chime SDK; the media pipelines guide's example shows
 * `chime-sdk-media-pipelines.amazonaws.com`. The API endpoints' prefixes (`voice-chime`,
 * `media-pipelines-chime`) are taken too, since AWS does not say that they never appear.
 */
export const CHIME_EVENT_SOURCES: readonly string[] = [
  'chime.amazonaws.com',
  'voice-chime.amazonaws.com',
  'chime-sdk-media-pipelines.amazonaws.com',
  'media-pipelines-chime.amazonaws.com',
];

/** The members of a CloudTrail record the controller reads. */
export interface CloudTrailRecord {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  userAgent?: string;
  errorCode?: string;
  readOnly?: boolean;
  userIdentity?: { type?: string; arn?: string; principalId?: string; accessKeyId?: string; sessionContext?: { sessionIssuer?: { arn?: string; userName?: string } } };
  requestParameters?: unknown;
  responseElements?: unknown;
}

export type ParsedMessage =
  | { kind: 'record'; record: CloudTrailRecord }
  /** A well-formed event that is not a Chime write (another service, a read, a failed call): nothing to do. */
  | { kind: 'other'; why: string }
  | { kind: 'malformed'; why: string };

/**
 * One SQS message body: the EventBridge event (its `detail` is the CloudTrail record), or a bare
 * record (a queue fed another way). A failed call (errorCode) changed nothing, and a read changes
 * nothing: both are `other`.
 */
export function parseEventMessage(body: string, sources: readonly string[] = CHIME_EVENT_SOURCES): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'malformed', why: 'the message body is not JSON' };
  }
  if (!isObject(json)) return { kind: 'malformed', why: 'the message body is not a JSON object' };
  const detail = isObject(json.detail) ? json.detail : json;
  const { eventID, eventTime, eventSource, eventName } = detail;
  if (typeof eventID !== 'string' || typeof eventTime !== 'string' || typeof eventSource !== 'string' || typeof eventName !== 'string') {
    return { kind: 'malformed', why: 'not a CloudTrail record (eventID, eventTime, eventSource or eventName missing)' };
  }
  if (!sources.includes(eventSource)) return { kind: 'other', why: `event source ${eventSource}` };
  if (typeof detail.errorCode === 'string') return { kind: 'other', why: `failed call (${detail.errorCode})` };
  if (detail.readOnly === true) return { kind: 'other', why: 'read-only call' };
  return { kind: 'record', record: detail as unknown as CloudTrailRecord };
}

/**
 * How the controller knows its own writes: the SDK's user agent carries `app/<userAgentAppId>`
 * (AwsContext sets it), and under IRSA the role session name is the one the Deployment sets
 * (AWS_ROLE_SESSION_NAME). Either is enough; neither given means nothing is taken as own.
 */
export interface OwnIdentity {
  userAgentAppId?: string;
  sessionNames?: readonly string[];
}

export function isOwnWrite(record: CloudTrailRecord, own: OwnIdentity): boolean {
  if (own.userAgentAppId && record.userAgent && record.userAgent.split(/\s+/).includes(`app/${own.userAgentAppId}`)) return true;
  const session = sessionNameOf(record);
  return session !== undefined && (own.sessionNames ?? []).includes(session);
}

/** The role session name of an AssumedRole caller: the last segment of its sts ARN. */
export function sessionNameOf(record: CloudTrailRecord): string | undefined {
  const arn = record.userIdentity?.arn;
  if (record.userIdentity?.type !== 'AssumedRole' || !arn) return undefined;
  const m = /^arn:[^:]+:sts::\d{12}:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  return m?.[1];
}

/** Milliseconds from the call (eventTime) to `now`; undefined for a time that does not parse. */
export function eventLagMs(record: CloudTrailRecord, now: number): number | undefined {
  const t = Date.parse(record.eventTime);
  return Number.isFinite(t) ? Math.max(0, now - t) : undefined;
}

/**
 * Writes that touch an account-wide setting rather than a resource with an id: the kinds whose
 * objects they concern (every object of the kind).
 */
export const ACCOUNT_WIDE_EVENTS: Readonly<Record<string, string>> = {
  UpdateGlobalSettings: 'VoiceGlobalSettings',
};

/**
 * Whether a string is an AWS identifier worth looking up: an ARN, a UUID (SIP media applications,
 * rules, voice profile domains, media insights configurations, orders), a voice connector or group
 * id (lowercase letters and digits, 20 to 22), or an E.164 number (phone numbers' ids). Names,
 * booleans, host names and numbers are not.
 */
export function isIdentifier(value: string): boolean {
  return (
    value.startsWith('arn:') ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ||
    /^[a-z0-9]{20,22}$/.test(value) && /\d/.test(value) && /[a-z]/.test(value) ||
    /^\+[1-9]\d{1,14}$/.test(value)
  );
}

/** An identifier and, for an ARN, its resource id (the part after the last `/` or `:`), which status may hold alone. */
export function identifierForms(value: string): string[] {
  if (!value.startsWith('arn:')) return [value];
  const id = value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf(':')) + 1);
  return id && id !== value && isIdentifier(id) ? [value, id] : [value];
}

/**
 * Every identifier in the record's requestParameters and responseElements (at any depth: a
 * connector's id, the numbers of an association, a rule's target applications, a tagged ARN).
 */
export function identifiersOf(record: CloudTrailRecord): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 8) return;
    if (typeof v === 'string') {
      if (isIdentifier(v)) for (const f of identifierForms(v)) out.add(f);
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (isObject(v)) for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(record.requestParameters, 0);
  walk(record.responseElements, 0);
  return [...out];
}

/**
 * The record as the write it was, in the SDK's member names (CloudTrail writes them in camelCase),
 * so that the inventory forgets exactly the listings it changed (Inventory.invalidateAfter).
 */
export function writeOf(record: CloudTrailRecord): Write {
  const service: AwsService = /media-pipelines/.test(record.eventSource) ? 'mediaPipelines' : 'voice';
  const input = pascalCase(record.requestParameters);
  // Someone else's call, never one the controller makes: scripts/iam/scan.ts (which reads every `operation:` as a call to permit) lets a passed-through `operation` be.
  const { eventName: operation } = record;
  return { service, operation, ...(isObject(input) ? { input } : {}) };
}

function pascalCase(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pascalCase);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalCase(x)]));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
