/**
 * `chime-voice-operator run`: the engine of directory mode, fed by the Kubernetes API. Informers
 * keep a cache of every kind; a work queue reconciles by key (level-based: the key, never the
 * event, decides what is done); a periodic resync with jitter finds drift, since AWS sends no
 * events; status goes through the status subresource; a finalizer carries deletion; a Lease makes
 * sure one replica works at a time.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ANNOTATIONS, FINALIZER, KINDS, RECONCILE_DISABLED, type AwsAccount } from '../api/index.js';
import { AwsContext, type AwsOptions } from '../aws/context.js';
import { accessKey, accountOptions, type AccountAccess } from '../aws/accounts.js';
import { accountLabel, chooseAccount, DEFAULT_ACCOUNT, refusedResult, type AccountChoice, type NamespaceInfo } from '../reconcile/accounts.js';
import { Engine } from '../reconcile/engine.js';
import { ClaimIndex, claimsOf } from '../reconcile/claims.js';
import { SecretDigest } from '../reconcile/secret-digest.js';
import type { AnyKindHandler, EventRecord, ManagedObject, ObjectKey, ObjectStatus, ReconcileResult, World } from '../reconcile/types.js';
import { keyOf, keyString } from '../reconcile/types.js';
import { referencesOf } from '../api/references.js';
import type { Logger } from '../telemetry/logger.js';
import { objectLogger } from '../telemetry/logger.js';
import { Metrics } from '../telemetry/metrics.js';
import { startProbeServer, type ProbeServer } from '../telemetry/http.js';
import { Informer } from './informer.js';
import { DEFAULT_DIGEST_KEY_SECRET, loadDigestKeySecret, type DigestKeySecretOptions } from './digest-key-secret.js';
import { EventRecorder, KubeClient, statusCodeOf } from './kube.js';
import { LeaderElector } from './leader.js';
import { WorkQueue, type WorkResult } from '../reconcile/workqueue.js';
import { EventKeyIndex, identifiersOfObject } from './event-keys.js';
import { EventsQueueConsumer, type EventsQueueOptions } from './events-queue.js';
import { writeOf } from '../aws/cloudtrail-events.js';
import { USER_AGENT_APP_ID } from '../aws/context.js';
import { Limiter } from '../reconcile/pool.js';
import { deepEqual } from '../core/canonical.js';
import { asPathObject, numberRouteLine, numbersOnPathOf, type PathLookup } from '../domain/routes/status.js';
import type { KubeConfig } from '@kubernetes/client-node';

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  aws: AwsOptions;
  handlers: ReadonlyMap<string, AnyKindHandler>;
  log: Logger;
  /** Namespaces to watch; empty means all. */
  namespaces?: string[];
  /** Workers: batches of due keys in process at once (default 4). */
  concurrency?: number;
  /** Objects whose AWS calls are in flight at once, across the workers (EngineOptions.concurrency). */
  awsConcurrency?: number;
  /** Drift detection period; each object is resynced within ±10% of it. */
  resyncMs?: number;
  /**
   * Watch AwsAccount objects and Namespaces, so that objects may use other AWS accounts
   * (spec.accountRef, the namespace annotation chimevoice.io/account) within their tenancy. Off:
   * every object uses the controller's own credentials, and one that names an account is Stalled.
   */
  accounts?: boolean;
  /** Address of /metrics, /healthz, /readyz (e.g. ":8080", "127.0.0.1:0"); omitted: no server. */
  probeAddress?: string;
  leaderElection?: { namespace: string; name: string; identity?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /** Periodic relist of the informers. */
  relistIntervalMs?: number;
  watchTimeoutSeconds?: number;
  metrics?: Metrics;
  /**
   * The Secret holding the key of password digests (see SecretDigest); default
   * `chime-voice-operator-digest-key` in POD_NAMESPACE (else `default`), created when missing.
   */
  digestKey?: Partial<DigestKeySecretOptions>;
  /**
   * Drift from CloudTrail events (docs/events.md): the SQS queue an EventBridge rule fills. The
   * objects an event touches are looked at ahead of the routine resyncs; while the queue cannot be
   * read, objects are resynced every `fallbackResyncMs` instead of `resyncMs`.
   */
  events?: {
    queueUrl: string;
    sqs?: EventsQueueOptions['sqs'];
    /** Role session names of the controller's own writes (its user agent is recognised anyway). */
    sessionNames?: string[];
    /** The resync period while the queue is out (polling as without a queue; 5 minutes by default). */
    fallbackResyncMs?: number;
    waitTimeSeconds?: number;
    maxRetryMs?: number;
  };
}

/**
 * How old a listing may be for an object whose progress waits on AWS (a spec change, an order or a
 * create in progress, a deletion; wantsFreshListings): it must not wait for the resync period's listing age.
 */
const PROGRESS_LISTING_AGE_MS = 5_000;

/** The drift detection period by default; each object is resynced within ±10% of it. */
const DEFAULT_RESYNC_MS = 300_000;

/** Workers by default: batches of due keys in process at once. */
export const DEFAULT_WORKERS = 4;

/**
 * Kubernetes requests in flight at once for a batch's own work (secrets, finalizers, statuses,
 * Events): a batch of thousands of keys must not open thousands of requests to the API server.
 */
const KUBE_CONCURRENCY = 10;

/** A Namespace as the informer keeps it: what tenancy and the default account read. */
interface NamespaceObject {
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** How long status heartbeats may lag when nothing else changed (lastSyncedTime), to spare the API server writes. */
const STATUS_HEARTBEAT_MS = 600_000;

export class Controller {
  readonly metrics: Metrics;
  private readonly kube: KubeClient;
  private readonly aws: AwsContext;
  private readonly engine: Engine;
  /** The engines of AwsAccounts, by account name, with the key of how each was reached (a changed AwsAccount gets a new one). */
  private readonly accountEngines = new Map<string, { access: string; aws: AwsContext; engine: Engine }>();
  private accountInformer: Informer<AwsAccount> | undefined;
  private namespaceInformer: Informer<NamespaceObject> | undefined;
  private readonly events: EventRecorder;
  private readonly informers = new Map<string, Informer<ManagedObject>[]>();
  private readonly queue: WorkQueue;
  private readonly elector: LeaderElector | undefined;
  private probe: ProbeServer | undefined;
  private readonly secrets = new Map<string, { data: Record<string, string> | undefined; at: number }>();
  /** Reverse references: target key → keys of objects that reference it, to wake dependents promptly. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Forward references: key → the targets it references, so that reindexing one object touches only its own entries. */
  private readonly referencesFrom = new Map<string, string[]>();
  /** Which objects claim which AWS resource: the engine's claim check is a lookup, not a scan of the kind. */
  private readonly claims = new ClaimIndex((obj) => {
    const handler = this.options.handlers.get(obj.kind);
    return claimsOf(obj, handler?.claims?.bind(handler));
  });
  /** The state of each object as last handled, by kind: the objects gauge without a scan of the cache. */
  private readonly states = new Map<string, Map<string, ObjectState>>();
  /** Keys whose last reconcile found drift, by kind: the drifted-objects gauge without a scan of the cache. */
  private readonly driftedKeys = new Map<string, Set<string>>();
  /** Objects whose status the engine wrote during the current pass (a create-pending record). */
  private readonly statusWrittenMidPass = new Set<string>();
  private running = false;
  private readonly kubeLimiter = new Limiter(KUBE_CONCURRENCY);
  private readonly identity: string;
  /** Loaded by start() before any reconcile; the engine asks for it on the first password it digests. */
  private digestKey: Buffer | undefined;
  /** AWS identifiers → object keys, for the events queue. */
  private readonly eventIndex = new EventKeyIndex();
  private eventsConsumer: EventsQueueConsumer | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.metrics = options.metrics ?? new Metrics();
    this.kube = new KubeClient(options.kubeConfig);
    this.identity = options.leaderElection?.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`;
    this.aws = this.awsContext(options.aws);
    // The controller's own account, checked even without --accounts: a resource a run with accounts
    // made elsewhere (status.account) is refused as a move, never made again here.
    this.engine = this.makeEngine(this.aws, DEFAULT_ACCOUNT);
    this.events = new EventRecorder(this.kube, this.identity);
    this.queue = new WorkQueue({
      concurrency: options.concurrency ?? DEFAULT_WORKERS,
      // A worker takes every due key and reconciles them as one batch, so their writes merge (a
      // bulk of numbers assigned in one association call per connector).
      process: (key) => this.processDue([key]).then((r) => r[0]),
      processBatch: (keys) => this.processDue(keys),
      onDepth: (d) => this.metrics.queueDepth.set(d),
    });
    if (options.leaderElection) {
      this.elector = new LeaderElector({
        kube: this.kube,
        ...options.leaderElection,
        identity: this.identity,
        log: options.log,
        onStartedLeading: () => {
          this.metrics.leader.set(1);
          this.startWork();
        },
        onStoppedLeading: () => {
          this.metrics.leader.set(0);
          void this.queue.stop();
          void this.eventsConsumer?.stop();
          // A leader that lost its lease must not keep working from stale state: the process exits and restarts clean.
          if (this.running) {
            options.log.error('lost the leader lease; exiting so that a fresh process campaigns again');
            process.exitCode = 1;
            setTimeout(() => process.exit(1), 100).unref();
          }
        },
      });
    }
  }

  /** An AWS context with the controller's listing age, and its call and throttled-attempt metrics. */
  private awsContext(aws: AwsOptions): AwsContext {
    const options = this.options;
    return new AwsContext({
      ...aws,
      // The controller has no passes to refresh listings at. A listing is shared for one resync
      // period: the resyncs of that period (spread over it) share one listing instead of listing
      // again every few seconds (10,000 objects: one listing per period, not one per 5 s), and a
      // change made behind our back is seen within the period, as drift is. Objects in progress
      // ask for listings at most PROGRESS_LISTING_AGE_MS old (expireForProgress).
      inventoryMaxAgeMs: options.aws.inventoryMaxAgeMs ?? options.resyncMs ?? DEFAULT_RESYNC_MS,
      ...this.metrics.awsHooks(options.aws),
    });
  }

  private makeEngine(aws: AwsContext, account: string | undefined): Engine {
    const options = this.options;
    return new Engine({
      aws,
      ...(account !== undefined ? { account } : {}),
      handlers: options.handlers,
      secrets: { get: (ns, name) => this.secrets.get(`${ns}/${name}`)?.data, mayArriveLater: true },
      secretDigest: new SecretDigest(() => {
        if (!this.digestKey) throw new Error('the digest key is not loaded yet (Controller.start loads it)');
        return this.digestKey;
      }),
      ...(options.awsConcurrency !== undefined ? { concurrency: options.awsConcurrency } : {}),
      // The create-pending record reaches the API server before the create call is sent (a failed
      // write stops the create), and the create's ids right after it answered.
      persistStatus: async (obj, status) => {
        await this.kube.applyStatus(obj, status);
        this.statusWrittenMidPass.add(keyString(keyOf(obj)));
      },
    });
  }

  /** The account an object uses, or why it may not (see src/reconcile/accounts.ts). */
  private chooseAccount(obj: ManagedObject): AccountChoice {
    const namespace = obj.metadata.namespace ?? 'default';
    if (!this.options.accounts) {
      const named = (obj.spec as { accountRef?: { name?: string } } | undefined)?.accountRef?.name;
      if (named === undefined) return { ok: true, name: DEFAULT_ACCOUNT, from: 'default' };
      return { ok: false, reason: 'AccountNotFound', message: `${obj.kind} ${namespace}/${obj.metadata.name} uses AwsAccount ${named} (spec.accountRef), but the controller runs without --accounts and reads no AwsAccount; nothing is written to AWS` };
    }
    const ns = this.namespaceInformer?.get(undefined, namespace);
    const info: NamespaceInfo = ns ? { name: namespace, labels: ns.metadata.labels, annotations: ns.metadata.annotations } : { name: namespace };
    return chooseAccount(obj, info, (name) => this.accountInformer?.get(undefined, name));
  }

  /**
   * The choice, unless the object references an object of another account: an AWS resource can
   * use only its own account's resources, so such a reference is refused before any AWS call.
   */
  private crossingReference(obj: ManagedObject, choice: AccountChoice): AccountChoice {
    if (!choice.ok || !this.options.accounts || obj.metadata.deletionTimestamp) return choice;
    for (const ref of referencesOf(obj)) {
      if (ref.targetKind === 'Secret') continue;
      const target = this.find({ kind: ref.targetKind, namespace: ref.namespace, name: ref.name });
      if (!target) continue;
      const theirs = this.chooseAccount(target);
      if (theirs.ok && theirs.name !== choice.name) {
        return {
          ok: false,
          reason: 'ReferenceInOtherAccount',
          message: `${obj.kind} ${obj.metadata.name} is in ${accountLabel(choice.name)} but ${ref.path} references ${ref.targetKind} ${ref.name}, which is in ${accountLabel(theirs.name)}; a resource can use only its own account's resources, so nothing is written`,
        };
      }
    }
    return choice;
  }

  /** The engine of an account choice; an AwsAccount reached differently than before gets a new context. */
  private engineFor(choice: Extract<AccountChoice, { ok: true }>): Engine {
    if (choice.name === DEFAULT_ACCOUNT || !choice.account) return this.engine;
    const spec = choice.account.spec;
    const access: AccountAccess = { name: choice.name, region: spec.region, ...(spec.assumeRole ? { assumeRole: spec.assumeRole } : {}) };
    const key = accessKey(access);
    const known = this.accountEngines.get(choice.name);
    if (known?.access === key) return known.engine;
    known?.aws.destroy();
    const aws = this.awsContext(accountOptions(this.options.aws, access));
    const engine = this.makeEngine(aws, choice.name);
    this.accountEngines.set(choice.name, { access: key, aws, engine });
    return engine;
  }

  /**
   * The world as an account's engine sees it: objects of other accounts claim nothing there (two
   * accounts may hold resources of one name) and are not its siblings; references resolve as before.
   */
  private worldOf(account: string): World {
    if (!this.options.accounts) return this.world;
    const mine = (o: ManagedObject) => {
      const c = this.chooseAccount(o);
      return c.ok && c.name === account;
    };
    return {
      get: (key) => this.world.get(key),
      list: (kind, namespace) => this.world.list(kind, namespace).filter(mine),
      claimants: (kind, claimKey) => this.world.claimants!(kind, claimKey).filter(mine),
    };
  }

  private allAws(): AwsContext[] {
    return [this.aws, ...[...this.accountEngines.values()].map((e) => e.aws)];
  }

  get url(): string | undefined {
    return this.probe?.url;
  }

  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.running;
  }

  /** Synced once every informer has listed once. */
  get synced(): boolean {
    return [...this.informers.values()].every((list) => list.every((i) => i.isSynced));
  }

  async start(): Promise<void> {
    await this.loadDigestKey();
    const namespaces = this.options.namespaces?.length ? this.options.namespaces : [undefined];
    for (const kind of KINDS) {
      const list = namespaces.map(
        (ns) =>
          new Informer<ManagedObject>({
            name: `${kind.kind}${ns ? `/${ns}` : ''}`,
            kubeConfig: this.options.kubeConfig,
            path: this.kube.collectionPath(kind.kind, ns),
            list: () => this.kube.list(kind.kind, ns),
            transform: withoutUnreadMetadata,
            onEvent: (event, obj, old) => this.onEvent(event, { ...obj, kind: kind.kind }, old),
            log: this.options.log,
            relistIntervalMs: this.options.relistIntervalMs ?? 600_000,
            watchTimeoutSeconds: this.options.watchTimeoutSeconds,
          }),
      );
      this.informers.set(kind.kind, list);
      for (const i of list) i.start();
    }
    if (this.options.accounts) this.startAccountInformers();
    if (this.options.probeAddress) this.probe = await startProbeServer(this.options.probeAddress, this.metrics, () => this.synced);
    await Promise.all([...this.informers.values()].flat().map((i) => i.synced));
    await Promise.all([this.accountInformer?.synced, this.namespaceInformer?.synced]);
    this.options.log.info({ kinds: KINDS.length, namespaces: this.options.namespaces ?? 'all' }, 'caches synced');
    if (this.elector) this.elector.start();
    else this.startWork();
  }

  /**
   * AwsAccounts and Namespaces (their labels for tenancy, their annotation for the default
   * account): a change to either is looked at again for the objects it may concern, since an
   * object's account follows from them without the object itself changing.
   */
  private startAccountInformers() {
    const common = { kubeConfig: this.options.kubeConfig, log: this.options.log, relistIntervalMs: this.options.relistIntervalMs ?? 600_000, watchTimeoutSeconds: this.options.watchTimeoutSeconds };
    this.accountInformer = new Informer<AwsAccount>({
      ...common,
      name: 'AwsAccount',
      path: this.kube.collectionPath('AwsAccount'),
      list: async () => (await this.kube.list('AwsAccount')) as unknown as { items: AwsAccount[] },
      onEvent: () => this.requeueAll(),
    });
    this.namespaceInformer = new Informer<NamespaceObject>({
      ...common,
      name: 'Namespace',
      path: '/api/v1/namespaces',
      list: async () => {
        const res = await this.kube.core.listNamespace();
        return { items: res.items as NamespaceObject[], metadata: { resourceVersion: res.metadata?.resourceVersion } };
      },
      onEvent: (_event, ns) => this.requeueAll(ns.metadata.name),
    });
    this.accountInformer.start();
    this.namespaceInformer.start();
  }

  /** Queues every object (of one namespace), after a change to what decides their account. */
  private requeueAll(namespace?: string) {
    if (!this.running) return;
    for (const list of this.informers.values()) {
      for (const inf of list) for (const obj of inf.list()) if (namespace === undefined || (obj.metadata.namespace ?? 'default') === namespace) this.queue.add(keyString(keyOf(obj)));
    }
  }

  /** Reads (or creates) the digest key Secret; without it no password could be compared, so start fails with the cause. */
  private async loadDigestKey(): Promise<void> {
    const opts: DigestKeySecretOptions = {
      namespace: this.options.digestKey?.namespace ?? process.env.POD_NAMESPACE ?? 'default',
      name: this.options.digestKey?.name ?? DEFAULT_DIGEST_KEY_SECRET,
      create: this.options.digestKey?.create ?? true,
    };
    const { key, created } = await loadDigestKeySecret(this.kube.core, opts);
    this.digestKey = key;
    this.options.log.info({ secret: `${opts.namespace}/${opts.name}`, created }, created ? 'created the digest key Secret' : 'using the digest key Secret');
  }

  private startWork() {
    this.running = true;
    this.queue.start();
    for (const list of this.informers.values()) for (const inf of list) for (const obj of inf.list()) this.queue.add(keyString(keyOf(obj)));
    this.startEvents();
  }

  /** Only the leader reads the queue: a standby that deleted messages would take them from the leader. */
  private startEvents() {
    const events = this.options.events;
    if (!events || this.eventsConsumer) return;
    this.eventsConsumer = new EventsQueueConsumer({
      queueUrl: events.queueUrl,
      sqs: events.sqs,
      own: { userAgentAppId: USER_AGENT_APP_ID, sessionNames: events.sessionNames },
      keysFor: (record) => this.eventIndex.keysFor(record),
      onEvents: async (batch) => {
        // What these writes changed is read again, whatever its age: a listing kept for the resync period would hide the change.
        await Promise.all(batch.map((e) => this.aws.inventory.refreshAfter(writeOf(e.record))));
        for (const { keys } of batch) for (const key of keys) if (this.running) this.queue.add(key, { urgent: true });
      },
      onHealth: (healthy) => {
        // Events may have been lost before the outage showed: every object is looked at once now,
        // on fresh listings (those kept for the long resync period relied on events to be forgotten), then every fallback period.
        if (!healthy) this.aws.inventory.invalidate();
        if (!healthy && this.running) for (const list of this.informers.values()) for (const inf of list) for (const obj of inf.list()) this.queue.add(keyString(keyOf(obj)));
      },
      metrics: this.metrics,
      log: this.options.log,
      ...(events.waitTimeSeconds !== undefined ? { waitTimeSeconds: events.waitTimeSeconds } : {}),
      ...(events.maxRetryMs !== undefined ? { maxRetryMs: events.maxRetryMs } : {}),
    });
    void this.eventsConsumer.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.eventsConsumer?.stop();
    await this.queue.stop();
    await this.elector?.stop();
    await Promise.all([...this.informers.values()].flat().map((i) => i.stop()));
    await Promise.all([this.accountInformer?.stop(), this.namespaceInformer?.stop()]);
    await this.probe?.close();
    for (const aws of this.allAws()) aws.destroy();
  }

  /** Relists every informer now (after an API server outage the watches resume from where they were; this is the belt and braces). */
  relistAll(): void {
    for (const list of this.informers.values()) for (const i of list) i.relist();
  }

  private onEvent(event: 'add' | 'update' | 'delete', obj: ManagedObject, old?: ManagedObject) {
    const key = keyString(keyOf(obj));
    this.indexReferences(key, event === 'delete' ? undefined : obj);
    if (this.options.events) this.eventIndex.set(key, obj.kind, event === 'delete' ? undefined : identifiersOfObject(obj, this.claimsOfObject(obj)));
    if (event === 'delete') {
      this.setDrifted(obj.kind, key, false);
      this.setState(obj.kind, key, undefined);
    }
    if (event === 'delete' || !old || !onlyStatusChanged(old, obj)) this.claims.set(key, obj.kind, event === 'delete' ? undefined : obj);
    if (event === 'update' && old && onlyStatusChanged(old, obj)) {
      // Our own status write: nothing to do for the object, but dependents may now proceed.
      if (!deepEqual(readyOf(old), readyOf(obj))) this.wakeDependents(key);
      return;
    }
    // A change made through the API (an edit, a deletion) goes ahead of the periodic resyncs.
    if (this.running) this.queue.add(key, { urgent: true });
    this.wakeDependents(key);
    this.wakeNumbersOnPath(obj, old);
  }

  /**
   * PhoneNumbers whose route (status.route) goes through the changed object: a SIP rule that starts
   * or stops using a number, an application of such a rule, a connector or group on a number's
   * path. References point the other way (a rule names its number), so the dependents index does
   * not reach them. The old version counts too: a rule moved off a number changes that number's route.
   */
  private wakeNumbersOnPath(obj: ManagedObject, old?: ManagedObject) {
    if (!this.running || obj.kind === 'PhoneNumber') return;
    const numbers = new Set(numbersOnPathOf(asPathObject(obj), this.pathLookup));
    if (old) for (const n of numbersOnPathOf(asPathObject({ ...old, kind: obj.kind }), this.pathLookup)) numbers.add(n);
    for (const n of numbers) this.queue.add(`PhoneNumber/${n}`);
  }

  private readonly pathLookup: PathLookup = {
    get: (kind, namespace, name) => {
      const found = this.find({ kind, namespace, name });
      return found && asPathObject(found);
    },
    list: (kind, namespace) => this.world.list(kind, namespace).map(asPathObject),
  };

  private indexReferences(key: string, obj: ManagedObject | undefined) {
    for (const target of this.referencesFrom.get(key) ?? []) this.dependents.get(target)?.delete(key);
    this.referencesFrom.delete(key);
    if (!obj) return;
    const targets: string[] = [];
    for (const ref of referencesOf(obj)) {
      if (ref.targetKind === 'Secret') continue;
      const target = `${ref.targetKind}/${ref.namespace}/${ref.name}`;
      let set = this.dependents.get(target);
      if (!set) this.dependents.set(target, (set = new Set()));
      set.add(key);
      targets.push(target);
    }
    if (targets.length > 0) this.referencesFrom.set(key, targets);
  }

  private wakeDependents(key: string) {
    if (!this.running) return;
    for (const d of this.dependents.get(key) ?? []) this.queue.add(d);
  }

  private findId(id: string): ManagedObject | undefined {
    const [kind, namespace, name] = id.split('/');
    return this.find({ kind, namespace, name });
  }

  private find(key: ObjectKey): ManagedObject | undefined {
    for (const inf of this.informers.get(key.kind) ?? []) {
      const o = inf.get(key.namespace, key.name);
      if (o) return { ...o, kind: key.kind };
    }
    return undefined;
  }

  private readonly world: World = {
    get: (key) => this.find(key),
    list: (kind, namespace) =>
      (this.informers.get(kind) ?? [])
        .flatMap((i) => i.list())
        .filter((o) => namespace === undefined || (o.metadata.namespace ?? 'default') === namespace)
        .map((o) => ({ ...o, kind })),
    claimants: (kind, claimKey) =>
      this.claims.keys(kind, claimKey).flatMap((key) => {
        const [, namespace, name] = key.split('/');
        return this.find({ kind, namespace, name }) ?? [];
      }),
  };

  /** Reads the Secrets the object references (Secrets are not watched: the controller only needs `get` on them). */
  private async loadSecrets(obj: ManagedObject) {
    for (const ref of referencesOf(obj)) {
      if (ref.targetKind !== 'Secret') continue;
      const id = `${ref.namespace}/${ref.name}`;
      const cached = this.secrets.get(id);
      // A missing Secret is read again on the object's next pass: it may be created at any moment.
      if (cached?.data && Date.now() - cached.at < 30_000) continue;
      this.secrets.set(id, { data: await this.kube.readSecret(ref.namespace, ref.name), at: Date.now() });
    }
  }

  private claimsOfObject(obj: ManagedObject) {
    const handler = this.options.handlers.get(obj.kind);
    return claimsOf(obj, handler?.claims?.bind(handler));
  }

  /** With a readable events queue the resync is a safety net (resyncMs); without one, or while it is out, it is how drift is found. */
  private resyncDelay(): number {
    const events = this.options.events;
    const polling = events && this.eventsConsumer && !this.eventsConsumer.isHealthy;
    const base = polling ? (events.fallbackResyncMs ?? DEFAULT_RESYNC_MS) : (this.options.resyncMs ?? DEFAULT_RESYNC_MS);
    return Math.round(base * (0.9 + Math.random() * 0.2));
  }

  /**
   * The due keys a worker took: the suspended ones are only marked so in status (nothing is read
   * from or written to AWS for them), the others go to processBatch. One result per key, in order.
   */
  private async processDue(ids: string[]): Promise<WorkResult[]> {
    const results: WorkResult[] = ids.map(() => ({}));
    const active: number[] = [];
    const suspended: Array<Promise<void>> = [];
    ids.forEach((id, k) => {
      const obj = this.findId(id);
      if (obj && isSuspended(obj) && !retainedDeletion(obj)) {
        suspended.push(this.kubeLimiter.run(async () => {
          const [kind, namespace, name] = id.split('/');
          const log = objectLogger(this.options.log, { kind, namespace, name });
          try {
            results[k] = await this.markSuspended(obj, log);
          } catch (err) {
            results[k] = this.failed(obj, err, log);
          }
        }));
      } else active.push(k);
    });
    const [batch] = await Promise.all([active.length > 0 ? this.processBatch(active.map((k) => ids[k])) : Promise.resolve([]), ...suspended]);
    active.forEach((k, n) => (results[k] = batch[n]));
    return results;
  }

  /**
   * A suspended object: status.suspended and the Suspended condition say so (the rest of the status
   * stays as the last reconcile left it), an Event marks the moment, and nothing else happens until
   * the annotation goes (its change queues the key). A deletion under deletionPolicy Delete waits:
   * deleting is a write to AWS too (Retain is let through, since it writes nothing).
   */
  private async markSuspended(obj: ManagedObject, log: Logger): Promise<WorkResult> {
    const key = keyString(keyOf(obj));
    const before = obj.status ?? {};
    const deleting = obj.metadata.deletionTimestamp !== undefined;
    const message = deleting
      ? `reconciliation is suspended (annotation ${ANNOTATIONS.reconcile}: ${RECONCILE_DISABLED}): the deletion waits and the AWS resource stays; remove the annotation (chime-voice-operator resume ${obj.kind}/${obj.metadata.name}) to delete it, or set deletionPolicy: Retain to leave it`
      : `reconciliation is suspended (annotation ${ANNOTATIONS.reconcile}: ${RECONCILE_DISABLED}): nothing is written to AWS; remove the annotation (chime-voice-operator resume ${obj.kind}/${obj.metadata.name}) to resume`;
    const previous = before.conditions?.find((c) => c.type === 'Suspended');
    const condition = {
      type: 'Suspended',
      status: 'True' as const,
      reason: 'ReconcileDisabled',
      message,
      ...(obj.metadata.generation !== undefined ? { observedGeneration: obj.metadata.generation } : {}),
      lastTransitionTime: previous?.status === 'True' ? previous.lastTransitionTime : new Date().toISOString(),
    };
    const after: ObjectStatus = { ...before, suspended: true, conditions: [...(before.conditions ?? []).filter((c) => c.type !== 'Suspended'), condition] };
    this.setState(obj.kind, key, 'suspended');
    if (deepEqual(before, after)) return {};
    if (before.suspended !== true) await this.emit(obj, [{ type: 'Normal', reason: 'Suspended', message }], log);
    await this.kube.applyStatus(obj, after);
    log.info({}, 'suspended: nothing written to AWS');
    return {};
  }

  /**
   * The due keys a worker took: each is read from the cache, its Secrets loaded, its finalizer or
   * deletion handled alone; the others are reconciled together by dependency level, so that their
   * writes merge. One result per key, in the order given.
   */
  private async processBatch(ids: string[]): Promise<WorkResult[]> {
    const started = performance.now();
    const results: WorkResult[] = ids.map(() => ({}));
    const reconciling: Array<{ k: number; obj: ManagedObject; log: Logger; specChanged: boolean; account: string; engine: Engine }> = [];
    // An object whose progress waits on AWS reads listings at most a few seconds old; others share the period's.
    const fresh = ids.map((id) => this.findId(id)).find(wantsFreshListings);
    if (fresh) {
      // Said, because at 10,000 objects each of these costs a listing of every collection (100 pages of connectors).
      this.options.log.info({ kind: fresh.kind, namespace: fresh.metadata.namespace, name: fresh.metadata.name, why: freshListingsWhy(fresh) }, 'listings older than 5 s forgotten for an object in progress');
      expireForProgress([fresh], this.allAws());
    }
    // Polling while the events queue is out: listings kept for the (long) resync period would hide drift from the fallback resyncs.
    const events = this.options.events;
    if (events && this.eventsConsumer && !this.eventsConsumer.isHealthy) for (const aws of this.allAws()) aws.inventory.expireOlderThan(events.fallbackResyncMs ?? DEFAULT_RESYNC_MS);
    await Promise.all(
      ids.map((id, k) =>
        this.kubeLimiter.run(async () => {
          const [kind, namespace, name] = id.split('/');
          const obj = this.findId(id);
          if (!obj) return;
          const log = objectLogger(this.options.log, { kind, namespace, name });
          try {
            await this.loadSecrets(obj);
            const account = this.crossingReference(obj, this.chooseAccount(obj));
            if (obj.metadata.deletionTimestamp) {
              if (!obj.metadata.finalizers?.includes(FINALIZER)) return;
              const done = account.ok ? await this.engineFor(account).delete(obj, this.worldOf(account.name)) : refusedResult(obj, account.reason, account.message, new Date(), true);
              results[k] = await this.afterDelete(obj, done, log);
            } else if (!account.ok) {
              // Refused before any engine: nothing is written to AWS, not even the finalizer's work.
              results[k] = await this.afterReconcile(obj, refusedResult(obj, account.reason, account.message, new Date()), log);
            } else if (!obj.metadata.finalizers?.includes(FINALIZER)) {
              // The finalizer goes on before anything is created, so that no AWS resource outlives its object unnoticed.
              await this.kube.setFinalizer(obj, true);
              // Not at once: the cache still holds the object without the finalizer until the watch
              // delivers the patch (which requeues the key itself), and a pass on that stale copy
              // would patch again with an old resourceVersion and fail. The delay is only a fallback.
              results[k] = { requeueAfterMs: 5_000 };
            } else {
              const specChanged = (obj.metadata.generation ?? 0) !== (obj.status?.observedGeneration ?? -1);
              reconciling.push({ k, obj, log, specChanged, account: account.name, engine: this.engineFor(account) });
            }
          } catch (err) {
            results[k] = this.failed(obj, err, log);
          }
        }),
      ),
    );
    // When each key's work ended (its status written), for the duration metric.
    const endedAt = new Map<number, number>();
    if (reconciling.length > 0) {
      reconciling.sort((a, b) => a.k - b.k);
      // Each object's Events, status and metrics go out as soon as its own result is in (its plan
      // answered and observed), while the rest of the batch still runs: a user watching sees each
      // object turn Ready when it is, not when the slowest object of the batch is.
      const delivered = new Set<number>();
      const writes: Array<Promise<void>> = [];
      const deliver = (j: number, result: ReconcileResult) => {
        if (delivered.has(j)) return;
        delivered.add(j);
        const { k, obj, log } = reconciling[j];
        writes.push(
          this.kubeLimiter.run(async () => {
            try {
              results[k] = await this.afterReconcile(obj, result, log);
            } catch (err) {
              results[k] = this.failed(obj, err, log);
            }
            endedAt.set(k, performance.now());
          }),
        );
      };
      // Each account's objects with its own engine (its credentials, its inventory, its claims).
      const byEngine = new Map<Engine, { account: string; at: number[] }>();
      reconciling.forEach((r, j) => {
        const group = byEngine.get(r.engine) ?? { account: r.account, at: [] };
        group.at.push(j);
        byEngine.set(r.engine, group);
      });
      await Promise.all(
        [...byEngine].map(async ([engine, group]) => {
          try {
            const out = await engine.reconcileLevels(
              group.at.map((j) => reconciling[j]),
              this.worldOf(group.account),
              { onResult: (n, result) => deliver(group.at[n], result) },
            );
            // Every level runs when nothing asks to stop; a key left without a result is looked at again.
            group.at.forEach((j, n) => {
              if (!out[n] && !delivered.has(j)) results[reconciling[j].k] = { requeueAfterMs: 0 };
            });
          } catch (err) {
            // The objects whose status was already written keep their result.
            for (const j of group.at) if (!delivered.has(j)) results[reconciling[j].k] = this.failed(reconciling[j].obj, err, reconciling[j].log);
          }
        }),
      );
      await Promise.all(writes);
    }
    // A key reconciled took until its status was written; any other, as long as the batch.
    const now = performance.now();
    ids.forEach((id, k) => this.metrics.reconcileDuration.observe({ kind: id.split('/')[0] }, ((endedAt.get(k) ?? now) - started) / 1000));
    return results;
  }

  private async afterDelete(obj: ManagedObject, result: ReconcileResult, log: Logger): Promise<WorkResult> {
    if (!result.deleted) return this.afterReconcile(obj, result, log);
    await this.emit(obj, result.events, log);
    await this.kube.setFinalizer(obj, false);
    this.setState(obj.kind, keyString(keyOf(obj)), undefined);
    this.metrics.reconciles.inc({ kind: obj.kind, result: 'deleted' });
    log.info({ phase: result.phase }, 'deleted; finalizer removed');
    return {};
  }

  private async afterReconcile(obj: ManagedObject, result: ReconcileResult, log: Logger): Promise<WorkResult> {
    const kind = obj.kind;
    if (obj.status?.suspended === true) {
      result = { ...result, events: [{ type: 'Normal', reason: 'Resumed', message: `reconciliation resumed (annotation ${ANNOTATIONS.reconcile} removed)` }, ...result.events] };
    }
    await this.emit(obj, result.events, log);
    await this.writeStatus(obj, result);
    this.setState(kind, keyString(keyOf(obj)), stateOf(result));
    for (const e of result.events) if (e.reason === 'DriftDetected') this.metrics.driftDetected.inc({ kind });
    const outcome = result.phase.toLowerCase();
    this.metrics.reconciles.inc({ kind, result: outcome });
    if (result.phase === 'Stalled' || result.phase === 'Error') this.metrics.reconcileErrors.inc({ kind });
    this.setDrifted(kind, keyString(keyOf(obj)), result.status.conditions?.some((c) => c.type === 'Drifted' && c.status === 'True') ?? false);
    log.info({ phase: result.phase, actions: result.actions.length, drift: result.drift.map((d) => d.path) }, 'reconciled');
    if (result.phase === 'Error') return { error: true };
    return { requeueAfterMs: result.requeueAfterMs ?? this.resyncDelay() };
  }

  private failed(obj: ManagedObject, err: unknown, log: Logger): WorkResult {
    // A conflict means our cached copy is old; the watch brings the new one and requeues it.
    const status = statusCodeOf(err);
    log.warn({ err: (err as Error).message, status }, 'reconcile failed');
    this.metrics.reconcileErrors.inc({ kind: obj.kind });
    return { error: true };
  }

  private async emit(obj: ManagedObject, events: EventRecord[], log: Logger) {
    for (const event of events) {
      try {
        await this.events.record(obj, event);
      } catch (err) {
        log.warn({ err: (err as Error).message, reason: event.reason }, 'could not record an Event');
      }
    }
  }

  private async writeStatus(obj: ManagedObject, result: ReconcileResult) {
    const before = obj.status ?? {};
    // A number's route comes from the objects on its path, which the caches hold: no AWS call.
    const { suspended: _resumed, ...reconciled } = result.status;
    const after: ObjectStatus = obj.kind === 'PhoneNumber' ? { ...reconciled, route: numberRouteLine(asPathObject(obj), this.pathLookup) } : reconciled;
    // The request this pass answered (read with the object it reconciled), echoed for `reconcile --wait` and Flux-style tools.
    const requested = obj.metadata.annotations?.[ANNOTATIONS.reconcileRequestedAt];
    if (requested !== undefined) after.lastHandledReconcileAt = requested;
    const stale = !before.lastSyncedTime || Date.now() - Date.parse(before.lastSyncedTime) > STATUS_HEARTBEAT_MS;
    // A create-pending record written during the pass is newer than the cached status `before`.
    const writtenMidPass = this.statusWrittenMidPass.delete(keyString(keyOf(obj)));
    const volatile = this.options.handlers.get(obj.kind)?.volatileStatusPaths ?? [];
    if (deepEqual(withoutVolatile(before, volatile), withoutVolatile(after, volatile)) && !stale && !writtenMidPass) return;
    await this.kube.applyStatus(obj, after);
  }

  private setState(kind: string, key: string, state: ObjectState | undefined) {
    let byKey = this.states.get(kind);
    if (!byKey) this.states.set(kind, (byKey = new Map()));
    const old = byKey.get(key);
    if (old === state) return;
    if (state === undefined) byKey.delete(key);
    else byKey.set(key, state);
    for (const s of new Set([old, state])) {
      if (s !== undefined) this.metrics.objects.set({ kind, state: s }, [...byKey.values()].filter((v) => v === s).length);
    }
  }

  private setDrifted(kind: string, key: string, drifted: boolean) {
    let set = this.driftedKeys.get(kind);
    if (!set) this.driftedKeys.set(kind, (set = new Set()));
    if (drifted) set.add(key);
    else set.delete(key);
    this.metrics.drifted.set({ kind }, set.size);
  }
}

/**
 * The status without what changes on every observation without anything having changed: the
 * heartbeat, and the kind's `volatileStatusPaths`. Those are written with the next real change or
 * heartbeat, not on every resync.
 */
export function withoutVolatile(status: ObjectStatus, volatilePaths: ReadonlyArray<readonly string[]>): ObjectStatus {
  const copy = structuredClone(status);
  delete copy.lastSyncedTime;
  for (const path of volatilePaths) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), copy);
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[path[path.length - 1]];
  }
  return copy;
}

/**
 * Reasons of a Reconciling object that no newer listing helps: it waits for another object of the
 * cluster (whose change requeues it), or AWS failed to serve a call (listing 10,000 connectors
 * again adds to the load that throttled it). Retried on their own backoff, with the period's listings.
 */
const WAITING_ON_NO_LISTING = new Set(['ReferenceNotFound', 'ReferenceNotReady', 'AwsThrottled', 'AwsUnavailable']);

/**
 * Whether the object's next observation needs listings fresher than the resync period's: it is
 * being deleted, a create of it is recorded and not yet seen, its spec changed, or it is
 * Reconciling towards something AWS reaches (an order, a create becoming visible). A Ready object
 * does not, nor a Stalled one (it waits for a person, whose spec change bumps the generation), nor
 * one waiting for another object or retrying a call AWS could not serve: each pass of those would
 * otherwise list every collection again (100 pages of connectors at 10,000), however often it
 * comes round.
 */
export function wantsFreshListings(obj: ManagedObject | undefined): obj is ManagedObject {
  return freshListingsWhy(obj) !== undefined;
}

/** Why the object wants fresh listings (for the log), or undefined when it does not. */
function freshListingsWhy(obj: ManagedObject | undefined): string | undefined {
  if (!obj) return undefined;
  if (obj.metadata.deletionTimestamp) return 'deletion';
  if (obj.status?.createPending) return 'create pending';
  // A reconcile asked for now reads AWS as it is now, not the resync period's listing.
  const requested = obj.metadata.annotations?.[ANNOTATIONS.reconcileRequestedAt];
  if (requested !== undefined && requested !== obj.status?.lastHandledReconcileAt) return 'reconcile requested';
  if ((obj.metadata.generation ?? 0) !== (obj.status?.observedGeneration ?? -1)) return `generation ${obj.metadata.generation ?? 0}, observed ${obj.status?.observedGeneration ?? 'none'}`;
  const reconciling = obj.status?.conditions?.find((c) => c.type === 'Reconciling' && c.status === 'True');
  return reconciling !== undefined && !WAITING_ON_NO_LISTING.has(reconciling.reason ?? '') ? `Reconciling: ${reconciling.reason}` : undefined;
}

/**
 * Before a batch: when any of its objects wants fresh listings, the listings older than
 * PROGRESS_LISTING_AGE_MS are forgotten (listed again on first use, once for the whole batch);
 * a batch of routine resyncs keeps the period's.
 */
export function expireForProgress(objects: ReadonlyArray<ManagedObject | undefined>, contexts: Iterable<Pick<AwsContext, 'inventory'>>): boolean {
  if (!objects.some(wantsFreshListings)) return false;
  for (const aws of contexts) aws.inventory.expireOlderThan(PROGRESS_LISTING_AGE_MS);
  return true;
}

/** What the objects gauge counts an object as (chimevoice_objects{state}). */
type ObjectState = 'ready' | 'reconciling' | 'stalled' | 'suspended';

function stateOf(result: ReconcileResult): ObjectState {
  if (result.phase === 'Ready') return 'ready';
  return result.phase === 'Stalled' ? 'stalled' : 'reconciling';
}

/** The annotation chimevoice.io/reconcile: disabled is on the object. */
function isSuspended(obj: ManagedObject): boolean {
  return obj.metadata.annotations?.[ANNOTATIONS.reconcile]?.trim() === RECONCILE_DISABLED;
}

/** A deletion that writes nothing to AWS (deletionPolicy Retain), which a suspension does not hold up. */
function retainedDeletion(obj: ManagedObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined && (obj.spec as { deletionPolicy?: string } | undefined)?.deletionPolicy === 'Retain';
}

/**
 * What the cache keeps of an object: everything but metadata.managedFields and kubectl's
 * last-applied-configuration annotation, which the controller never reads and which together are
 * often larger than the rest of the object (client-go's informers drop managedFields the same way).
 */
export function withoutUnreadMetadata(obj: ManagedObject): ManagedObject {
  const { managedFields: _managedFields, ...metadata } = obj.metadata as ManagedObject['metadata'] & { managedFields?: unknown };
  const annotations = metadata.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...obj, metadata };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function onlyStatusChanged(old: ManagedObject, obj: ManagedObject): boolean {
  return (
    old.metadata.generation === obj.metadata.generation &&
    deepEqual(old.metadata.finalizers ?? [], obj.metadata.finalizers ?? []) &&
    old.metadata.deletionTimestamp === obj.metadata.deletionTimestamp &&
    deepEqual(old.metadata.annotations ?? {}, obj.metadata.annotations ?? {})
  );
}

function readyOf(o: ManagedObject) {
  const c = o.status?.conditions?.find((x) => x.type === 'Ready');
  return [c?.status, o.status?.atProvider];
}
