/**
 * AWS access for the engine: the real v3 clients (default credential chain, or an explicit
 * endpoint such as the emulator), calls by operation name, and a per-pass inventory of list
 * results so that observing many objects costs the pages AWS returns, not one read per object.
 */
import * as voiceSdk from '@aws-sdk/client-chime-sdk-voice';
import * as pipelinesSdk from '@aws-sdk/client-chime-sdk-media-pipelines';
import type { AwsPort, AwsService, ListSpec } from '../core/aws-port.js';

export type { AwsService, ListSpec } from '../core/aws-port.js';

export interface AwsOptions {
  /** The API region (the controller's home region); resources may live in other regions (AwsRegion members). */
  region: string;
  /** An explicit endpoint, e.g. the emulator's URL; omitted for AWS. */
  endpoint?: string;
  /** Static credentials (the emulator accepts any); omitted for the default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * How long one attempt may take, connecting and then answering (default 10 s and 60 s). The
   * SDK sets no overall limit of its own: an endpoint that accepts connections and never answers
   * would hang a plan forever. A timeout is retried like any network error, then reported.
   */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Attempts per call by the SDK's own retry strategy (adaptive mode: client-side rate limiting on throttles). */
  maxAttempts?: number;
  /**
   * How long a listing stays fresh without a write invalidating it. Directory mode refreshes every
   * pass and leaves it unset; the controller, which has no passes, sets it so that resyncs see
   * changes made behind its back while many objects still share one listing.
   */
  inventoryMaxAgeMs?: number;
  /**
   * Errors for which every later call fails at once with the same error instead of being sent
   * (directory mode passes classify's `unreachable`): an endpoint that refuses connections is
   * asked once per pass, not once per object after the SDK's retries each time.
   * `resetFailure()` (each pass) tries again.
   */
  failFast?: (err: unknown) => boolean;
  /**
   * Ctrl-C: no call starts after it fires, and reads in flight are abandoned. A write in flight
   * finishes (its answer is recorded), so that a stop never leaves a write half-known.
   */
  signal?: AbortSignal;
  /** Called after every AWS call, for metrics and call budgets. */
  onCall?: (call: { service: AwsService; operation: string; ok: boolean; errorName?: string; durationMs: number }) => void;
}

/**
 * The SDK puts `app/<this>` in every request's user agent, which CloudTrail records: the events
 * consumer (src/runtime/events-queue.ts) tells the controller's own writes by it.
 */
export const USER_AGENT_APP_ID = 'chime-voice-operator';

type AnyCommandCtor = new (input: any) => any;

function commandFor(service: AwsService, operation: string): AnyCommandCtor {
  const table = (service === 'voice' ? voiceSdk : pipelinesSdk) as unknown as Record<string, unknown>;
  const ctor = table[`${operation}Command`];
  if (typeof ctor !== 'function') throw new Error(`no ${service} operation named ${operation}`);
  return ctor as AnyCommandCtor;
}

/** A call not made, or a read abandoned, because the run was stopped (Ctrl-C). */
export class AbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(operation: string) {
    super(`${operation} not sent: stopping`);
  }
}

/** Whether an SDK error means the resource does not exist. */
export const isNotFound = (err: unknown) => (err as { name?: string })?.name === 'NotFoundException';

export class AwsContext implements AwsPort {
  readonly voice: voiceSdk.ChimeSDKVoiceClient;
  readonly pipelines: pipelinesSdk.ChimeSDKMediaPipelinesClient;
  readonly inventory: Inventory;
  private failure: { error: unknown } | undefined;

  constructor(readonly options: AwsOptions) {
    const config = {
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 5,
      retryMode: 'adaptive',
      userAgentAppId: USER_AGENT_APP_ID,
      requestHandler: { connectionTimeout: options.connectTimeoutMs ?? 10_000, requestTimeout: options.requestTimeoutMs ?? 60_000, throwOnRequestTimeout: true },
    };
    this.voice = new voiceSdk.ChimeSDKVoiceClient(config);
    this.pipelines = new pipelinesSdk.ChimeSDKMediaPipelinesClient(config);
    this.inventory = new Inventory(this, options.inventoryMaxAgeMs);
  }

  get region(): string {
    return this.options.region;
  }

  /** The error that stopped every call (see `failFast`), until `resetFailure`. */
  get failedWith(): unknown {
    return this.failure?.error;
  }

  resetFailure(): void {
    this.failure = undefined;
  }

  /** Calls `operation` with `input`; errors propagate as the SDK's exception classes. */
  async send<T = any>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T> {
    if (this.failure) throw this.failure.error;
    const signal = this.options.signal;
    if (signal?.aborted) throw new AbortedError(operation);
    const Command = commandFor(service, operation);
    const client = service === 'voice' ? this.voice : this.pipelines;
    const started = performance.now();
    try {
      const sdkOptions = signal && isReadOperation(operation) ? { abortSignal: signal } : undefined;
      // Through .call: scripts/iam/scan.ts reads every two-argument `.send(` as AwsContext.send(service, operation).
      const out = await (client as any).send.call(client, new Command(input), sdkOptions);
      this.options.onCall?.({ service, operation, ok: true, durationMs: performance.now() - started });
      return out as T;
    } catch (err) {
      this.options.onCall?.({ service, operation, ok: false, errorName: (err as Error).name, durationMs: performance.now() - started });
      if (!this.failure && this.options.failFast?.(err)) this.failure = { error: err };
      throw err;
    }
  }

  /** Like `send`, but a NotFoundException is an absent resource (undefined), not an error. */
  async read<T = any>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T | undefined> {
    try {
      return await this.send<T>(service, operation, input);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  destroy(): void {
    this.voice.destroy();
    this.pipelines.destroy();
  }
}

/** A write the inventory must account for: its operation and input (TagResource names the ARN whose tags changed). */
export interface Write {
  service: AwsService;
  operation: string;
  input?: Record<string, unknown>;
  /** The listings the write changes, when the action declared them itself. */
  invalidates?: string[];
  /** What AWS answered, when the write succeeded. */
  output?: unknown;
}

/**
 * Creates whose answer holds the new resource in the shape its listing has: the resource is added
 * to the cached listing instead of the listing being dropped, so that creating N resources in a
 * pass (or in a controller's steady stream) lists them once, not N times.
 */
const CREATED_IN: Record<string, { listing: string; member: string }> = {
  CreateVoiceConnector: { listing: 'ListVoiceConnectors', member: 'VoiceConnector' },
  CreateVoiceConnectorGroup: { listing: 'ListVoiceConnectorGroups', member: 'VoiceConnectorGroup' },
  CreateSipMediaApplication: { listing: 'ListSipMediaApplications', member: 'SipMediaApplication' },
};

/**
 * Listed resources whose Get answers in the listing's item shape. A write someone else made (a
 * CloudTrail event) to one of them refreshes that one item in the cached full listing with a Get,
 * instead of dropping a listing of thousands (100 pages at 10,000 connectors) for one change.
 */
const ITEM_READS: Record<string, { listing: string; operation: string; idMember: string; member: string }> = {
  UpdateVoiceConnector: { listing: 'ListVoiceConnectors', operation: 'GetVoiceConnector', idMember: 'VoiceConnectorId', member: 'VoiceConnector' },
  UpdateVoiceConnectorGroup: { listing: 'ListVoiceConnectorGroups', operation: 'GetVoiceConnectorGroup', idMember: 'VoiceConnectorGroupId', member: 'VoiceConnectorGroup' },
  UpdateSipMediaApplication: { listing: 'ListSipMediaApplications', operation: 'GetSipMediaApplication', idMember: 'SipMediaApplicationId', member: 'SipMediaApplication' },
};

/** A cached listing a write changes: the list operation, and the input members a listing must match (all when omitted). */
export interface ListingRef {
  operation: string;
  input?: Record<string, unknown>;
}

const refs = (...operations: string[]): ListingRef[] => operations.map((operation) => ({ operation }));

/**
 * Which listings each write changes, by resource family. Sub-configurations (termination,
 * origination, logging...) are read with Get calls, never listed, so their writes keep every
 * listing: a pass that configures 50 connectors lists them once, not once per connector. A write
 * this table does not know clears everything, the safe default.
 */
const WRITES: Array<[RegExp, (input: Record<string, unknown>) => ListingRef[]]> = [
  [/^(Create|Update)VoiceConnector$/, () => refs('ListVoiceConnectors')],
  // A deleted resource leaves the groups, numbers and tags that named it.
  [/^DeleteVoiceConnector$/, () => refs('ListVoiceConnectors', 'ListVoiceConnectorGroups', 'ListPhoneNumbers', 'ListTagsForResource')],
  [/^(Create|Update)VoiceConnectorGroup$/, () => refs('ListVoiceConnectorGroups')],
  [/^DeleteVoiceConnectorGroup$/, () => refs('ListVoiceConnectorGroups', 'ListPhoneNumbers', 'ListTagsForResource')],
  [/^(Put|Delete)VoiceConnector[A-Z]\w*$/, () => []],
  [/^(Associate|Disassociate)PhoneNumbers?(With|From)/, () => refs('ListPhoneNumbers')],
  [/^CreatePhoneNumberOrder$/, () => refs('ListPhoneNumbers', 'SearchAvailablePhoneNumbers', 'ListPhoneNumberOrders')],
  [/^(Batch)?(Update|Delete|Restore)PhoneNumbers?$/, () => refs('ListPhoneNumbers')],
  [/^UpdatePhoneNumberSettings$/, () => []],
  [/^(Create|Update|Delete)SipRule$/, () => refs('ListSipRules', 'ListPhoneNumbers', 'ListTagsForResource')],
  [/^(Create|Update)SipMediaApplication$/, () => refs('ListSipMediaApplications')],
  [/^DeleteSipMediaApplication$/, () => refs('ListSipMediaApplications', 'ListSipRules', 'ListTagsForResource')],
  [/^PutSipMediaApplication[A-Z]\w*$/, () => []],
  [/^(Create|Update|Delete)VoiceProfileDomain$/, () => refs('ListVoiceProfileDomains', 'ListTagsForResource')],
  [/^(Create|Update|Delete)MediaInsightsPipelineConfiguration$/, () => refs('ListMediaInsightsPipelineConfigurations', 'ListTagsForResource')],
  [/^(Tag|Untag)Resource$/, (input) => [{ operation: 'ListTagsForResource', ...(typeof input.ResourceARN === 'string' ? { input: { ResourceARN: input.ResourceARN } } : {}) }]],
  [/^UpdateGlobalSettings$/, () => []],
];

/** Operations that only read: they change nothing in AWS (and no listing). */
export const isReadOperation = (operation: string): boolean => /^(Get|List|Search|Validate)/.test(operation);

/** The listings a write changes, or 'all' for a write the table does not know. */
export function listingsChangedBy(write: Write): ListingRef[] | 'all' {
  if (write.invalidates) return refs(...write.invalidates);
  if (isReadOperation(write.operation)) return [];
  for (const [pattern, changed] of WRITES) if (pattern.test(write.operation)) return changed(write.input ?? {});
  return 'all';
}

interface Entry {
  spec: ListSpec;
  at: number;
  promise: Promise<any[]>;
}

/**
 * List results cached for one reconcile pass. Every object that needs "all voice connectors" or
 * "all numbers associated with X" shares one paginated listing. Writes invalidate what they touch.
 */
export class Inventory {
  private cache = new Map<string, Entry>();

  constructor(
    private readonly aws: AwsContext,
    private readonly maxAgeMs?: number,
  ) {}

  list<T = any>(spec: ListSpec): Promise<T[]> {
    const key = `${spec.service}:${spec.operation}:${JSON.stringify(spec.input ?? {})}`;
    let entry = this.cache.get(key);
    if (entry && this.maxAgeMs !== undefined && Date.now() - entry.at > this.maxAgeMs) entry = undefined;
    if (!entry) {
      const promise = this.fetchAll(spec);
      const created: Entry = { spec, at: Date.now(), promise };
      // A failed listing is not cached: the next caller tries again.
      promise.catch(() => {
        if (this.cache.get(key) === created) this.cache.delete(key);
      });
      this.cache.set(key, created);
      entry = created;
    }
    return entry.promise as Promise<T[]>;
  }

  /** Forgets listings of the given operations (all when none given), after a write changed them. */
  invalidate(...operations: string[]): void {
    if (operations.length === 0) {
      this.cache.clear();
      return;
    }
    this.forget(refs(...operations));
  }

  /** Forgets the listings made more than `ms` ago: for observations that must not wait for the usual age limit. */
  expireOlderThan(ms: number): void {
    const now = Date.now();
    for (const [key, entry] of [...this.cache.entries()]) if (now - entry.at > ms) this.cache.delete(key);
  }

  /** Forgets exactly the listings these writes changed (see `listingsChangedBy`). */
  invalidateAfter(writes: Write[]): void {
    const changed: ListingRef[] = [];
    for (const w of writes) {
      const created = CREATED_IN[w.operation];
      const item = created && !w.invalidates ? (w.output as Record<string, unknown> | undefined)?.[created.member] : undefined;
      if (item) {
        this.add(created.listing, item);
        continue;
      }
      const r = listingsChangedBy(w);
      if (r === 'all') {
        this.cache.clear();
        return;
      }
      changed.push(...r);
    }
    this.forget(changed);
  }

  /**
   * After a write made by someone else (a CloudTrail event): an update of one listed resource
   * refreshes its item in the cached full listing with one Get (removed if the Get finds nothing,
   * as a new listing would not show it); any other write, or a Get that fails, forgets the listings
   * as `invalidateAfter` does.
   */
  async refreshAfter(write: Write): Promise<void> {
    const item = ITEM_READS[write.operation];
    const id = write.input?.[item?.idMember ?? ''];
    const cached = item ? [...this.cache.values()].filter((e) => e.spec.operation === item.listing && Object.keys(e.spec.input ?? {}).length === 0) : [];
    if (!item || typeof id !== 'string' || cached.length === 0) return this.invalidateAfter([write]);
    let fresh: Record<string, unknown> | undefined;
    try {
      fresh = (await this.aws.read<Record<string, Record<string, unknown>>>(write.service, item.operation, { [item.idMember]: id }))?.[item.member];
    } catch {
      return this.invalidateAfter([write]);
    }
    for (const entry of cached) {
      entry.promise = entry.promise.then((items) => {
        const others = items.filter((i) => (i as Record<string, unknown>)[item.idMember] !== id);
        return fresh ? [...others, fresh] : others;
      });
    }
  }

  /** The operations currently cached, for tests and diagnostics. */
  cachedOperations(): string[] {
    return [...this.cache.values()].map((e) => e.spec.operation);
  }

  /** Adds a just-created resource to the cached full listing of its collection; filtered listings are forgotten. */
  private add(listing: string, item: unknown): void {
    for (const [key, entry] of [...this.cache.entries()]) {
      if (entry.spec.operation !== listing) continue;
      if (Object.keys(entry.spec.input ?? {}).length > 0) {
        this.cache.delete(key);
        continue;
      }
      entry.promise = entry.promise.then((items) => {
        items.push(item);
        return items;
      });
    }
  }

  private forget(changed: ListingRef[]): void {
    if (changed.length === 0) return;
    for (const [key, entry] of [...this.cache.entries()]) {
      const hit = changed.some(
        (ref) => ref.operation === entry.spec.operation && Object.entries(ref.input ?? {}).every(([k, v]) => (entry.spec.input ?? {})[k] === v),
      );
      if (hit) this.cache.delete(key);
    }
  }

  private async fetchAll(spec: ListSpec): Promise<any[]> {
    const all: any[] = [];
    let token: string | undefined;
    do {
      const paging = spec.paged === false ? {} : { MaxResults: spec.maxResults ?? 100, ...(token ? { NextToken: token } : {}) };
      const page: any = await this.aws.send(spec.service, spec.operation, { ...(spec.input ?? {}), ...paging });
      all.push(...(page[spec.items] ?? []));
      token = spec.paged === false ? undefined : page.NextToken;
    } while (token);
    return all;
  }
}
