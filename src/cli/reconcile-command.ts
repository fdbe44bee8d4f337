// `reconcile`, `suspend` and `resume` (registered in reconcile-cli.ts): the annotations of
// src/api/common.ts set on one object through the Kubernetes API, and the controller's answer read
// back from its status. Nothing here talks to AWS; what is printed as done is what the controller
// reported in status, never the mere fact that the annotation was written.
import { PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { ANNOTATIONS, API_GROUP, API_VERSION, KINDS, RECONCILE_DISABLED, type KindDescriptor } from '../api/index.js';
import type { Condition } from '../api/common.js';
import { KubeClient, loadKubeConfig, statusCodeOf, useContext } from '../runtime/kube.js';
import type { ManagedObject } from '../reconcile/types.js';
import { EXIT } from './exit-codes.js';
import type { IO } from './engine-options.js';
import { formatDuration } from './output.js';

export type ObjectCommand = 'reconcile' | 'suspend' | 'resume';

export interface ObjectCommandOptions {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  timeout: number;
  wait?: boolean;
}

/**
 * How often status is read while waiting. Polling one object is one small GET a second; a watch
 * would answer sooner by a fraction of that but needs its own reconnect handling for a command
 * that runs for seconds.
 */
const POLL_MS = 1_000;

/** The kind a kubectl-style name stands for: kind, plural, singular or short name, with or without `.chimevoice.io`. */
export function kindNamed(text: string): KindDescriptor | undefined {
  const name = text.toLowerCase().replace(new RegExp(`\\.${API_GROUP.replace('.', '\\.')}$`), '');
  return KINDS.find((k) => k.scope !== 'Cluster' && (k.kind.toLowerCase() === name || k.plural === name || k.singular === name || k.shortNames.includes(name)));
}

class CommandError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

interface Target {
  kind: KindDescriptor;
  name: string;
  namespace: string;
  /** `VoiceConnector default/office-pbx-trunk`, as messages name it. */
  label: string;
}

function parseTarget(text: string): Omit<Target, 'namespace' | 'label'> {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(text.trim());
  if (!match) throw new CommandError(`error: ${JSON.stringify(text)} is not KIND/NAME (for example voiceconnector/office-pbx-trunk)`, EXIT.usage);
  const kind = kindNamed(match[1]);
  if (!kind) {
    const names = KINDS.filter((k) => k.scope !== 'Cluster').map((k) => k.singular);
    throw new CommandError(`error: unknown kind ${JSON.stringify(match[1])}; kinds: ${names.join(', ')}`, EXIT.usage);
  }
  return { kind, name: match[2] };
}

export async function runObjectCommand(command: ObjectCommand, text: string, opts: ObjectCommandOptions, io: IO): Promise<number> {
  try {
    const { kind, name } = parseTarget(text);
    let kc: KubeConfig;
    try {
      kc = useContext(loadKubeConfig(opts.kubeconfig), opts.context);
    } catch (err) {
      throw new CommandError(`error: ${(err as Error).message}`, EXIT.failure);
    }
    // As kubectl: -n, else the current context's namespace.
    const namespace = opts.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
    const target: Target = { kind, name, namespace, label: `${kind.kind} ${namespace}/${name}` };
    const api = new ObjectApi(new KubeClient(kc), target, kc.getCurrentCluster()?.server ?? '(no server)');
    const before = await api.get();
    if (command === 'reconcile') return await reconcile(api, before, opts, io);
    if (command === 'suspend') return await suspend(api, before, opts, io);
    return await resume(api, before, opts, io);
  } catch (err) {
    if (err instanceof CommandError) {
      io.stderr.write(`${err.message}\n`);
      return err.code;
    }
    throw err;
  }
}

/** One object through the custom objects API, each failure said with the object and the server. */
class ObjectApi {
  constructor(
    private readonly kube: KubeClient,
    readonly target: Target,
    private readonly server: string,
  ) {}

  private get ref() {
    return { group: API_GROUP, version: API_VERSION, namespace: this.target.namespace, plural: this.target.kind.plural, name: this.target.name };
  }

  private failure(what: string, err: unknown): CommandError {
    const status = statusCodeOf(err);
    if (status === 404) return new CommandError(`error: ${this.target.label} not found (Kubernetes API at ${this.server})`, EXIT.failure);
    if (status === 403) return new CommandError(`error: may not ${what} ${this.target.label} (403: the kubeconfig's identity needs get and patch on ${this.target.kind.plural}.${API_GROUP})`, EXIT.failure);
    const e = err as { message?: string; cause?: { message?: string } };
    return new CommandError(`error: could not ${what} ${this.target.label} at ${this.server}: ${e.message ?? String(err)}${e.cause?.message ? `: ${e.cause.message}` : ''}`, EXIT.failure);
  }

  async get(): Promise<ManagedObject> {
    try {
      return (await this.kube.custom.getNamespacedCustomObject(this.ref)) as ManagedObject;
    } catch (err) {
      throw this.failure('read', err);
    }
  }

  /** Sets (a string) or removes (null) one annotation with a merge patch: nothing else of the object is touched. */
  async annotate(key: string, value: string | null): Promise<ManagedObject> {
    try {
      return (await this.kube.custom.patchNamespacedCustomObject(
        { ...this.ref, body: { metadata: { annotations: { [key]: value } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as ManagedObject;
    } catch (err) {
      throw this.failure('annotate', err);
    }
  }

  /** Reads the object until `done` says so, or the timeout passes (then the last copy read). */
  async until(done: (obj: ManagedObject) => boolean, timeoutMs: number): Promise<{ obj: ManagedObject; done: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const obj = await this.get();
      if (done(obj)) return { obj, done: true };
      if (Date.now() >= deadline) return { obj, done: false };
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }
}

const condition = (obj: ManagedObject, type: string): Condition | undefined => obj.status?.conditions?.find((c) => c.type === type);
const isSuspended = (obj: ManagedObject) => obj.metadata.annotations?.[ANNOTATIONS.reconcile]?.trim() === RECONCILE_DISABLED;

/** The state of the object in one line: `Ready (Available): message`, `Stalled (InvalidSpec): ...`. */
function describeState(obj: ManagedObject): string {
  const ready = condition(obj, 'Ready');
  const stalled = condition(obj, 'Stalled');
  const reconciling = condition(obj, 'Reconciling');
  const shown = ready?.status === 'True' ? { word: 'Ready', c: ready } : stalled?.status === 'True' ? { word: 'Stalled', c: stalled } : { word: 'not Ready', c: reconciling ?? ready };
  if (!shown.c) return 'no status yet';
  return `${shown.word} (${shown.c.reason})${shown.c.message ? `: ${shown.c.message}` : ''}`;
}

/** Ready or Stalled for the current generation: the controller will not change its answer on its own. */
function settledState(obj: ManagedObject): 'Ready' | 'Stalled' | undefined {
  const generation = obj.metadata.generation;
  const current = (c: Condition | undefined) => c?.status === 'True' && (generation === undefined || c.observedGeneration === undefined || c.observedGeneration === generation);
  if (current(condition(obj, 'Ready'))) return 'Ready';
  if (current(condition(obj, 'Stalled'))) return 'Stalled';
  return undefined;
}

async function reconcile(api: ObjectApi, before: ManagedObject, opts: ObjectCommandOptions, io: IO): Promise<number> {
  const { label } = api.target;
  if (isSuspended(before)) {
    throw new CommandError(`error: ${label} is suspended (annotation ${ANNOTATIONS.reconcile}: ${RECONCILE_DISABLED}); nothing would be reconciled: resume it first (resume ${api.target.kind.singular}/${api.target.name})`, EXIT.failure);
  }
  // A new value every time (the time, as Flux writes it); the same millisecond twice would be no change, so step past it.
  let requested = new Date().toISOString();
  if (before.metadata.annotations?.[ANNOTATIONS.reconcileRequestedAt] === requested) requested = new Date(Date.now() + 1).toISOString();
  await api.annotate(ANNOTATIONS.reconcileRequestedAt, requested);
  if (!opts.wait) {
    io.stdout.write(`${label}: reconcile requested (${ANNOTATIONS.reconcileRequestedAt}: ${requested}); --wait waits for its outcome\n`);
    return EXIT.ok;
  }
  const handled = (obj: ManagedObject) => obj.status?.lastHandledReconcileAt === requested;
  const { obj, done } = await api.until((o) => isSuspended(o) || (handled(o) && settledState(o) !== undefined), opts.timeout);
  if (isSuspended(obj)) {
    io.stderr.write(`${label}: suspended while waiting (annotation ${ANNOTATIONS.reconcile}: ${RECONCILE_DISABLED}); the reconcile was not made\n`);
    return EXIT.failure;
  }
  if (!done) {
    if (!handled(obj)) {
      io.stderr.write(
        `${label}: the controller did not handle the request within ${formatDuration(opts.timeout)} (status.lastHandledReconcileAt is ${JSON.stringify(obj.status?.lastHandledReconcileAt ?? null)}): is it running and watching namespace ${api.target.namespace}?\n`,
      );
    } else {
      io.stderr.write(`${label}: reconciled, still in progress after ${formatDuration(opts.timeout)}: ${describeState(obj)}\n`);
    }
    return EXIT.timedOut;
  }
  const state = settledState(obj);
  const line = `${label}: reconciled at ${requested}: ${describeState(obj)}\n`;
  if (state === 'Ready') {
    io.stdout.write(line);
    return EXIT.ok;
  }
  io.stderr.write(line);
  return EXIT.failure;
}

async function suspend(api: ObjectApi, before: ManagedObject, opts: ObjectCommandOptions, io: IO): Promise<number> {
  const { label } = api.target;
  if (!isSuspended(before)) await api.annotate(ANNOTATIONS.reconcile, RECONCILE_DISABLED);
  const { obj, done } = await api.until((o) => o.status?.suspended === true, opts.timeout);
  if (!done) {
    io.stderr.write(
      `${label}: annotation ${ANNOTATIONS.reconcile}: ${RECONCILE_DISABLED} is set, but the controller has not confirmed the suspension within ${formatDuration(opts.timeout)} (status.suspended is not true): is it running and watching namespace ${api.target.namespace}?\n`,
    );
    return EXIT.timedOut;
  }
  const since = condition(obj, 'Suspended')?.lastTransitionTime;
  io.stdout.write(`${label}: suspended${since ? ` since ${since}` : ''}; nothing is written to AWS for it until resume\n`);
  return EXIT.ok;
}

async function resume(api: ObjectApi, before: ManagedObject, opts: ObjectCommandOptions, io: IO): Promise<number> {
  const { label } = api.target;
  if (before.metadata.annotations?.[ANNOTATIONS.reconcile] === undefined && before.status?.suspended !== true) {
    io.stdout.write(`${label}: not suspended: ${describeState(before)}\n`);
    return EXIT.ok;
  }
  if (before.metadata.annotations?.[ANNOTATIONS.reconcile] !== undefined) await api.annotate(ANNOTATIONS.reconcile, null);
  const { obj, done } = await api.until((o) => o.status?.suspended !== true, opts.timeout);
  if (!done) {
    io.stderr.write(`${label}: annotation ${ANNOTATIONS.reconcile} removed, but the controller has not reconciled the object within ${formatDuration(opts.timeout)} (status.suspended is still true): is it running?\n`);
    return EXIT.timedOut;
  }
  io.stdout.write(`${label}: resumed: ${describeState(obj)}\n`);
  return EXIT.ok;
}
