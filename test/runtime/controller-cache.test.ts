/**
 * What the controller keeps of the objects it watches, against the real kube-apiserver: lists come
 * a page at a time and still return every object; the informer's cache holds no managedFields and
 * no kubectl last-applied annotation (often larger than the rest of the object), for listed and
 * watched objects alike, and keeps every other annotation.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Informer } from '../../src/runtime/informer.js';
import { KubeClient, loadKubeConfig } from '../../src/runtime/kube.js';
import { withoutUnreadMetadata } from '../../src/runtime/controller.js';
import { createLogger } from '../../src/telemetry/logger.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { applyCrds } from '../e2e/helpers.js';

let cluster: Cluster;
let kube: KubeClient;
const NS = 'cache-test';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const connector = (n: number) => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: {
    name: `vc-${n}`,
    namespace: NS,
    annotations: { [LAST_APPLIED]: JSON.stringify({ big: 'x'.repeat(2_000) }), 'team.example.com/owner': 'voice' },
  },
  spec: { region: 'us-east-1', requireEncryption: false },
});

beforeAll(async () => {
  cluster = await startCluster();
  await applyCrds(cluster);
  kube = new KubeClient(loadKubeConfig(cluster.kubeconfig));
  await kube.core.createNamespace({ body: { metadata: { name: NS } } });
  for (let n = 0; n < 7; n++) {
    await kube.custom.createNamespacedCustomObject({ group: 'chimevoice.io', version: 'v1alpha1', namespace: NS, plural: 'voiceconnectors', body: connector(n) });
  }
}, 20 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the controller cache', () => {
  it('lists a kind a page at a time and returns every object, with the resourceVersion of the snapshot', async () => {
    const pages = vi.spyOn(kube.custom, 'listNamespacedCustomObject');
    const paged = await kube.list('VoiceConnector', NS, 3);
    expect(pages).toHaveBeenCalledTimes(3);
    pages.mockRestore();
    const whole = await kube.list('VoiceConnector', NS, 1_000);
    expect(paged.items.map((o) => o.metadata.name).sort()).toEqual(Array.from({ length: 7 }, (_, n) => `vc-${n}`).sort());
    expect(paged.items).toHaveLength(7);
    expect(Number(paged.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(whole.items).toHaveLength(7);
  });

  it('keeps neither managedFields nor the last-applied annotation, for listed and watched objects', async () => {
    // The API server does record both: what the cache drops is really there.
    const raw = (await kube.list('VoiceConnector', NS)).items[0] as ManagedObject & { metadata: { managedFields?: unknown[] } };
    expect(raw.metadata.managedFields?.length).toBeGreaterThan(0);
    expect(raw.metadata.annotations?.[LAST_APPLIED]).toBeDefined();

    const seen: ManagedObject[] = [];
    const informer = new Informer<ManagedObject>({
      name: 'cache-test',
      kubeConfig: kube.config,
      path: kube.collectionPath('VoiceConnector', NS),
      list: () => kube.list('VoiceConnector', NS, 3),
      transform: withoutUnreadMetadata,
      onEvent: (_event, obj) => seen.push(obj),
      log: createLogger('warn'),
    });
    informer.start();
    try {
      await informer.synced;
      await kube.custom.createNamespacedCustomObject({ group: 'chimevoice.io', version: 'v1alpha1', namespace: NS, plural: 'voiceconnectors', body: connector(7) });
      await expect.poll(() => informer.get(NS, 'vc-7'), { timeout: 20_000 }).toBeDefined();
      const cached = informer.list();
      expect(cached).toHaveLength(8);
      for (const obj of [...cached, ...seen]) {
        expect(obj.metadata).not.toHaveProperty('managedFields');
        expect(obj.metadata.annotations).not.toHaveProperty(LAST_APPLIED);
        expect(obj.metadata.annotations?.['team.example.com/owner']).toBe('voice');
        expect(obj.metadata.resourceVersion).toBeDefined();
        expect(obj.spec).toMatchObject({ region: 'us-east-1', requireEncryption: false });
      }
    } finally {
      await informer.stop();
    }
  });
});
