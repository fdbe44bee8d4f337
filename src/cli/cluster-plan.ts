// `plan -f DIR --cluster` (and `kubectl chime plan -f DIR`): the folder against what the cluster
// holds, before a `kubectl apply`. Per object of the folder: created, spec changed (field by field)
// or unchanged; with --prune, what `kubectl apply --prune` would delete; and, given AWS access, the
// AWS calls the controller would then make, planned by the engine from the identity the cluster
// object's status and annotations hold, as the controller finds it. It only reads: the cluster
// through list and get, AWS through the engine's plan mode.
import { ANNOTATIONS, API_GROUP, FINALIZER, KINDS, RECONCILE_DISABLED } from '../api/index.js';
import { accountOptions, type AccountAccess } from '../aws/accounts.js';
import { handlers } from '../kinds/index.js';
import { Engine } from '../reconcile/engine.js';
import { claimsOf } from '../reconcile/claims.js';
import { classify, NOT_ASKED_REASONS } from '../reconcile/errors.js';
import { SecretDigest } from '../reconcile/secret-digest.js';
import { describeAction, printableInput } from '../reconcile/executor.js';
import { keyOf, keyString, type ManagedObject, type ObjectKey } from '../reconcile/types.js';
import { MemoryWorld } from '../reconcile/world.js';
import { DEFAULT_DIGEST_KEY_SECRET, loadDigestKeySecret } from '../runtime/digest-key-secret.js';
import { KubeClient, KubeConfigError, loadKubeConfig, statusCodeOf, useContext } from '../runtime/kube.js';
import { applyToCluster, pruneCandidates, type AppliedObject, type SpecChange } from '../sources/cluster-diff.js';
import type { ObjectReport } from '../sources/directory-mode.js';
import { formatLocation, loadDirectory, type ManifestObject } from '../sources/directory.js';
import { deletionOrder, referencesOf, type SecretLike } from '../sources/graph.js';
import { formatProblem, hasErrors, validateDirectory } from '../sources/validate.js';
import { openAws } from './aws-target.js';
import { deletionOutcome } from './deletions.js';
import { accountAccess, describeAccess } from './engine-commands.js';
import type { IO, TargetOptions } from './engine-options.js';
import { EXIT } from './exit-codes.js';
import { painter, plural } from './output.js';
import { findingLines, objectName, readyOf, show } from './plan-output.js';

export interface ClusterPlanOptions extends TargetOptions {
  prune?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** AWS through the default credential chain (the other ways to give AWS access: --endpoint, --emulator, --account). */
  aws?: boolean;
  digestKeySecret?: string;
  digestKeyNamespace?: string;
}

/** A failure that ends the command: what failed and where. */
class PlanError extends Error {}

/** One object of the folder against the cluster, and the controller's AWS calls when they were planned. */
interface PlannedObject {
  manifest: ManifestObject;
  applied: AppliedObject;
  /** The engine's plan for the object; undefined when not asked (unchanged, AWS part not computed, or `skipped`). */
  aws?: ObjectReport;
  /** Why the controller would make no AWS call for it, or why it was not planned. */
  skipped?: string;
  /** Set when only Secrets it references change: the controller's calls come at its next reconcile of the object. */
  secretsChanged?: string[];
}

interface SecretPlan {
  key: string;
  outcome: 'create' | 'change' | 'unchanged';
  /** Keys whose value changes (never the values). */
  keys: string[];
}

interface PrunedObject {
  obj: ManagedObject;
  aws?: ObjectReport;
  skipped?: string;
}

/** The AWS part: computed (with where), or why not. */
type AwsPart = { computed: true; where: string } | { computed: false; why: string };

const NAMESPACED_KINDS = KINDS.filter((k) => k.scope !== 'Cluster');

export async function runClusterPlan(opts: ClusterPlanOptions, io: IO): Promise<number> {
  try {
    return await plan(opts, io);
  } catch (err) {
    if (err instanceof PlanError || err instanceof KubeConfigError) {
      io.stderr.write(`plan: ${err.message}\n`);
      return EXIT.failure;
    }
    throw err;
  }
}

async function plan(opts: ClusterPlanOptions, io: IO): Promise<number> {
  if (opts.output === 'markdown') {
    io.stderr.write('plan: --cluster writes text or json (-o markdown is for a plan against AWS alone)\n');
    return EXIT.usage;
  }
  const kc = useContext(loadKubeConfig(opts.kubeconfig), opts.context);
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  const context = kc.getCurrentContext();
  // As kubectl apply: objects that name no namespace go to -n, else the context's namespace, else default.
  const namespace = opts.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  const kube = new KubeClient(kc);

  // The folder first, only parsed: which namespaces, kinds and Secrets of the cluster to read.
  const loaded = await loadDirectory(opts.filename, { namespace });
  if (opts.namespace !== undefined) {
    // kubectl apply -n refuses an object of another namespace; so does its plan, at the object's line.
    const elsewhere = loaded.objects.filter((m) => m.namespace !== opts.namespace);
    for (const m of elsewhere) {
      io.stderr.write(`${formatLocation({ file: m.file, line: m.line })}: metadata.namespace: ${m.kind} ${m.name} is in namespace ${m.namespace}, not ${opts.namespace} (-n): kubectl apply -n ${opts.namespace} would refuse it\n`);
    }
    if (elsewhere.length > 0) return EXIT.failure;
  }
  const namespaces = new Set(loaded.objects.map((m) => m.namespace));
  const secretRefs = new Set<string>(loaded.secrets.map((s) => `${s.namespace}/${s.name}`));
  for (const m of loaded.objects) {
    for (const ref of referencesOf(m.object)) {
      namespaces.add(ref.namespace);
      if (ref.targetKind === 'Secret') secretRefs.add(`${ref.namespace}/${ref.name}`);
    }
  }

  const where = `the cluster at ${server} (context ${context})`;
  const clusterObjects = await listObjects(kube, [...namespaces].sort(), where);
  const clusterSecrets = await readSecrets(kube, [...secretRefs].sort(), where);

  // Validated as `validate` does, with references resolved against the cluster as well as the folder.
  const validation = await validateDirectory(opts.filename, {
    namespace,
    existing: { objects: clusterObjects, secrets: [...clusterSecrets.values()] },
  });
  for (const p of validation.problems) io.stderr.write(`${formatProblem(p)}\n`);
  if (hasErrors(validation.problems)) {
    io.stderr.write('nothing was planned: fix the errors above first\n');
    return EXIT.failure;
  }

  const byKey = new Map(clusterObjects.map((o) => [keyString(keyOf(o)), o]));
  const planned: PlannedObject[] = validation.objects.map((manifest) => {
    const current = byKey.get(`${manifest.kind}/${manifest.namespace}/${manifest.name}`);
    return { manifest, applied: applyToCluster(manifest.object as ManagedObject, current) };
  });
  const secrets = validation.secrets.map((s) => secretPlan(s, clusterSecrets.get(`${s.namespace}/${s.name}`)));
  const pruned: PrunedObject[] = opts.prune
    ? deletionOrder(
        pruneCandidates(
          clusterObjects,
          new Set(planned.map((p) => keyString(keyOf(p.applied.object)))),
          new Set(validation.objects.map((m) => m.kind)),
          new Set(validation.objects.map((m) => m.namespace)),
        ),
      ).map((obj) => ({ obj }))
    : [];

  const changedSecrets = new Set(secrets.filter((s) => s.outcome !== 'unchanged').map((s) => s.key));
  const awsPart = await planAws(opts, io, planned, pruned, clusterObjects, validation.secrets, clusterSecrets, changedSecrets, kube);
  const paint = painter(io.stdout);
  const verdict = verdictOf(planned, secrets, pruned, awsPart);
  if (opts.output === 'json') io.stdout.write(planJson(where, planned, secrets, pruned, awsPart, verdict));
  else io.stdout.write(planText(opts.filename, where, planned, secrets, pruned, awsPart, verdict, paint));
  if (verdict.awsIncomplete > 0 || verdict.stalled > 0) return EXIT.failure;
  return verdict.clusterChanges > 0 || verdict.awsCalls > 0 || verdict.awsDrift > 0 ? EXIT.changesPending : EXIT.ok;
}

/** Every object of the managed kinds in these namespaces, read with the kube context's identity. */
async function listObjects(kube: KubeClient, namespaces: string[], where: string): Promise<ManagedObject[]> {
  const objects: ManagedObject[] = [];
  for (const ns of namespaces) {
    for (const kind of NAMESPACED_KINDS) {
      try {
        for (const item of (await kube.list(kind.kind, ns)).items) objects.push({ ...item, kind: kind.kind });
      } catch (err) {
        throw new PlanError(`could not list ${kind.plural}.${API_GROUP} in namespace ${ns} from ${where}: ${kubeFailure(err, kind.plural)}`);
      }
    }
  }
  return objects;
}

/** The Secrets the folder holds or names, as the cluster has them (absent ones left out). Their values stay in memory: compared and handed to the engine, never printed. */
async function readSecrets(kube: KubeClient, ids: string[], where: string): Promise<Map<string, SecretLike>> {
  const found = new Map<string, SecretLike>();
  for (const id of ids) {
    const [namespace, name] = id.split('/');
    try {
      const data = await kube.readSecret(namespace, name);
      if (data) found.set(id, { namespace, name, data });
    } catch (err) {
      throw new PlanError(`could not read Secret ${id} from ${where}: ${kubeFailure(err, 'secrets')}`);
    }
  }
  return found;
}

function kubeFailure(err: unknown, plural: string): string {
  const code = statusCodeOf(err);
  if (code === 404) return `404: the ${plural} resource is not served (are the CRDs installed? kubectl apply -f crds/, or the Helm chart)`;
  if (code === 403) return `403: the kube context's identity may not read ${plural} there (it needs get and list)`;
  if (code === 401) return '401: the kubeconfig\'s credentials were refused';
  const e = err as { message?: string; cause?: { message?: string } };
  return `${e.message ?? String(err)}${e.cause?.message ? `: ${e.cause.message}` : ''}`;
}

function secretPlan(folder: SecretLike, cluster: SecretLike | undefined): SecretPlan {
  const key = `${folder.namespace}/${folder.name}`;
  if (!cluster) return { key, outcome: 'create', keys: Object.keys(folder.data).sort() };
  const keys = [...new Set([...Object.keys(folder.data), ...Object.keys(cluster.data)])].filter((k) => folder.data[k] !== cluster.data[k] && k in folder.data).sort();
  return { key, outcome: keys.length > 0 ? 'change' : 'unchanged', keys };
}

const isSuspended = (obj: ManagedObject) => obj.metadata.annotations?.[ANNOTATIONS.reconcile]?.trim() === RECONCILE_DISABLED;
const annotationsOfController = (changes: SpecChange[]) => changes.some((c) => c.path.startsWith('metadata.annotations') && c.path.includes('chimevoice.io/'));

/**
 * The controller's AWS calls for the objects the apply creates or changes, and for the pruned
 * ones it would delete: the engine's plan mode over a world of the cluster's objects as the apply
 * leaves them (statuses as the cluster holds them, so each object's AWS resource is the one the
 * controller found or made).
 */
async function planAws(
  opts: ClusterPlanOptions,
  io: IO,
  planned: PlannedObject[],
  pruned: PrunedObject[],
  clusterObjects: ManagedObject[],
  folderSecrets: SecretLike[],
  clusterSecrets: Map<string, SecretLike>,
  changedSecrets: ReadonlySet<string>,
  kube: KubeClient,
): Promise<AwsPart> {
  const given = opts.aws === true || opts.endpoint !== undefined || opts.emulator === true || opts.account !== undefined;
  if (!given) {
    return { computed: false, why: 'no AWS access given (--aws for the default credentials, --account NAME, --endpoint URL or --emulator): the AWS calls the controller would make were not computed' };
  }
  const access: AccountAccess | undefined = opts.account === undefined ? undefined : await accountAccess(opts.filename, opts.account);
  if (access) io.stderr.write(`account ${access.name}: ${describeAccess(access)}\n`);
  const account = access?.name ?? '';
  const target = await openAws(opts, io, {
    failFast: (err) => classify(err).unreachable === true,
    ...(access ? { configure: (base) => accountOptions(base, access) } : {}),
  });
  try {
    // What the apply leaves: the cluster's objects, the folder's replacing theirs, the pruned ones still there (they go after).
    const applied = new Map(planned.map((p) => [keyString(keyOf(p.applied.object)), p.applied.object]));
    const everything = [...clusterObjects.filter((o) => !applied.has(keyString(keyOf(o)))), ...applied.values()];
    const world = new MemoryWorld(everything, (obj) => {
      const handler = handlers.get(obj.kind);
      return claimsOf(obj, handler?.claims?.bind(handler));
    });
    const secretData = new Map<string, Record<string, string>>();
    for (const s of clusterSecrets.values()) secretData.set(`${s.namespace}/${s.name}`, s.data);
    for (const s of folderSecrets) secretData.set(`${s.namespace}/${s.name}`, s.data);

    const items: Array<{ p: PlannedObject; specChanged: boolean }> = [];
    for (const p of planned) {
      const obj = p.applied.object;
      const refAccount = (obj.spec as { accountRef?: { name?: string } }).accountRef?.name;
      // A Secret the apply changes reaches AWS too: the controller reads it again and sends a changed password (as drift of the object, at its next reconcile).
      const secretChanges = referencesOf(obj).filter((r) => r.targetKind === 'Secret' && changedSecrets.has(`${r.namespace}/${r.name}`));
      const quiet = p.applied.outcome === 'unchanged' || (p.applied.outcome === 'change' && p.applied.changes.length === 0 && !annotationsOfController(p.applied.metadataChanges));
      if (quiet && secretChanges.length === 0) continue;
      if (quiet) p.secretsChanged = secretChanges.map((r) => `${r.namespace}/${r.name}`);
      if (obj.metadata.deletionTimestamp) p.skipped = 'being deleted in the cluster: kubectl apply does not change it';
      else if (isSuspended(obj)) p.skipped = `suspended (annotation ${ANNOTATIONS.reconcile}: ${RECONCILE_DISABLED}): the controller makes no AWS call for it`;
      else if (refAccount !== undefined && refAccount !== account) {
        p.skipped = `spec.accountRef names account ${refAccount}, and this plan reaches ${account === '' ? 'the default credentials' : `account ${account}`}: plan with --account ${refAccount} to see its calls`;
      } else items.push({ p, specChanged: p.applied.outcome === 'create' || p.applied.changes.length > 0 });
    }
    const needsKey = [...items.map((i) => i.p.applied.object), ...pruned.map((p) => p.obj)].some((o) => referencesOf(o).some((r) => r.targetKind === 'Secret'));
    const engine = new Engine({
      aws: target.aws,
      handlers,
      account,
      secrets: { get: (ns, name) => secretData.get(`${ns}/${name}`) },
      secretDigest: needsKey ? await controllerDigest(opts, kube, io) : SecretDigest.ephemeral(),
      dryRun: true,
      ...(opts.awsConcurrency !== undefined ? { concurrency: opts.awsConcurrency } : {}),
    });
    target.aws.resetFailure();
    const results = await engine.reconcileLevels(
      items.map((i) => ({ obj: i.p.applied.object, specChanged: i.specChanged })),
      world,
      // Later levels see an earlier one's identity when it exists already (a new number's connector).
      { onLevel: (done) => done.forEach(({ index, result }) => result.status.atProvider && world.setStatus(keyOf(items[index].p.applied.object), result.status)) },
    );
    items.forEach((i, k) => {
      const result = results[k];
      if (result) i.p.aws = { key: keyOf(i.p.applied.object), result };
      else i.p.skipped = 'not planned: the plan stopped before it';
    });
    // The pruned objects the controller would delete from AWS, in deletion order, with the objects that stay beside them.
    for (const p of pruned) {
      if (!p.obj.metadata.finalizers?.includes(FINALIZER)) p.skipped = 'no finalizer of the controller: the object goes at once, nothing is deleted from AWS';
      else if (isSuspended(p.obj) && (p.obj.spec as { deletionPolicy?: string }).deletionPolicy !== 'Retain') p.skipped = 'suspended: the deletion waits until resume, and the AWS resource stays';
      else p.aws = { key: keyOf(p.obj), result: await engine.delete(p.obj, world) };
    }
    return { computed: true, where: target.where };
  } finally {
    await target.close();
  }
}

/** The controller's digest key (read, never created), so that a password it sent compares as the same; without it, said once. */
async function controllerDigest(opts: ClusterPlanOptions, kube: KubeClient, io: IO): Promise<SecretDigest> {
  const name = opts.digestKeySecret ?? DEFAULT_DIGEST_KEY_SECRET;
  const namespace = opts.digestKeyNamespace ?? 'default';
  try {
    const { key } = await loadDigestKeySecret(kube.core, { name, namespace, create: false });
    return new SecretDigest(() => key);
  } catch (err) {
    io.stderr.write(
      `plan: ${(err as Error).message}; termination passwords cannot be compared with what the controller sent, so they show as sent again (pass --digest-key-namespace with the controller's namespace)\n`,
    );
    return SecretDigest.ephemeral();
  }
}

interface Verdict {
  created: number;
  changed: number;
  unchanged: number;
  pruned: number;
  secretChanges: number;
  clusterChanges: number;
  awsCalls: number;
  awsDeferred: number;
  awsDrift: number;
  /** Objects whose AWS part could not be computed (AWS not asked, an error). */
  awsIncomplete: number;
  stalled: number;
}

const reportsOf = (planned: PlannedObject[], pruned: PrunedObject[]) => [...planned.flatMap((p) => p.aws ?? []), ...pruned.flatMap((p) => p.aws ?? [])];

function verdictOf(planned: PlannedObject[], secrets: SecretPlan[], pruned: PrunedObject[], aws: AwsPart): Verdict {
  const count = (o: AppliedObject['outcome']) => planned.filter((p) => p.applied.outcome === o).length;
  const reports = reportsOf(planned, pruned);
  const deleting = pruned.flatMap((p) => (p.aws && deletionOutcome(p.aws.result) === 'delete' ? [p.aws] : []));
  const actions = [...planned.flatMap((p) => p.aws ?? []), ...deleting].flatMap((r) => r.result.actions.map((a) => a.action));
  const secretChanges = secrets.filter((s) => s.outcome !== 'unchanged').length;
  const incomplete = (r: ObjectReport) => NOT_ASKED_REASONS.has(readyOf(r)?.reason ?? '') || r.result.phase === 'Error' || r.result.phase === 'Progressing';
  return {
    created: count('create'),
    changed: count('change'),
    unchanged: count('unchanged'),
    pruned: pruned.length,
    secretChanges,
    clusterChanges: count('create') + count('change') + pruned.length + secretChanges,
    awsCalls: actions.filter((a) => !a.after).length,
    awsDeferred: actions.filter((a) => a.after).length,
    awsDrift: planned.reduce((n, p) => n + (p.aws?.result.drift.length ?? 0), 0),
    awsIncomplete: aws.computed ? reports.filter(incomplete).length : 0,
    stalled: planned.filter((p) => p.aws?.result.phase === 'Stalled').length + pruned.filter((p) => p.aws && deletionOutcome(p.aws.result) === 'blocked').length,
  };
}

function summary(v: Verdict, aws: AwsPart): string {
  const parts = [`${v.created} to create`, `${v.changed} to change`, `${v.unchanged} unchanged`, ...(v.pruned > 0 ? [`${v.pruned} to prune`] : []), ...(v.secretChanges > 0 ? [`${plural(v.secretChanges, 'Secret')} to create or change`] : [])];
  const cluster = v.clusterChanges === 0 ? 'No changes: the cluster holds every object of the folder as it is.' : `Cluster: ${parts.join(', ')}.`;
  if (!aws.computed) return `${cluster} AWS: not computed.`;
  const incomplete = v.awsIncomplete > 0 ? ` ${plural(v.awsIncomplete, 'object')} could not be planned against AWS (see above).` : '';
  const calls = v.awsDeferred > 0 ? `${plural(v.awsCalls, 'AWS call')} now, ${v.awsDeferred} after what they wait for` : plural(v.awsCalls, 'AWS call');
  return `${cluster} AWS (${aws.where}): the controller would then make ${calls}${v.stalled > 0 ? `; ${plural(v.stalled, 'object')} stalled or blocked` : ''}.${incomplete}`;
}

const changeLine = (c: SpecChange, paint: ReturnType<typeof painter>) => `  ${paint('yellow', '~')} ${c.path}: the cluster has ${show(c.before)}, the folder has ${show(c.after)}`;

function planText(dir: string, where: string, planned: PlannedObject[], secrets: SecretPlan[], pruned: PrunedObject[], aws: AwsPart, v: Verdict, paint: ReturnType<typeof painter>): string {
  const lines: string[] = [`Plan of ${dir} against ${where}:`];
  if (!aws.computed) lines.push(paint('yellow', `AWS: ${aws.why}.`));
  lines.push('');
  for (const p of planned) {
    const key = keyOf(p.applied.object);
    const at = paint('dim', ` (${formatLocation({ file: p.manifest.file, line: p.manifest.line })})`);
    if (p.applied.outcome === 'unchanged' && !p.secretsChanged) {
      lines.push(`${paint('bold', objectName(key))}${at}: unchanged`);
      continue;
    }
    const outcome = p.applied.outcome === 'create' ? paint('green', 'created in the cluster') : p.applied.outcome === 'change' ? paint('yellow', 'changed in the cluster') : 'unchanged';
    lines.push(`${paint('bold', objectName(key))}${at}: ${outcome}${p.secretsChanged ? `; its Secret ${p.secretsChanged.join(', ')} changes` : ''}`);
    for (const c of [...p.applied.changes, ...p.applied.metadataChanges]) lines.push(changeLine(c, paint));
    const when = p.secretsChanged ? ' (at its next reconcile: the resync, or kubectl chime reconcile)' : '';
    if (p.skipped) lines.push(`  AWS: ${p.skipped}`);
    else if (p.aws) {
      const found = findingLines(p.aws, paint, '    ');
      lines.push(found.length > 0 ? `  AWS: the controller would then${when}:` : '  AWS: nothing to do, AWS already matches', ...found);
    } else if (aws.computed && p.applied.changes.length === 0) lines.push('  AWS: no spec change, nothing for the controller to do');
  }
  for (const s of secrets) {
    if (s.outcome === 'unchanged') lines.push(`${paint('bold', `Secret ${s.key}`)}: unchanged`);
    else lines.push(`${paint('bold', `Secret ${s.key}`)}: ${s.outcome === 'create' ? 'created' : 'changed'} in the cluster (${s.outcome === 'create' ? 'keys' : 'values of'} ${s.keys.join(', ')})`);
  }
  if (pruned.length > 0) {
    lines.push('', paint('bold', 'To prune (kubectl apply --prune: objects of these kinds and namespaces made by kubectl apply that the folder no longer holds):'));
    for (const p of pruned) {
      lines.push(`  ${paint('red', '-')} ${paint('bold', objectName(keyOf(p.obj)))}: deleted from the cluster`);
      if (p.skipped) lines.push(`    AWS: ${p.skipped}`);
      else if (p.aws) lines.push(...pruneAwsLines(p.aws, paint));
    }
  }
  lines.push('', summary(v, aws));
  return `${lines.join('\n')}\n`;
}

/** What the controller does in AWS for a pruned object: the deletion's calls, or why it makes none. */
function pruneAwsLines(r: ObjectReport, paint: ReturnType<typeof painter>): string[] {
  switch (deletionOutcome(r.result)) {
    case 'retain':
      return ['    AWS: left in AWS (deletionPolicy Retain)'];
    case 'gone':
      return ['    AWS: already gone from AWS'];
    case 'blocked':
      return [`    AWS: ${paint('red', `! the deletion is blocked: ${r.result.status.conditions?.find((c) => c.type === 'Stalled')?.message ?? readyOf(r)?.message ?? r.result.phase}`)}`];
    case 'delete':
      return [
        '    AWS: the controller would then:',
        ...r.result.actions.flatMap(({ action }) => [`      ${paint('red', '-')} ${describeAction(action)}`, paint('dim', `          ${action.operation} ${JSON.stringify(printableInput(action))}`)]),
      ];
  }
}

function planJson(where: string, planned: PlannedObject[], secrets: SecretPlan[], pruned: PrunedObject[], aws: AwsPart, v: Verdict): string {
  const awsOf = (r: ObjectReport | undefined, skipped: string | undefined) =>
    skipped !== undefined
      ? { skipped }
      : r
        ? {
            phase: r.result.phase,
            reason: readyOf(r)?.reason,
            message: readyOf(r)?.message,
            drift: r.result.drift.map((d) => ({ path: d.path, ...(d.redacted ? { redacted: d.redacted } : { desired: d.desired, actual: d.actual }) })),
            actions: r.result.actions.map((a) => ({ description: a.action.description, operation: a.action.operation, input: printableInput(a.action), ...(a.action.after ? { after: a.action.after.awaits } : {}) })),
          }
        : undefined;
  const name = (key: ObjectKey) => ({ kind: key.kind, namespace: key.namespace, name: key.name });
  return `${JSON.stringify(
    {
      cluster: where,
      aws: aws.computed ? { computed: true, where: aws.where } : { computed: false, why: aws.why },
      summary: summary(v, aws),
      objects: planned.map((p) => ({
        ...name(keyOf(p.applied.object)),
        source: formatLocation({ file: p.manifest.file, line: p.manifest.line }),
        cluster: p.applied.outcome,
        ...(p.secretsChanged ? { secretsChanged: p.secretsChanged } : {}),
        changes: [...p.applied.changes, ...p.applied.metadataChanges].map((c) => ({ path: c.path, cluster: c.before, folder: c.after })),
        ...(awsOf(p.aws, p.skipped) ? { aws: awsOf(p.aws, p.skipped) } : {}),
      })),
      secrets: secrets.map((s) => ({ secret: s.key, cluster: s.outcome, keys: s.keys })),
      prune: pruned.map((p) => ({ ...name(keyOf(p.obj)), ...(awsOf(p.aws, p.skipped) ? { aws: { ...awsOf(p.aws, p.skipped), ...(p.aws ? { outcome: deletionOutcome(p.aws.result) } : {}) } } : {}) })),
    },
    null,
    2,
  )}\n`;
}

