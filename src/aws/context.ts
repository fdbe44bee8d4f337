/**
 * AWS access for the engine: the real v3 clients (default credential chain, or an explicit
 * endpoint such as the emulator), calls by operation name, and a per-pass inventory of list
 * results so that observing many objects costs the pages AWS returns, not one read per object.
 */
import * as voiceSdk from '@aws-sdk/client-chime-sdk-voice';
import * as pipelinesSdk from '@aws-sdk/client-chime-sdk-media-pipelines';
import type { AwsService } from '../reconcile/types.js';

export interface AwsOptions {
  /** The API region (the controller's home region); resources may live in other regions (AwsRegion members). */
  region: string;
  /** An explicit endpoint, e.g. the emulator's URL; omitted for AWS. */
  endpoint?: string;
  /** Static credentials (the emulator accepts any); omitted for the default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call by the SDK's own retry strategy (adaptive mode: client-side rate limiting on throttles). */
  maxAttempts?: number;
  /** Called after every AWS call, for metrics and call budgets. */
  onCall?: (call: { service: AwsService; operation: string; ok: boolean; errorName?: string; durationMs: number }) => void;
}

type AnyCommandCtor = new (input: any) => any;

function commandFor(service: AwsService, operation: string): AnyCommandCtor {
  const table = (service === 'voice' ? voiceSdk : pipelinesSdk) as unknown as Record<string, unknown>;
  const ctor = table[`${operation}Command`];
  if (typeof ctor !== 'function') throw new Error(`no ${service} operation named ${operation}`);
  return ctor as AnyCommandCtor;
}

/** Whether an SDK error means the resource does not exist. */
export const isNotFound = (err: unknown) => (err as { name?: string })?.name === 'NotFoundException';

export class AwsContext {
  readonly voice: voiceSdk.ChimeSDKVoiceClient;
  readonly pipelines: pipelinesSdk.ChimeSDKMediaPipelinesClient;
  readonly inventory: Inventory;

  constructor(readonly options: AwsOptions) {
    const config = {
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 5,
      retryMode: 'adaptive',
    };
    this.voice = new voiceSdk.ChimeSDKVoiceClient(config);
    this.pipelines = new pipelinesSdk.ChimeSDKMediaPipelinesClient(config);
    this.inventory = new Inventory(this);
  }

  get region(): string {
    return this.options.region;
  }

  /** Calls `operation` with `input`; errors propagate as the SDK's exception classes. */
  async send<T = any>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T> {
    const Command = commandFor(service, operation);
    const client = service === 'voice' ? this.voice : this.pipelines;
    const started = performance.now();
    try {
      const out = await (client as any).send(new Command(input));
      this.options.onCall?.({ service, operation, ok: true, durationMs: performance.now() - started });
      return out as T;
    } catch (err) {
      this.options.onCall?.({ service, operation, ok: false, errorName: (err as Error).name, durationMs: performance.now() - started });
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

interface ListSpec {
  service: AwsService;
  operation: string;
  input?: Record<string, unknown>;
  /** Output member holding the page's items. */
  items: string;
  maxResults?: number;
  /** False for calls without MaxResults/NextToken (ListTagsForResource, ListVoiceConnectorTerminationCredentials). */
  paged?: boolean;
}

/**
 * List results cached for one reconcile pass. Every object that needs "all voice connectors" or
 * "all numbers associated with X" shares one paginated listing. Writes invalidate what they touch.
 */
export class Inventory {
  private cache = new Map<string, Promise<any[]>>();

  constructor(private readonly aws: AwsContext) {}

  list<T = any>(spec: ListSpec): Promise<T[]> {
    const key = `${spec.service}:${spec.operation}:${JSON.stringify(spec.input ?? {})}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.fetchAll(spec);
      // A failed listing is not cached: the next caller tries again.
      entry.catch(() => this.cache.delete(key));
      this.cache.set(key, entry);
    }
    return entry as Promise<T[]>;
  }

  /** Forgets listings of the given operations (all when none given), after a write changed them. */
  invalidate(...operations: string[]): void {
    if (operations.length === 0) {
      this.cache.clear();
      return;
    }
    for (const key of [...this.cache.keys()]) {
      if (operations.some((op) => key.includes(`:${op}:`))) this.cache.delete(key);
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
