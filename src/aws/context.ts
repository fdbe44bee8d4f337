/**
 * AWS access for the engine: the real v3 clients (default credential chain, or an explicit
 * endpoint such as the emulator), calls by operation name, and a per-pass inventory of list
 * results so that observing many objects costs the pages AWS returns, not one read per object.
 */
import * as voiceSdk from '@aws-sdk/client-chime-sdk-voice';
import * as pipelinesSdk from '@aws-sdk/client-chime-sdk-media-pipelines';
import { isThrottlingError } from '@smithy/core/retry';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import type { AwsPort, AwsService, InventoryPort, ListSpec } from '../core/aws-port.js';

export type { AwsService, ListSpec } from '../core/aws-port.js';
export { regionOfArn } from '../core/aws-port.js';

/** Credentials as the SDK takes them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
/** Credentials that change (an assumed role's): asked for before each call, cached by the provider. */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

export interface AwsOptions {
  /**
   * The home region (`--region`): account-wide things (phone numbers, orders, global settings) and
   * the kinds created where they are called (groups, SIP rules) go through its endpoint. Regional
   * resources go through their own region's (AwsContext.in).
   */
  region: string;
  /** An explicit endpoint, e.g. the emulator's URL; omitted for AWS. */
  endpoint?: string;
  /** Static credentials (the emulator accepts any) or a provider (an assumed role); omitted for the default credential chain. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** A shared config profile (~/.aws/config) for the default credential chain, instead of AWS_PROFILE. */
  profile?: string;
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
  onCall?: (call: { service: AwsService; operation: string; region: string; ok: boolean; errorName?: string; durationMs: number }) => void;
  /**
   * Called for every attempt AWS answered with a throttling error, as the SDK's retry strategy
   * classifies them, including attempts its retries then absorbed: `onCall` sees only what is left
   * after the retries, and throttling that retries absorb is the warning before calls fail.
   */
  onThrottledAttempt?: (attempt: ThrottledAttempt) => void;
}

/** One attempt of a call that AWS answered with a throttling error (ThrottledClientException, HTTP 429...). */
export interface ThrottledAttempt {
  service: AwsService;
  operation: string;
  region: string;
  /** The SDK's error name of the answer, e.g. ThrottledClientException. */
  errorName: string;
}

/**
 * The SDK puts `app/<this>` in every request's user agent, which CloudTrail records: the events
 * consumer (src/runtime/events-queue.ts) tells the controller's own writes by it.
 */
export const USER_AGENT_APP_ID = 'chime-voice-operator';

/** A command of either client, as `send` uses it: made from its input, with its own middleware stack. */
type AnyCommandCtor = new (input: Record<string, unknown>) => { middlewareStack: MiddlewareStack<object, object> };

/**
 * The clients as calls by operation name use them: the SDK types `send` per command class, and the
 * command here is looked up by name, so its input and output are checked by the SDK at run time.
 */
interface ClientByName {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

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


/**
 * Reports each attempt of a call that AWS answers with a throttling error. The SDK's retry
 * middleware (finalizeRequest step) runs the middleware after it once per attempt, so one placed
 * right after it sees every attempt's answer, deserialized, before the retry strategy decides
 * whether to try again; `onCall` sees only what is left after the retries. It goes on the command
 * (`send` makes one per call), where the call's service, operation and region are known, and the
 * SDK merges it into the client's stack. Throttling is what that strategy itself calls throttling
 * (@smithy/core's isThrottlingError: HTTP 429, ThrottlingException, TooManyRequestsException,
 * SlowDown...; Chime SDK Voice's ThrottledClientException is a 429), so what is counted is what
 * adaptive mode slows down for.
 */
function watchThrottledAttempts(
  stack: MiddlewareStack<object, object>,
  call: Omit<ThrottledAttempt, 'errorName'>,
  onThrottled: (attempt: ThrottledAttempt) => void,
): void {
  const perAttempt: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      if (isThrottled(err)) onThrottled({ ...call, errorName: err.name });
      throw err;
    }
  };
  stack.addRelativeTo(perAttempt, { name: 'chimevoiceThrottledAttempts', relation: 'after', toMiddleware: 'retryMiddleware' });
}

type ThrottlingErrorShape = Parameters<typeof isThrottlingError>[0];
const isThrottled = (err: unknown): err is ThrottlingErrorShape => typeof err === 'object' && err !== null && isThrottlingError(err as ThrottlingErrorShape);

/** The SDK clients of one region. */
interface RegionalClients {
  voice: voiceSdk.ChimeSDKVoiceClient;
  pipelines: pipelinesSdk.ChimeSDKMediaPipelinesClient;
}

/**
 * The account as the engine sees it: one pair of SDK clients per region, each created when a call
 * first needs it, and one inventory whose listings are keyed by region. The home region
 * (`options.region`) serves what is account-wide (phone numbers, orders, global settings) and the
 * kinds that live where they are created (groups, SIP rules); `in(region)` gives the same account
 * through another region's endpoint, for regional resources (docs/concepts.md#regions). With an
 * explicit endpoint (the emulator) every region's client has the same URL and the region travels in
 * the SigV4 credential scope, which is what the endpoint reads to decide the region of a call.
 */
export class AwsContext implements AwsPort {
  readonly inventory: Inventory;
  private readonly clients = new Map<string, RegionalClients>();
  private readonly views = new Map<string, AwsPort>();
  private failure: { error: unknown; region: string } | undefined;

  constructor(readonly options: AwsOptions) {
    this.inventory = new Inventory(this, options.inventoryMaxAgeMs);
  }

  get region(): string {
    return this.options.region;
  }

  /** The regions whose clients exist so far (the home region's once a call has gone there). */
  get regionsUsed(): string[] {
    return [...this.clients.keys()];
  }

  in(region: string): AwsPort {
    if (region === this.options.region) return this;
    let view = this.views.get(region);
    if (!view) {
      view = new RegionalAws(this, region);
      this.views.set(region, view);
    }
    return view;
  }

  /** The clients of `region`, created on first use: a fleet in two regions opens two, not ten. */
  private clientsFor(region: string): RegionalClients {
    let clients = this.clients.get(region);
    if (!clients) {
      const options = this.options;
      const config = {
        region,
        endpoint: options.endpoint,
        credentials: options.credentials,
        ...(options.profile ? { profile: options.profile } : {}),
        maxAttempts: options.maxAttempts ?? 5,
        retryMode: 'adaptive',
        userAgentAppId: USER_AGENT_APP_ID,
        requestHandler: { connectionTimeout: options.connectTimeoutMs ?? 10_000, requestTimeout: options.requestTimeoutMs ?? 60_000, throwOnRequestTimeout: true },
      };
      clients = { voice: new voiceSdk.ChimeSDKVoiceClient(config), pipelines: new pipelinesSdk.ChimeSDKMediaPipelinesClient(config) };
      this.clients.set(region, clients);
    }
    return clients;
  }

  /** The error that stopped every call (see `failFast`), until `resetFailure`. */
  get failedWith(): unknown {
    return this.failure?.error;
  }

  /** The region whose endpoint answered `failedWith`: the one a report of it must name. */
  get failedIn(): string | undefined {
    return this.failure?.region;
  }

  resetFailure(): void {
    this.failure = undefined;
  }

  /**
   * Calls `operation` with `input` through the endpoint of `region` (the home region when omitted);
   * errors propagate as the SDK's exception classes.
   */
  async send<T = unknown>(service: AwsService, operation: string, input: Record<string, unknown>, region?: string): Promise<T> {
    if (this.failure) throw this.failure.error;
    const signal = this.options.signal;
    if (signal?.aborted) throw new AbortedError(operation);
    const Command = commandFor(service, operation);
    const at = region ?? this.options.region;
    const clients = this.clientsFor(at);
    const client = service === 'voice' ? clients.voice : clients.pipelines;
    const started = performance.now();
    try {
      const command = new Command(input);
      const onThrottled = this.options.onThrottledAttempt;
      if (onThrottled) watchThrottledAttempts(command.middlewareStack, { service, operation, region: at }, onThrottled);
      const sdkOptions = signal && isReadOperation(operation) ? { abortSignal: signal } : undefined;
      // Through .call: scripts/iam/scan.ts reads every two-argument `.send(` as AwsContext.send(service, operation).
      const out = await (client as unknown as ClientByName).send.call(client, command, sdkOptions);
      this.options.onCall?.({ service, operation, region: at, ok: true, durationMs: performance.now() - started });
      return out as T;
    } catch (err) {
      this.options.onCall?.({ service, operation, region: at, ok: false, errorName: (err as Error).name, durationMs: performance.now() - started });
      if (!this.failure && this.options.failFast?.(err)) this.failure = { error: err, region: at };
      throw err;
    }
  }

  /** Like `send`, but a NotFoundException is an absent resource (undefined), not an error. */
  async read<T = unknown>(service: AwsService, operation: string, input: Record<string, unknown>, region?: string): Promise<T | undefined> {
    try {
      return await this.send<T>(service, operation, input, region);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  destroy(): void {
    for (const clients of this.clients.values()) {
      clients.voice.destroy();
      clients.pipelines.destroy();
    }
    this.clients.clear();
  }
}

/** The account through one region's endpoint: calls and listings of that region (AwsContext.in). */
class RegionalAws implements AwsPort {
  readonly inventory: InventoryPort;

  constructor(
    private readonly account: AwsContext,
    readonly region: string,
  ) {
    this.inventory = { list: (spec) => account.inventory.list(spec, region) };
  }

  in(region: string): AwsPort {
    return this.account.in(region);
  }

  send<T = unknown>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T> {
    return this.account.send<T>(service, operation, input, this.region);
  }

  read<T = unknown>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T | undefined> {
    return this.account.read<T>(service, operation, input, this.region);
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
  /** The region whose endpoint took the write (the home region when omitted). */
  region?: string;
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
  region: string;
  at: number;
  promise: Promise<unknown[]>;
}

/**
 * List results cached for one reconcile pass. Every object that needs "all voice connectors" or
 * "all numbers associated with X" shares one paginated listing. Writes invalidate what they touch.
 * Listings are keyed by region: each region's endpoint lists its own regional resources, and a
 * region is listed only when an object of the fleet lives there.
 */
export class Inventory {
  private cache = new Map<string, Entry>();

  constructor(
    private readonly aws: AwsContext,
    private readonly maxAgeMs?: number,
  ) {}

  list<T = unknown>(spec: ListSpec, region: string = this.aws.region): Promise<T[]> {
    const key = `${region}:${spec.service}:${spec.operation}:${JSON.stringify(spec.input ?? {})}`;
    let entry = this.cache.get(key);
    if (entry && this.maxAgeMs !== undefined && Date.now() - entry.at > this.maxAgeMs) entry = undefined;
    if (!entry) {
      const promise = this.fetchAll(spec, region);
      const created: Entry = { spec, region, at: Date.now(), promise };
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
        this.add(created.listing, w.region ?? this.aws.region, item);
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

  /** The regions listed so far (a region holding none of the fleet's objects is never listed). */
  cachedRegions(): string[] {
    return [...new Set([...this.cache.values()].map((e) => e.region))].sort();
  }

  /**
   * Adds a just-created resource to the cached full listing of its collection in the region that
   * created it; filtered listings are forgotten. (A write's other effects are forgotten in every
   * region: deleting a connector in one region changes the account-wide number listing of the home
   * region, and a group of the home region may hold connectors of any.)
   */
  private add(listing: string, region: string, item: unknown): void {
    for (const [key, entry] of [...this.cache.entries()]) {
      if (entry.spec.operation !== listing || entry.region !== region) continue;
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

  private async fetchAll(spec: ListSpec, region: string): Promise<unknown[]> {
    const all: unknown[] = [];
    let token: string | undefined;
    do {
      const paging = spec.paged === false ? {} : { MaxResults: spec.maxResults ?? 100, ...(token ? { NextToken: token } : {}) };
      const page = await this.aws.send<Record<string, unknown>>(spec.service, spec.operation, { ...(spec.input ?? {}), ...paging }, region);
      all.push(...((page[spec.items] as unknown[] | undefined) ?? []));
      token = spec.paged === false ? undefined : (page.NextToken as string | undefined);
    } while (token);
    return all;
  }
}
