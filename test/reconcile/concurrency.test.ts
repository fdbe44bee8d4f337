/**
 * Bounded concurrency across objects: within a step, different objects' observations, single
 * writes and read-backs run side by side, never more than the engine's limit at once; objects
 * whose observation reads their siblings' status (observesSiblings) are observed one at a time,
 * in the order given. A fake handler stands in for a kind; its "AWS" is a counter of calls in flight.
 */
import { describe, expect, it } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { Engine } from '../../src/reconcile/engine.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import type { KindHandler, ManagedObject } from '../../src/reconcile/types.js';
import { MemoryWorld } from '../../src/reconcile/world.js';

interface Fake {
  value: string;
}

class InFlight {
  now = 0;
  max = 0;
  async during<T>(work: () => T): Promise<T> {
    this.now++;
    this.max = Math.max(this.max, this.now);
    await new Promise((r) => setTimeout(r, 5));
    this.now--;
    return work();
  }
}

function setup(opts: { concurrency?: number; siblings?: boolean; operation?: string } = {}) {
  const observing = new InFlight();
  const writing = new InFlight();
  const store = new Map<string, string>();
  const observeOrder: string[] = [];
  const handler: KindHandler<Fake, Fake> = {
    kind: 'Fake',
    desired: (obj) => ({ value: String(obj.spec?.value) }),
    observe: ({ obj }) =>
      observing.during(() => {
        observeOrder.push(obj.metadata.name);
        const value = store.get(obj.metadata.name);
        return value === undefined ? undefined : { value };
      }),
    diff: (d, o) => (d.value === o.value ? [] : [{ path: 'spec.value', desired: d.value, actual: o.value }]),
    plan: (d, o, diffs) =>
      o === undefined || diffs.length > 0 ? [{ service: 'voice', operation: opts.operation ?? 'PutFake', input: { Name: d.value }, description: `put ${d.value}`, invalidates: [] }] : [],
    planDelete: () => ({ actions: [], blockers: [] }),
    atProvider: (o) => ({ value: o.value }),
    ...(opts.siblings ? { observesSiblings: () => true } : {}),
  };
  const aws = new AwsContext({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const beforeWrites = { maxObserving: -1 };
  aws.send = (async (_service: string, _operation: string, input: Record<string, unknown>) => {
    if (beforeWrites.maxObserving < 0) beforeWrites.maxObserving = observing.max;
    return writing.during(() => {
      const name = String(input.Name).split(':')[0];
      store.set(name, String(input.Name));
      return {};
    });
  }) as typeof aws.send;
  const engine = new Engine({
    aws,
    handlers: new Map([['Fake', handler]]),
    secrets: { get: () => undefined },
    secretDigest: SecretDigest.ephemeral(),
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  });
  const objects: ManagedObject[] = Array.from({ length: 30 }, (_, i) => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'Fake',
    metadata: { name: `o${String(i).padStart(2, '0')}`, namespace: 'default' },
    spec: { value: `o${String(i).padStart(2, '0')}:v1` },
  }));
  return { engine, objects, world: new MemoryWorld(objects), observing, writing, observeOrder, aws, beforeWrites };
}

describe('bounded concurrency across objects', () => {
  it('30 objects at concurrency 4: observations and single writes run 4 at a time, never more; every object Ready', async () => {
    const { engine, objects, world, observing, writing, aws } = setup({ concurrency: 4 });
    const results = await engine.reconcileMany(objects.map((obj) => ({ obj, specChanged: true })), world);
    aws.destroy();
    expect(results.map((r) => r.phase)).toEqual(objects.map(() => 'Ready'));
    expect(results.map((r) => r.key.name)).toEqual(objects.map((o) => o.metadata.name));
    expect(observing.max).toBe(4);
    expect(writing.max).toBe(4);
  });

  it('the default bounds them at DEFAULT_AWS_CONCURRENCY (10)', async () => {
    const { engine, objects, world, observing, writing, aws } = setup();
    await engine.reconcileMany(objects.map((obj) => ({ obj, specChanged: true })), world);
    aws.destroy();
    expect(observing.max).toBe(10);
    expect(writing.max).toBe(10);
  });

  it('observesSiblings: observed one at a time before planning, in the order given', async () => {
    const { engine, objects, world, observing, observeOrder, aws, beforeWrites } = setup({ concurrency: 8, siblings: true });
    const results = await engine.reconcileMany(objects.map((obj) => ({ obj, specChanged: true })), world);
    aws.destroy();
    expect(results.every((r) => r.phase === 'Ready')).toBe(true);
    // The observations that plan (before any write) one at a time; the read-backs after the writes need no turn.
    expect(beforeWrites.maxObserving).toBe(1);
    expect(observing.max).toBe(8);
    // Each object is observed before its write and after it: first all in order, then the read-backs.
    expect(observeOrder.slice(0, 30)).toEqual(objects.map((o) => o.metadata.name));
  });

  it('creates go one at a time whatever the bound: a process killed mid-pass strands at most one recorded create', async () => {
    const { engine, objects, world, observing, writing, aws } = setup({ concurrency: 8, operation: 'CreateFake' });
    const results = await engine.reconcileMany(objects.map((obj) => ({ obj, specChanged: true })), world);
    aws.destroy();
    expect(results.every((r) => r.phase === 'Ready')).toBe(true);
    expect(observing.max).toBe(8);
    expect(writing.max).toBe(1);
  });
});
