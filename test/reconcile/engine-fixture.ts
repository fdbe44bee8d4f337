/**
 * A fake kind for driving the shared engine directly: a "Widget" whose handler is a small, honest
 * KindHandler (pure desired/diff/plan/planDelete, one observe) over a scripted AWS. The AWS side is
 * an AwsContext whose `send` answers from an in-memory table instead of the network: the executor,
 * the inventory and the create-pending guard run as they do against AWS, only the transport is
 * replaced. Rows of test/reconcile/engine.table.test.ts tune the handler's behaviour.
 */
import { BadRequestException, NotFoundException } from '@aws-sdk/client-chime-sdk-voice';
import { AwsContext } from '../../src/aws/context.js';
import { Engine } from '../../src/reconcile/engine.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import { MemoryWorld } from '../../src/reconcile/world.js';
import { InvalidSpecError } from '../../src/reconcile/errors.js';
import { anyKind, type AwsService, type DeleteBlocker, type Difference, type ExecutedAction, type KindHandler, type ManagedObject, type ObjectStatus, type PlannedAction, type Readiness, type ReconcileMode } from '../../src/reconcile/types.js';

export const NOW = new Date('2030-01-01T00:00:00.000Z');

export interface Widget {
  Id: string;
  Name: string;
  Size: number;
  Region: string;
  /** Created by this test's engine (not seeded): what a lagging listing does not show yet. */
  fresh?: boolean;
}

/** What a Widget's status caches; the create's capture `WidgetId` fills `widgetId`. */
export type WidgetAtProvider = { widgetId?: string };

// The fake kind joins the kinds a reference may resolve to, so `ctx.resolve('Widget', ...)` is typed.
declare module '../../src/reconcile/types.js' {
  interface AtProviderOf {
    Widget: WidgetAtProvider;
  }
}

export type WidgetSpec = {
  size?: number;
  region?: string;
  parentRef?: string;
  driftPolicy?: 'Correct' | 'Report';
  deletionPolicy?: 'Delete' | 'Retain';
};

export interface WidgetDesired {
  name: string;
  size?: number;
  region: string;
  parentId?: string;
}

/** What a row makes the handler or AWS do besides the plain path. */
export interface Behaviour {
  /** `desired` throws this (an InvalidSpecError: a spec the schema could not catch). */
  desiredError?: Error;
  /** `observe` throws this. */
  observeError?: Error;
  /** Readiness instead of "ready when it exists". */
  readiness?: Readiness;
  /** What planDelete reports as still using the widget. */
  blockers?: DeleteBlocker[];
  /** The plan's tail waits for AWS (an `after` action): listed by plan, never sent by apply in the same pass. */
  deferredActivate?: boolean;
  /** AWS answers these operations with these errors. */
  failures?: Record<string, Error>;
  /** A created widget is not visible to observe yet (API5: listings and reads lag). */
  lagging?: boolean;
  /** persistStatus (the status file, the API server) cannot be written. */
  persistFails?: boolean;
  /**
   * The handler folds its writes' answers (KindHandler.answered): an update's size as sent, with
   * these parts left to read. Unset: no fold, observed in full after the writes.
   */
  answers?: { unread: string[] };
}

export class WidgetCloud extends AwsContext {
  readonly widgets = new Map<string, Widget>();
  readonly calls: Array<{ operation: string; input: Record<string, unknown> }> = [];
  failures: Record<string, Error> = {};
  /** Called as each call goes out, before it is answered (to look at what was made durable first). */
  onSend?: (operation: string) => void;
  private seq = 0;

  constructor(seed: Widget[] = []) {
    super({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
    for (const w of seed) this.widgets.set(w.Id, { ...w });
  }

  override async send<T = any>(_service: AwsService, operation: string, input: Record<string, unknown>): Promise<T> {
    this.calls.push({ operation, input });
    this.onSend?.(operation);
    const failure = this.failures[operation];
    if (failure) throw failure;
    const widget = (): Widget => {
      const w = this.widgets.get(String(input.Id));
      if (!w) throw new NotFoundException({ message: `no widget ${String(input.Id)}`, $metadata: { httpStatusCode: 404 } });
      return w;
    };
    switch (operation) {
      case 'CreateWidget': {
        const Id = `w-${++this.seq}`;
        this.widgets.set(Id, { Id, Name: String(input.Name), Size: Number(input.Size ?? 1), Region: String(input.Region), fresh: true });
        return { Widget: { Id } } as T;
      }
      case 'UpdateWidget':
        widget().Size = Number(input.Size);
        return {} as T;
      case 'ActivateWidget':
        widget();
        return {} as T;
      case 'DeleteWidget':
        widget();
        this.widgets.delete(String(input.Id));
        return {} as T;
      default:
        throw new BadRequestException({ message: `unknown operation ${operation}`, $metadata: { httpStatusCode: 400 } });
    }
  }
}

export const opsOf = (actions: Array<{ action: PlannedAction }>): string[] => actions.map((a) => a.action.operation);

export function widgetHandler(cloud: WidgetCloud, b: Behaviour, modes: ReconcileMode[] = [], answeredSeen: unknown[] = []): KindHandler<WidgetDesired, Widget, WidgetAtProvider, WidgetSpec> {
  return {
    kind: 'Widget',
    desired(obj, ctx) {
      if (b.desiredError) throw b.desiredError;
      const spec = obj.spec;
      if (spec.size !== undefined && spec.size < 1) throw new InvalidSpecError(`size must be at least 1, got ${spec.size}`, 'spec.size');
      const parentId = spec.parentRef ? String(ctx.resolve('Widget', spec.parentRef).widgetId) : undefined;
      return { name: obj.metadata.name, region: spec.region ?? 'us-east-1', ...(spec.size !== undefined ? { size: spec.size } : {}), ...(parentId ? { parentId } : {}) };
    },
    async observe({ obj, desired, mode, answered }) {
      modes.push(mode);
      if (answered) answeredSeen.push(answered);
      if (b.observeError) throw b.observeError;
      const id = obj.status?.atProvider?.widgetId;
      const found = (id ? cloud.widgets.get(id) : undefined) ?? [...cloud.widgets.values()].find((w) => w.Name === desired.name);
      if (!found || (found.fresh && b.lagging)) return undefined;
      return { ...found };
    },
    diff(desired, observed) {
      const out: Difference[] = [];
      // Unset is unmanaged: a spec without size leaves AWS's size alone.
      if (desired.size !== undefined && desired.size !== observed.Size) out.push({ path: 'size', desired: desired.size, actual: observed.Size });
      if (desired.region !== observed.Region) out.push({ path: 'region', desired: desired.region, actual: observed.Region, requiresReplacement: true });
      return out;
    },
    plan(desired, observed, diffs) {
      if (observed === undefined) {
        const create: PlannedAction = {
          service: 'voice',
          operation: 'CreateWidget',
          input: { Name: desired.name, Size: desired.size, Region: desired.region, ...(desired.parentId ? { ParentId: desired.parentId } : {}) },
          description: `create widget ${desired.name}`,
          captures: { WidgetId: 'Widget.Id' },
        };
        if (!b.deferredActivate) return [create];
        return [create, { service: 'voice', operation: 'ActivateWidget', input: { Id: { $output: 'WidgetId' } }, description: 'activate the widget', after: { awaits: 'the widget to provision' } }];
      }
      return diffs
        .filter((d) => d.path === 'size')
        .map((d) => ({ service: 'voice' as const, operation: 'UpdateWidget', input: { Id: observed.Id, Size: d.desired }, description: `set size to ${String(d.desired)}`, fixes: ['size'] }));
    },
    planDelete(_desired, observed) {
      return { actions: [{ service: 'voice', operation: 'DeleteWidget', input: { Id: observed.Id }, description: `delete widget ${observed.Id}` }], blockers: b.blockers ?? [] };
    },
    atProvider: (observed) => ({ widgetId: observed.Id }),
    readiness: () => b.readiness ?? { ready: true },
    ...(b.answers
      ? {
          answered: (before: Widget | undefined, _desired: WidgetDesired, executed: ExecutedAction[]) => {
            if (!before) return undefined;
            const update = executed.find((e) => e.ok && e.action.operation === 'UpdateWidget');
            return { observed: { ...before, ...(update ? { Size: Number(update.action.input.Size) } : {}) }, unread: b.answers!.unread };
          },
        }
      : {}),
  };
}

export function widget(name: string, spec: WidgetSpec = {}, extra: { status?: ObjectStatus; annotations?: Record<string, string>; creationTimestamp?: string; generation?: number } = {}): ManagedObject<WidgetSpec> {
  return {
    apiVersion: 'test.chimevoice.io/v1alpha1',
    kind: 'Widget',
    metadata: {
      name,
      namespace: 'default',
      generation: extra.generation ?? 1,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      ...(extra.creationTimestamp ? { creationTimestamp: extra.creationTimestamp } : {}),
    },
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export interface Rig {
  engine: Engine;
  cloud: WidgetCloud;
  world: MemoryWorld;
  /** The modes observe was called with, in order. */
  modes: ReconcileMode[];
  /** The `answered` observe got after the writes, when the handler folds answers (Behaviour.answers). */
  answered: unknown[];
  /** What persistStatus made durable, in order, with the calls already sent at that moment. */
  persisted: Array<{ status: ObjectStatus; callsBefore: string[] }>;
}

export function rig(opts: { seed?: Widget[]; behaviour?: Behaviour; dryRun?: boolean; objects?: ManagedObject[]; now?: () => Date; account?: string } = {}): Rig {
  const b = opts.behaviour ?? {};
  const cloud = new WidgetCloud(opts.seed);
  cloud.failures = b.failures ?? {};
  const modes: ReconcileMode[] = [];
  const answered: unknown[] = [];
  const persisted: Rig['persisted'] = [];
  const world = new MemoryWorld(opts.objects ?? []);
  const engine = new Engine({
    aws: cloud,
    handlers: new Map([['Widget', anyKind(widgetHandler(cloud, b, modes, answered))]]),
    secrets: { get: () => undefined },
    secretDigest: SecretDigest.ephemeral(),
    now: opts.now ?? (() => NOW),
    dryRun: opts.dryRun,
    ...(opts.account !== undefined ? { account: opts.account } : {}),
    persistStatus: async (_obj, status) => {
      if (b.persistFails) throw new Error('status store unavailable');
      persisted.push({ status: structuredClone(status), callsBefore: cloud.calls.map((c) => c.operation) });
    },
  });
  return { engine, cloud, world, modes, answered, persisted };
}
