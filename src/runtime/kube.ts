/**
 * The controller's writes to the Kubernetes API: status through the status subresource only (server-
 * side apply with a field manager of its own), the finalizer through a patch guarded by the
 * object's resourceVersion, Secrets read on demand, and Events. Spec is never written: GitOps tools
 * would see it as drift.
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Lease,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { API_GROUP, API_VERSION, FINALIZER, getAnyKind } from '../api/index.js';
import { backoffMs } from '../core/backoff.js';
import { deepEqual } from '../core/canonical.js';
import type { EventRecord, ManagedObject, ObjectStatus } from '../reconcile/types.js';


/** Objects per page when listing a kind (the API server's own default page size for clients such as kubectl). */
export const LIST_PAGE_SIZE = 500;
export const FIELD_MANAGER = 'chime-voice-operator';

/** No usable kubeconfig: `run` says which and exits instead of retrying against a made-up server. */
export class KubeConfigError extends Error {}

/**
 * The API server answered, but the controller's identity may not list a kind (403): RBAC, which a
 * person or a later sync can grant without a restart. Not fatal: the controller starts, its watches
 * retry, and /readyz stays 503 until they can list.
 */
export class KubeForbiddenError extends KubeConfigError {}

/**
 * The kubeconfig as kubectl finds it: --kubeconfig, else the in-cluster service account, else
 * KUBECONFIG, else ~/.kube/config. The client library's own fallback when none exists is
 * http://localhost:8080, which it then refuses to use ("HTTP protocol is not allowed"): that
 * case, and an unreadable file, are a KubeConfigError naming what was tried.
 */
export function loadKubeConfig(kubeconfig?: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  const load = (file: string, from: string) => {
    if (!existsSync(file)) throw new KubeConfigError(`${from} ${file}: no such file`);
    try {
      kc.loadFromFile(file);
    } catch (err) {
      throw new KubeConfigError(`${from} ${file}: not a usable kubeconfig: ${(err as Error).message}`);
    }
  };
  if (kubeconfig) load(kubeconfig, '--kubeconfig');
  else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) kc.loadFromCluster();
  else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0) throw new KubeConfigError(`KUBECONFIG=${env.KUBECONFIG}: no such file`);
    try {
      kc.loadFromDefault();
    } catch (err) {
      throw new KubeConfigError(`KUBECONFIG=${env.KUBECONFIG}: not a usable kubeconfig: ${(err as Error).message}`);
    }
  } else {
    const home = join(env.HOME ?? homedir(), '.kube', 'config');
    if (!existsSync(home)) {
      throw new KubeConfigError(`no kubeconfig: not in a cluster (KUBERNETES_SERVICE_HOST unset), KUBECONFIG unset, and ${home} does not exist; pass --kubeconfig <file>`);
    }
    load(home, 'kubeconfig');
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new KubeConfigError(`kubeconfig: the current context ${JSON.stringify(kc.getCurrentContext())} names no cluster with a server`);
  shareDispatcher(kc);
  return kc;
}

/** Switches to another context of the kubeconfig, as kubectl's --context does; the context must exist. */
export function useContext(kc: KubeConfig, context: string | undefined): KubeConfig {
  if (context === undefined) return kc;
  if (!kc.getContexts().some((c) => c.name === context)) {
    throw new KubeConfigError(`kubeconfig: no context ${JSON.stringify(context)} (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
  }
  kc.setCurrentContext(context);
  if (!kc.getCurrentCluster()?.server) throw new KubeConfigError(`kubeconfig: the context ${JSON.stringify(context)} names no cluster with a server`);
  return kc;
}

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];
type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;
type CreateDispatcher = (cluster: ReturnType<KubeConfig['getCurrentCluster']>, agentOptions: Parameters<KubeConfig['createDispatcherOptions']>[1]) => Dispatcher | undefined;

/**
 * One HTTP connection pool for every request to the API server, as client-go has. In
 * @kubernetes/client-node 2.0.1, `applySecurityAuthentication` (run before every API call and
 * watch) builds a new undici Agent each time (`KubeConfig.createDispatcher`): every request opened
 * its own TLS connection, a handshake and an OpenSSL context holding the CA and client certificate,
 * released only when the garbage collector found the Agent, which the JavaScript heap's size does
 * not tell it to look for. With 3,000 VoiceConnectors that native memory was about 60 MiB of the
 * controller's RSS (docs/benchmarks.md). The pool is replaced, and the old one closed once its
 * requests end, when the TLS options change (a client certificate or CA file rewritten on disk,
 * which the library reads again on every request). The library method is private, so its absence
 * after an upgrade is an error at start rather than a silent return to a pool per request
 * (test/runtime/kube-dispatcher.test.ts).
 */
export function shareDispatcher(kc: KubeConfig): void {
  const target = kc as unknown as { createDispatcher?: CreateDispatcher };
  const perRequest = target.createDispatcher;
  if (typeof perRequest !== 'function') {
    throw new Error('@kubernetes/client-node: KubeConfig.createDispatcher is gone; src/runtime/kube.ts shareDispatcher must follow the library');
  }
  let shared: { options: unknown; dispatcher: Dispatcher | undefined } | undefined;
  target.createDispatcher = (cluster, agentOptions) => {
    const options = kc.createDispatcherOptions(cluster, agentOptions);
    if (shared && deepEqual(shared.options, options)) return shared.dispatcher;
    const previous = shared?.dispatcher;
    shared = { options, dispatcher: perRequest.call(kc, cluster, agentOptions) };
    // close() lets requests in flight (a watch, a page of a list) finish on the old pool.
    previous?.close().catch(() => undefined);
    return shared.dispatcher;
  };
}

/**
 * Asks the API server once, before any informer starts, so that a server that cannot be reached,
 * refuses the credentials or lacks the CRDs is one clear error at start, not informers retrying
 * in the background forever. Lists one object of the given kind in the namespace (or all).
 */
export async function checkApiServer(kc: KubeConfig, kind: string, namespace?: string, timeoutMs = 15_000): Promise<void> {
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const client = new KubeClient(kc);
  const plural = pluralOf(kind);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KubeConfigError(`Kubernetes API at ${server}: no answer within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    const ask = namespace
      ? client.custom.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace, plural, limit: 1 })
      : client.custom.listClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural, limit: 1 });
    await Promise.race([ask, timeout]);
  } catch (err) {
    if (err instanceof KubeConfigError) throw err;
    const status = statusCodeOf(err);
    if (status === 404) throw new KubeConfigError(`Kubernetes API at ${server}: the ${plural}.${API_GROUP} CRD is not installed (kubectl apply -f crds/, or the Helm chart)`);
    if (status === 401) throw new KubeConfigError(`Kubernetes API at ${server}: the credentials of the kubeconfig were refused (401)`);
    if (status === 403) throw new KubeForbiddenError(`Kubernetes API at ${server}: may not list ${plural}.${API_GROUP}${namespace ? ` in ${namespace}` : ''} (403: check the RBAC of the controller's identity)`);
    // fetch wraps the socket error ("fetch failed"): its cause says what happened (ECONNREFUSED, ENOTFOUND, a certificate).
    const e = err as { message?: string; cause?: { message?: string } };
    throw new KubeConfigError(`Kubernetes API at ${server}: ${e.message ?? String(err)}${e.cause?.message ? `: ${e.cause.message}` : ''}`);
  } finally {
    clearTimeout(timer);
  }
}

const pluralOf = (kind: string) => {
  const d = getAnyKind(kind);
  if (!d) throw new Error(`unknown kind ${kind}`);
  return d.plural;
};

/** HTTP status of an error from the generated client. */
export function statusCodeOf(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number };
  return typeof e?.code === 'number' ? e.code : e?.statusCode;
}

export class KubeClient {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;

  constructor(readonly config: KubeConfig) {
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.core = config.makeApiClient(CoreV1Api);
    this.coordination = config.makeApiClient(CoordinationV1Api);
  }

  /**
   * Lists every object of a kind, in one namespace or all, a page at a time (`limit`/`continue`):
   * one response of 10,000 objects is a body of tens of MiB parsed at once, the largest allocation
   * the controller would make. Every page comes from the same snapshot, so the last page's
   * resourceVersion is the list's. An expired continue token (410) fails the list; the informer
   * lists again from the start.
   */
  async list(kind: string, namespace?: string, pageSize = LIST_PAGE_SIZE): Promise<{ items: ManagedObject[]; metadata?: { resourceVersion?: string } }> {
    const plural = pluralOf(kind);
    const items: ManagedObject[] = [];
    let token: string | undefined;
    for (;;) {
      const page = {
        group: API_GROUP,
        version: API_VERSION,
        plural,
        limit: pageSize,
        ...(token ? { _continue: token } : {}),
      };
      const res = (namespace ? await this.custom.listNamespacedCustomObject({ ...page, namespace }) : await this.custom.listClusterCustomObject(page)) as {
        items: ManagedObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      for (const item of res.items) items.push(item);
      token = res.metadata?.continue || undefined;
      if (!token) return { items, metadata: { resourceVersion: res.metadata?.resourceVersion } };
    }
  }

  collectionPath(kind: string, namespace?: string): string {
    const plural = pluralOf(kind);
    return namespace ? `/apis/${API_GROUP}/${API_VERSION}/namespaces/${namespace}/${plural}` : `/apis/${API_GROUP}/${API_VERSION}/${plural}`;
  }

  /** Writes status with server-side apply on the status subresource; the controller owns every status field. */
  async applyStatus(obj: ManagedObject, status: ObjectStatus): Promise<ManagedObject> {
    const body = { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace }, status };
    return (await this.custom.patchNamespacedCustomObjectStatus(
      {
        group: API_GROUP,
        version: API_VERSION,
        namespace: obj.metadata.namespace ?? 'default',
        plural: pluralOf(obj.kind),
        name: obj.metadata.name,
        body,
        fieldManager: FIELD_MANAGER,
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    )) as ManagedObject;
  }

  /** Adds or removes our finalizer; the resourceVersion guard makes a concurrent change fail with 409 instead of being lost. */
  async setFinalizer(obj: ManagedObject, present: boolean): Promise<ManagedObject> {
    const current = obj.metadata.finalizers ?? [];
    const next = present ? [...new Set([...current, FINALIZER])] : current.filter((f) => f !== FINALIZER);
    const patch = [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      current.length === 0 && present ? { op: 'add', path: '/metadata/finalizers', value: next } : { op: 'replace', path: '/metadata/finalizers', value: next },
    ];
    return (await this.custom.patchNamespacedCustomObject(
      {
        group: API_GROUP,
        version: API_VERSION,
        namespace: obj.metadata.namespace ?? 'default',
        plural: pluralOf(obj.kind),
        name: obj.metadata.name,
        body: patch,
        fieldManager: FIELD_MANAGER,
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    )) as ManagedObject;
  }

  /** A Secret's data, decoded; undefined when it does not exist. */
  async readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    try {
      const secret = await this.core.readNamespacedSecret({ namespace, name });
      return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }

  async readLease(namespace: string, name: string): Promise<V1Lease | undefined> {
    try {
      return await this.coordination.readNamespacedLease({ namespace, name });
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/** Unreachable API server, throttling or a server error: worth another try later. */
function transient(err: unknown): boolean {
  const code = statusCodeOf(err);
  return code === undefined || code === 429 || code >= 500;
}

/**
 * Records Events on objects. Repeats of the same reason and message on one object within ten
 * minutes bump the first Event's count instead of adding Events, as kubectl's recorder does.
 * An Event that cannot be written because the API server is away (the controller keeps working
 * on AWS meanwhile: drift found and corrected during an outage) is kept, with the time it
 * happened, and written when the API server is back, instead of being lost.
 */
export class EventRecorder {
  private readonly recent = new Map<string, { name: string; count: number; at: number }>();
  private readonly pending: Array<{ obj: ManagedObject; event: EventRecord; at: Date }> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  /** Failed retries in a row: the next retry waits backoffMs(retries + 1) (1 s doubling to 30 s). */
  private retries = 0;

  constructor(
    private readonly kube: KubeClient,
    private readonly host: string,
  ) {}

  /** Records the Event now, or keeps it for later when the API server cannot take it now; throws on other errors. */
  async record(obj: ManagedObject, event: EventRecord): Promise<void> {
    const at = new Date();
    if (this.pending.length > 0) return this.keep(obj, event, at);
    try {
      await this.write(obj, event, at);
    } catch (err) {
      if (!transient(err)) throw err;
      this.keep(obj, event, at);
    }
  }

  private keep(obj: ManagedObject, event: EventRecord, at: Date): void {
    // Bounded: in a long outage the oldest go first.
    if (this.pending.length >= 1_000) this.pending.shift();
    this.pending.push({ obj, event, at });
    if (!this.retryTimer) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    // No jitter: one recorder's single retry loop has nothing to spread apart.
    this.retryTimer = setTimeout(() => void this.retry(), backoffMs(this.retries + 1, 1_000, 30_000, false));
    this.retryTimer.unref();
  }

  private async retry(): Promise<void> {
    while (this.pending.length > 0) {
      const { obj, event, at } = this.pending[0];
      try {
        await this.write(obj, event, at);
      } catch (err) {
        if (transient(err)) {
          this.retries++;
          return this.scheduleRetry();
        }
      }
      this.pending.shift();
    }
    this.retryTimer = undefined;
    this.retries = 0;
  }

  private async write(obj: ManagedObject, event: EventRecord, now: Date): Promise<void> {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = `${obj.metadata.uid}|${event.reason}|${event.message}`;
    const seen = this.recent.get(key);
    const message = event.message.length > 1024 ? `${event.message.slice(0, 1021)}...` : event.message;
    if (seen && now.getTime() - seen.at < 600_000) {
      // Counted once written: a write retried later must not count twice.
      await this.kube.core.patchNamespacedEvent(
        { namespace, name: seen.name, body: { count: seen.count + 1, lastTimestamp: now } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      seen.count++;
      seen.at = now.getTime();
      return;
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    await this.kube.core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason: event.reason,
        message,
        type: event.type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: FIELD_MANAGER, host: this.host },
        reportingComponent: FIELD_MANAGER,
        reportingInstance: this.host,
      },
    });
    this.recent.set(key, { name, count: 1, at: now.getTime() });
    if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value as string);
  }
}
