/**
 * Routes in a cluster, on a real kube-apiserver with the controller as its own process: a
 * PhoneNumber's status.route (and its Route column) follows what is on its path at once, not at
 * the next resync (set to an hour here, so only the path mapping can update it): a SIP rule that
 * starts using the number, then one of its applications' changes, then the rule disabled. And
 * `routes --cluster` draws the cluster's objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, applyCrds, eventually, getObject, startController, waitForCondition, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50 })]);
  await applyCrds(cluster);
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: '1h', name: 'routes' });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

const routeOf = async (name: string) => ((await getObject(cluster, `phonenumber/${name}`)) as { status?: { route?: string } } | undefined)?.status?.route;
const waitForRoute = (name: string, want: string) => eventually(`phonenumber/${name} status.route = ${want}`, async () => ((await routeOf(name)) === want ? true : false), { timeoutMs: 90_000 });

describe('PhoneNumber status.route', () => {
  it('follows the SIP rule, its applications and its state, without waiting for a resync', async () => {
    await cluster.kubectl(['apply', '-f', `${REPO_ROOT}/examples/ivr/phone-number.yaml`]);
    await waitForCondition(cluster, 'phonenumber/ivr-dial-in', 'Ready');
    await waitForRoute('ivr-dial-in', 'no route: assigned to nothing [1 broken]');

    // The rule starts using the number: the number's route changes although the number did not.
    await cluster.kubectl(['apply', '-f', `${REPO_ROOT}/examples/ivr/sip-media-applications.yaml`, '-f', `${REPO_ROOT}/examples/ivr/sip-rule.yaml`]);
    await waitForRoute('ivr-dial-in', 'SipRule/ivr-main-number → ivr-east (us-east-1), ivr-west (us-west-2)');

    const table = await cluster.kubectl(['get', 'phonenumbers']);
    expect(table.stdout.split('\n')[0]).toMatch(/\bROUTE\b/);
    expect(table.stdout).toMatch(/ivr-dial-in .*SipRule\/ivr-main-number → ivr-east \(us-east-1\), ivr-west \(us-west-2\)/);

    // The rule disabled: broken on the number's path.
    await cluster.kubectl(['patch', 'siprule', 'ivr-main-number', '--type=merge', '-p', '{"spec":{"disabled":true}}']);
    await waitForRoute('ivr-dial-in', 'SipRule/ivr-main-number (disabled) → ivr-east (us-east-1), ivr-west (us-west-2) [1 broken]');
  }, 5 * 60_000);

  it('routes --cluster draws the number with its E.164 from the status', async () => {
    const e164 = ((await getObject(cluster, 'phonenumber/ivr-dial-in')) as { status: { atProvider: { e164: string } } }).status.atProvider.e164;
    const r = await runCli(['routes', '--cluster', '--kubeconfig', cluster.kubeconfig, '--number', e164]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${e164}  IVR dial-in  (default/ivr-dial-in)`);
    expect(r.stdout).toMatch(/SIP rule ivr-main-number {2}\[[0-9a-f-]{36}\] {2}DISABLED/);
    expect(r.stdout).toContain('broken  SIP rule ivr-main-number is disabled');
  }, 120_000);
});
