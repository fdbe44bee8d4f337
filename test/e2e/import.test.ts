/**
 * Import in a cluster: a seeded account (every kind and setting, numbers in every status) imported
 * into a folder, `kubectl apply -k` of that folder against a real API server, the controller
 * against the emulator: every object Ready (the number being ported in waits for its port, the one
 * in the deletion queue says so), and not one AWS write.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/cli/import-command.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { seedAccount, SEEDED, type SeededIds } from '../helpers/seeded-account.js';
import { applyCrds, conditionOf, eventually, getObject, mutatingCalls, startController, waitForCondition, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess | undefined;
let ids: SeededIds;
let dir: string;

const sink = () => {
  let text = '';
  return { write: (s: string) => ((text += s), true), get text() { return text; } };
};

beforeAll(async () => {
  // Strict regions: the us-west-2 connector and application exist only through us-west-2's endpoint.
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ strictRegions: true })]);
  ids = await seedAccount(emulator);
  await applyCrds(cluster);
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'cvo-import-e2e-')), 'account');
  const out = sink();
  const err = sink();
  const code = await runImport(
    {
      outputDir: dir,
      region: 'us-east-1',
      endpoint: emulator.url,
      driftPolicy: 'Correct',
      deletionPolicy: 'Retain',
      acknowledgeBiometricConsent: 'privacy@acme.example',
      awsConcurrency: 10,
    },
    { stdout: out as never, stderr: err as never },
  );
  if (code !== 0) throw new Error(`import failed: ${err.text}`);
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

describe('an imported account in a cluster', () => {
  it('applies with kubectl apply -k, and the controller finds every object Ready without writing to AWS', { timeout: 300_000 }, async () => {
    const applied = await cluster.kubectl(['apply', '-k', dir]);
    expect(applied.code, applied.stderr).toBe(0);
    const listed = await cluster.kubectl(['get', 'chime', '-o', 'name']);
    const refs = listed.stdout.trim().split('\n').sort();
    expect(refs).toHaveLength(ids.all.length + 1);

    emulator.resetCounters();
    controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, name: 'import' });
    const porting = `phonenumber.chimevoice.io/pn-${SEEDED.portingNumber.slice(1)}`;
    const queued = `phonenumber.chimevoice.io/pn-${ids.numbers.deleted.slice(1)}`;
    const ready = refs.filter((r) => r !== porting && r !== queued);
    await waitForCondition(cluster, ready, 'Ready', { timeoutMs: 180_000 });
    await eventually(
      'the arriving and the leaving number report why they are not Ready',
      async () => {
        const [p, q] = await Promise.all([getObject(cluster, porting), getObject(cluster, queued)]);
        return conditionOf(p, 'Ready')?.reason === 'PortingInProgress' && conditionOf(q, 'Ready')?.reason === 'InDeletionQueue';
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    for (const ref of ready) expect(conditionOf(await getObject(cluster, ref), 'Drifted')?.status, ref).toBe('False');
    // The resources of the second region were imported with it, and the controller found them there.
    const west = await Promise.all(['voiceconnector.chimevoice.io/backup-trunk', 'sipmediaapplication.chimevoice.io/ivr-west'].map((ref) => getObject(cluster, ref)));
    expect(west.map((o) => (o.spec as { region?: string }).region)).toEqual(['us-west-2', 'us-west-2']);
    expect(mutatingCalls(emulator.counters())).toEqual({});
  });
});
