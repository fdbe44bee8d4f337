/** Test helpers: an engine wired to an emulator through the real SDK clients, and a world of objects. */
import { AwsContext } from '../../src/aws/context.js';
import { Engine } from '../../src/reconcile/engine.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import { MemoryWorld } from '../../src/reconcile/world.js';
import type { AnyKindHandler, ManagedObject, ObjectStatus, ReconcileResult } from '../../src/reconcile/types.js';
import { keyOf, keyString } from '../../src/reconcile/types.js';
import { handlers as allHandlers } from '../../src/kinds/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { testCredentials } from './emulator.js';

export interface EngineHarness {
  engine: Engine;
  aws: AwsContext;
  world: MemoryWorld;
  secrets: Map<string, Record<string, string>>;
  /**
   * What the engine made durable mid-pass (EngineOptions.persistStatus), by `Kind/namespace/name`:
   * the create-pending record written before a create call, and its ids after. A durable store
   * (status file, API server) keeps these through a crash; a test restart can hand them back.
   */
  durable: Map<string, ObjectStatus>;
  /** The engine's digester of passwords (a random key per harness, as an installation has). */
  secretDigest: SecretDigest;
  /** Reconciles the object as stored in the world, stores the new status, returns the result. */
  reconcile(obj: ManagedObject | string, opts?: { specChanged?: boolean }): Promise<ReconcileResult>;
  delete(obj: ManagedObject | string): Promise<ReconcileResult>;
  /** The object with its latest status. */
  get(kind: string, name: string, namespace?: string): ManagedObject;
}

export function engineHarness(
  emulator: Emulator,
  opts: { handlers?: ReadonlyMap<string, AnyKindHandler>; dryRun?: boolean; objects?: ManagedObject[]; secretDigest?: SecretDigest; homeRegion?: string; secretsMayArriveLater?: boolean } = {},
): EngineHarness {
  const aws = new AwsContext({ region: opts.homeRegion ?? 'us-east-1', endpoint: emulator.url, credentials: testCredentials, maxAttempts: 1 });
  const world = new MemoryWorld(opts.objects ?? []);
  const secrets = new Map<string, Record<string, string>>();
  const durable = new Map<string, ObjectStatus>();
  const secretDigest = opts.secretDigest ?? SecretDigest.ephemeral();
  const engine = new Engine({
    persistStatus: async (obj, status) => {
      durable.set(keyString(keyOf(obj)), structuredClone(status));
    },
    aws,
    handlers: opts.handlers ?? allHandlers,
    secrets: { get: (ns, name) => secrets.get(`${ns}/${name}`), mayArriveLater: opts.secretsMayArriveLater },
    secretDigest,
    now: () => emulator.clock.now(),
    dryRun: opts.dryRun,
  });
  const resolve = (o: ManagedObject | string) => {
    if (typeof o !== 'string') {
      world.put({ ...o, status: world.get(keyOf(o))?.status ?? o.status });
      return world.get(keyOf(o))!;
    }
    const [kind, name] = o.split('/');
    const found = world.list(kind).find((x) => x.metadata.name === name);
    if (!found) throw new Error(`no ${o} in the world`);
    return found;
  };
  return {
    engine,
    aws,
    world,
    secrets,
    durable,
    secretDigest,
    async reconcile(o, ro = {}) {
      const obj = resolve(o);
      aws.inventory.invalidate();
      const result = await engine.reconcile(obj, world, ro.specChanged ?? true);
      world.setStatus(keyOf(obj), result.status);
      return result;
    },
    async delete(o) {
      const obj = resolve(o);
      aws.inventory.invalidate();
      const result = await engine.delete(obj, world);
      if (result.deleted) world.remove(keyOf(obj));
      else world.setStatus(keyOf(obj), result.status);
      return result;
    },
    get(kind, name, namespace = 'default') {
      const found = world.get({ kind, name, namespace });
      if (!found) throw new Error(`no ${kind}/${name}`);
      return found;
    },
  };
}
