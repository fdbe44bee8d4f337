/**
 * The fleet benchmark of directory mode: 50 voice connectors with every setting and 3 groups.
 * Reports the AWS calls by operation for the first convergence and for a steady-state resync, and
 * the time of each, against the in-process emulator.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureTwoApplies, printRuns, type ApplyRun } from './directory.js';

export type FleetRun = ApplyRun;

/** The fleet's connectors alternate between two regions: a listing is regional, so each region costs its own pages. */
const REGIONS = ['us-east-1', 'us-west-2'] as const;
const regionOf = (i: number) => REGIONS[i % REGIONS.length];

function connector(i: number): string {
  const n = String(i).padStart(2, '0');
  return `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata:
  name: trunk-${n}
spec:
  region: ${regionOf(i)}
  requireEncryption: true
  tags:
    fleet: bench
    index: "${n}"
  termination:
    cpsLimit: ${1 + (i % 5)}
    callingRegions: [US, CA]
    cidrAllowedList: [54.240.${i}.0/28]
    credentials:
      - username: pbx-${n}
        passwordSecretRef: { name: trunk-secrets, key: password-${n} }
  origination:
    routes:
      - { host: sbc${n}.example.com, port: 5061, protocol: TCP, priority: 1, weight: 60 }
      - { host: sbc${n}-b.example.com, port: 5061, protocol: TCP, priority: 2, weight: 40 }
  streaming:
    dataRetentionInHours: 24
    notificationTargets: [EventBridge]
  logging: { enableSIPLogs: true, enableMediaMetricLogs: true }
  emergencyCalling:
    dnis:
      - { emergencyPhoneNumber: "+12065550${100 + i}", testPhoneNumber: "+12065551${100 + i}", callingCountry: US }
`;
}

export function writeFleet(dir: string, connectors = 50, groups = 3): void {
  const docs: string[] = [];
  for (let i = 0; i < connectors; i++) docs.push(connector(i));
  for (let g = 0; g < groups; g++) {
    const items = [0, 1].map((k) => `    - voiceConnectorRef: { name: trunk-${String(g * 2 + k).padStart(2, '0')} }\n      priority: ${k + 1}`).join('\n');
    docs.push(`apiVersion: chimevoice.io/v1alpha1\nkind: VoiceConnectorGroup\nmetadata:\n  name: failover-${g}\nspec:\n  voiceConnectors:\n${items}\n`);
  }
  const secret = Array.from({ length: connectors }, (_, i) => `  password-${String(i).padStart(2, '0')}: bench-Passw0rd-${i}`).join('\n');
  docs.push(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: trunk-secrets\nstringData:\n${secret}\n`);
  writeFileSync(join(dir, 'fleet.yaml'), docs.join('---\n'));
}

/** The sub-configurations each fleet connector manages, each one Put to write and one read to observe. */
const MANAGED_BLOCKS = ['termination', 'termination credentials', 'origination', 'streaming', 'logging', 'emergency calling'].length;
/** AWS's largest page of ListVoiceConnectors and ListVoiceConnectorGroups. */
const PAGE = 100;

/**
 * The API-shape floor: the fewest calls the Chime SDK Voice API allows for the same work.
 * - First convergence: one page of each listing in each region holding fleet connectors (the
 *   account holds none of them yet, and a create must know that the resource does not exist), one CreateVoiceConnector per connector (it carries
 *   the tags), one Put per managed block, one CreateVoiceConnectorGroup per group (it carries its
 *   connectors), and one GetVoiceConnectorTerminationHealth per connector: health is status no write
 *   answers, read once so that the first status shows it (then on its own cadence).
 * - Steady state: the listings' pages (connectors in each of their regions, groups in the home
 *   region), and per connector its tags and one read per managed block;
 *   termination health is not due (TERMINATION_HEALTH_EVERY_MS).
 * Reading back what a write answered is not part of it; reading what a write did not answer is the
 * price of not guessing (PutVoiceConnectorTerminationCredentials answers nothing).
 */
export function fleetFloor(connectors: number, groups: number): { first: number; steady: number } {
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  const perRegion = REGIONS.map((_, r) => Array.from({ length: connectors }, (_x, i) => i).filter((i) => i % REGIONS.length === r).length).filter((n) => n > 0);
  return {
    first: perRegion.length + 1 + connectors * (1 + MANAGED_BLOCKS) + groups + connectors,
    steady: perRegion.reduce((sum, n) => sum + pages(n), 0) + pages(groups) + connectors * (1 + MANAGED_BLOCKS),
  };
}

export async function benchFleet(connectors = 50, groups = 3, options: { latencyMs?: number; concurrency?: number; plan?: boolean } = {}): Promise<FleetRun[]> {
  return measureTwoApplies({ write: (dir) => writeFleet(dir, connectors, groups), floors: fleetFloor(connectors, groups), ...options });
}

export function printFleet(runs: FleetRun[]): void {
  printRuns('Fleet', runs);
}

if (import.meta.url === `file://${process.argv[1]}`) printFleet(await benchFleet());
