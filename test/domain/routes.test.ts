/**
 * The route model, table by table: each broken or risky case gives its finding (stable id,
 * severity) and nothing else does; a number's one-line route; which numbers a change reaches; two
 * sources compared path by path.
 */
import { describe, expect, it } from 'vitest';
import type { AwsPort, ListSpec } from '../../src/core/aws-port.js';
import { VOICE_REGIONS } from '../../src/domain/regions.js';
import { compareRoutes } from '../../src/domain/routes/compare.js';
import { readAwsInventory } from '../../src/domain/routes/read-aws.js';
import { inventoryOfObjects } from '../../src/domain/routes/from-objects.js';
import { buildRoutes, findNumber, routeSummary, type RouteInventory } from '../../src/domain/routes/model.js';
import { numberRouteLine, numbersOnPathOf, type PathLookup, type PathObject } from '../../src/domain/routes/status.js';

const vc = (key: string, region: string, extra: Partial<RouteInventory['connectors'][number]> = {}) => ({
  key,
  region,
  origination: { disabled: false, hosts: [{ host: `sbc.${key}`, port: 5061, priority: 1, weight: 100 }] },
  ...extra,
});
const app = (key: string, region: string) => ({ key, region, lambdaArns: [`arn:aws:lambda:${region}:123456789012:function:${key}`] });
const inv = (parts: Partial<RouteInventory>): RouteInventory => ({ source: 'test', numbers: [], connectors: [], groups: [], applications: [], rules: [], ...parts });

describe('findings', () => {
  const healthyRule = { key: 'r', disabled: false, trigger: { type: 'ToPhoneNumber' as const, e164: '+1' }, targets: [{ key: 'east', priority: 1 }, { key: 'west', priority: 2 }] };
  const cases: Array<[string, RouteInventory, string[]]> = [
    ['a number on a healthy connector', inv({ numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnector', key: 'a' } }], connectors: [vc('a', 'us-east-1')] }), []],
    ['a number assigned to nothing', inv({ numbers: [{ e164: '+1' }] }), ['broken number-unrouted:+1']],
    ['a number on a connector that is not there', inv({ numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnector', key: 'gone' } }] }), ['broken number-missing-target:+1']],
    ['a number on a group that is not there', inv({ numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnectorGroup', key: 'gone' } }] }), ['broken number-missing-target:+1']],
    [
      'a connector with origination disabled',
      inv({ numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnector', key: 'a' } }], connectors: [vc('a', 'us-east-1', { origination: { disabled: true, hosts: [] } })] }),
      ['broken connector-origination-disabled:a'],
    ],
    [
      'a connector with no origination routes',
      inv({ numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnector', key: 'a' } }], connectors: [vc('a', 'us-east-1', { origination: { disabled: false, hosts: [] } })] }),
      ['broken connector-no-origination:a'],
    ],
    ['a healthy two-region rule', inv({ numbers: [{ e164: '+1' }], applications: [app('east', 'us-east-1'), app('west', 'us-west-2')], rules: [healthyRule] }), []],
    [
      'a disabled rule',
      inv({ numbers: [{ e164: '+1' }], applications: [app('east', 'us-east-1'), app('west', 'us-west-2')], rules: [{ ...healthyRule, disabled: true }] }),
      ['broken rule-disabled:r'],
    ],
    ['a rule whose application is missing', inv({ numbers: [{ e164: '+1' }], applications: [app('west', 'us-west-2')], rules: [healthyRule] }), ['broken rule-application-missing:r/east']],
    [
      'failover targets in one region',
      inv({ numbers: [{ e164: '+1' }], applications: [app('east', 'us-east-1'), app('west', 'us-east-1')], rules: [healthyRule] }),
      ['risky rule-failover-same-region:r'],
    ],
    ['a rule with one target', inv({ numbers: [{ e164: '+1' }], applications: [app('east', 'us-east-1')], rules: [{ ...healthyRule, targets: [{ key: 'east', priority: 1 }] }] }), ['risky rule-no-failover:r']],
    [
      'a group within one region',
      inv({
        numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnectorGroup', key: 'g' } }],
        connectors: [vc('a', 'us-east-1'), vc('b', 'us-east-1')],
        groups: [{ key: 'g', members: [{ key: 'a', priority: 1 }, { key: 'b', priority: 2 }] }],
      }),
      ['risky group-single-region:g'],
    ],
    [
      'a two-region group',
      inv({
        numbers: [{ e164: '+1', assignment: { kind: 'VoiceConnectorGroup', key: 'g' } }],
        connectors: [vc('a', 'us-east-1'), vc('b', 'us-west-2')],
        groups: [{ key: 'g', members: [{ key: 'a', priority: 1 }, { key: 'b', priority: 2 }] }],
      }),
      [],
    ],
    ['an empty group', inv({ groups: [{ key: 'g', members: [] }] }), ['broken group-empty:g']],
    [
      'a group listing a connector that is not there',
      inv({ connectors: [vc('a', 'us-east-1')], groups: [{ key: 'g', members: [{ key: 'a', priority: 1 }, { key: 'gone', priority: 2 }] }] }),
      // What is left of the group is in one region, too.
      ['broken group-missing-connector:g/gone', 'risky group-single-region:g'],
    ],
    [
      'termination disabled',
      inv({ connectors: [vc('a', 'us-east-1', { termination: { disabled: true, cidrAllowedList: [], callingRegions: [], credentials: [] } })] }),
      ['risky termination-disabled:a'],
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(buildRoutes(input).findings.map((f) => `${f.severity} ${f.id}`)).toEqual(expected);
  });

  it('orders failover by priority whatever order the source lists it in', () => {
    const map = buildRoutes(
      inv({ numbers: [{ e164: '+1' }], applications: [app('east', 'us-east-1'), app('west', 'us-west-2')], rules: [{ ...healthyRule, targets: [{ key: 'west', priority: 2 }, { key: 'east', priority: 1 }] }] }),
    );
    const inbound = map.numbers[0].inbound;
    expect(inbound.type === 'rules' && inbound.rules[0].applications.map((a) => a.key)).toEqual(['east', 'west']);
  });
});

describe('findNumber', () => {
  const map = buildRoutes(inv({ numbers: [{ e164: '+12065550100', object: 'default/main' }, { object: 'default/pending' }] }));
  it.each([
    ['+12065550100', '+12065550100'],
    ['+1 (206) 555-0100', '+12065550100'],
    ['12065550100', '+12065550100'],
    ['main', '+12065550100'],
    ['default/pending', 'default/pending'],
  ])('%s finds %s', (query, id) => expect(findNumber(map, query)?.id).toBe(id));
  it('an unknown number finds nothing', () => expect(findNumber(map, '+19995550000')).toBeUndefined());
});

// Objects as the cluster holds them.
const obj = (kind: string, name: string, spec: object, status?: object): PathObject => ({ kind, metadata: { name, namespace: 'default' }, spec, ...(status ? { status } : {}) });
const objects: PathObject[] = [
  obj('PhoneNumber', 'ivr', { e164: '+12065550100', productType: 'SipMediaApplicationDialIn' }),
  obj('PhoneNumber', 'other-ivr', { order: { state: 'WA' }, productType: 'SipMediaApplicationDialIn' }, { atProvider: { e164: '+12065550199' } }),
  obj('PhoneNumber', 'office', { e164: '+12065550101', productType: 'VoiceConnector', assignment: { voiceConnectorRef: { name: 'trunk' } } }),
  obj('PhoneNumber', 'center', { e164: '+12065550102', productType: 'VoiceConnector', assignment: { voiceConnectorGroupRef: { name: 'cc' } } }),
  obj('SipRule', 'rule', { trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'ivr' } }, targetApplications: [{ sipMediaApplicationRef: { name: 'east' }, priority: 1 }, { sipMediaApplicationRef: { name: 'west' }, priority: 2 }] }),
  obj('SipRule', 'by-e164', { trigger: { type: 'ToPhoneNumber', e164: '+12065550199' }, targetApplications: [{ sipMediaApplicationId: 'sma-123', priority: 1, region: 'us-west-2' }] }),
  obj('SipMediaApplication', 'east', { region: 'us-east-1', endpoint: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' } }),
  obj('SipMediaApplication', 'west', { region: 'us-west-2', endpoint: { lambdaArn: 'arn:aws:lambda:us-west-2:123456789012:function:f' } }, { atProvider: { sipMediaApplicationId: 'sma-123' } }),
  obj('VoiceConnector', 'trunk', { region: 'us-east-1', origination: { routes: [{ host: 'sbc1.example.com', port: 5061, priority: 1, weight: 50 }] } }),
  obj('VoiceConnector', 'cc-east', { region: 'us-east-1' }),
  obj('VoiceConnector', 'cc-west', { region: 'us-west-2' }, { atProvider: { voiceConnectorId: 'vc-west' } }),
  obj('VoiceConnectorGroup', 'cc', { voiceConnectors: [{ voiceConnectorRef: { name: 'cc-east' }, priority: 1 }, { voiceConnectorId: 'vc-west', priority: 2 }] }),
];
const lookup: PathLookup = {
  get: (kind, namespace, name) => objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace),
  list: (kind, namespace) => objects.filter((o) => o.kind === kind && (o.metadata.namespace ?? 'default') === namespace),
};
const get = (kind: string, name: string) => lookup.get(kind, 'default', name)!;

describe('a number in the cluster', () => {
  it.each([
    ['ivr', 'SipRule/rule → east (us-east-1), west (us-west-2)'],
    ['other-ivr', 'SipRule/by-e164 → west (us-west-2) [1 risky]'],
    ['office', 'VoiceConnector/trunk (us-east-1) → sbc1.example.com:5061'],
    ['center', 'VoiceConnectorGroup/cc → 1. cc-east (us-east-1), 2. cc-west (us-west-2)'],
  ])('%s: status.route is "%s"', (name, line) => expect(numberRouteLine(get('PhoneNumber', name), lookup)).toBe(line));

  it('a number nothing uses says so, and that it is broken', () => {
    const lonely = obj('PhoneNumber', 'lonely', { e164: '+12065550177', productType: 'VoiceConnector' });
    expect(numberRouteLine(lonely, lookup)).toBe('no route: assigned to nothing [1 broken]');
  });

  it.each([
    ['SipRule', 'rule', ['default/ivr']],
    ['SipRule', 'by-e164', ['default/other-ivr']],
    ['SipMediaApplication', 'east', ['default/ivr']],
    // Used by reference (rule) and by id (by-e164).
    ['SipMediaApplication', 'west', ['default/ivr', 'default/other-ivr']],
    ['VoiceConnector', 'trunk', ['default/office']],
    ['VoiceConnector', 'cc-east', ['default/center']],
    ['VoiceConnector', 'cc-west', ['default/center']],
    ['VoiceConnectorGroup', 'cc', ['default/center']],
  ])('a change to %s %s reaches %j', (kind, name, numbers) => expect(numbersOnPathOf(get(kind, name), lookup)).toEqual(numbers));
});

describe('two sources compared', () => {
  const manifests = buildRoutes(
    inventoryOfObjects('manifests', [
      obj('PhoneNumber', 'office', { order: { state: 'WA' }, productType: 'VoiceConnector', assignment: { voiceConnectorRef: { name: 'trunk' } } }),
      obj('VoiceConnector', 'trunk', { region: 'us-east-1', origination: { routes: [{ host: 'sbc1.example.com', port: 5061, priority: 1, weight: 50 }] } }),
    ]),
  );
  const awsWith = (host: string) =>
    buildRoutes(
      inv({
        source: 'aws',
        numbers: [{ e164: '+12065550101', object: 'default/office', assignment: { kind: 'VoiceConnector', key: 'trunk' } }],
        connectors: [{ key: 'trunk', id: 'abc', region: 'us-east-1', origination: { disabled: false, hosts: [{ host, port: 5061, priority: 1, weight: 50 }] } }],
      }),
    );
  it('a number not ordered yet matches its AWS number by object, and the same path is the same (ids aside)', () => {
    const cmp = compareRoutes(manifests, awsWith('sbc1.example.com'));
    expect(cmp.numbers.map((p) => [p.id, p.same])).toEqual([['+12065550101', true]]);
  });
  it('another host is a difference', () => {
    const cmp = compareRoutes(manifests, awsWith('sbc9.example.com'));
    expect(cmp.numbers.map((p) => [p.id, p.same])).toEqual([['+12065550101', false]]);
  });
  it('hosts are not compared where a manifest leaves origination unmanaged', () => {
    const unmanaged = buildRoutes(
      inventoryOfObjects('manifests', [
        obj('PhoneNumber', 'office', { e164: '+12065550101', productType: 'VoiceConnector', assignment: { voiceConnectorRef: { name: 'trunk' } } }),
        obj('VoiceConnector', 'trunk', { region: 'us-east-1' }),
      ]),
    );
    expect(compareRoutes(unmanaged, awsWith('sbc9.example.com')).numbers[0].same).toBe(true);
  });
  it('routeSummary of a manifest connector without origination says nothing of hosts', () => {
    expect(routeSummary(manifests.numbers[0])).toBe('VoiceConnector/trunk (us-east-1) → sbc1.example.com:5061');
  });
});

describe('resources named by AWS id, not managed here', () => {
  const manifests = buildRoutes(
    inventoryOfObjects('manifests', [
      obj('PhoneNumber', 'ivr', { e164: '+12065550100', productType: 'SipMediaApplicationDialIn' }),
      obj('SipRule', 'rule', { trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'ivr' } }, targetApplications: [{ sipMediaApplicationId: 'sma-9', priority: 1, region: 'us-east-1' }, { sipMediaApplicationId: 'sma-8', priority: 2, region: 'us-west-2' }] }),
    ]),
  );
  it('are unknown, not missing: no broken finding, and the picture says so', () => {
    expect(manifests.findings).toEqual([]);
    const inbound = manifests.numbers[0].inbound;
    expect(inbound.type === 'rules' && inbound.rules[0].applications.map((a) => [a.key, a.missing, a.external])).toEqual([
      ['sma-9', false, true],
      ['sma-8', false, true],
    ]);
  });
  it('match the AWS resource with that id when compared', () => {
    const aws = buildRoutes(
      inv({
        source: 'aws',
        numbers: [{ e164: '+12065550100' }],
        applications: [{ key: 'ivr-east', id: 'sma-9', region: 'us-east-1', lambdaArns: [] }, { key: 'ivr-west', id: 'sma-8', region: 'us-west-2', lambdaArns: [] }],
        rules: [{ key: 'rule', id: 'r-1', disabled: false, trigger: { type: 'ToPhoneNumber', e164: '+12065550100' }, targets: [{ key: 'ivr-east', priority: 1, region: 'us-east-1' }, { key: 'ivr-west', priority: 2, region: 'us-west-2' }] }],
      }),
    );
    expect(compareRoutes(manifests, aws).numbers.map((p) => p.same)).toEqual([true]);
  });
});

describe('readAwsInventory across regions', () => {
  /**
   * An account through per-region endpoints: `listsEverywhere` answers as the looser reading of AWS
   * would (every endpoint lists every region's resources), else as the stricter one. Records what
   * each region was asked.
   */
  function account(listsEverywhere: boolean) {
    const apps = [
      { SipMediaApplicationId: 'app-east', Name: 'ivr-east', AwsRegion: 'us-east-1' },
      { SipMediaApplicationId: 'app-west', Name: 'ivr-west', AwsRegion: 'us-west-2' },
    ];
    const rules = [
      {
        SipRuleId: 'rule-1',
        Name: 'main',
        TriggerType: 'ToPhoneNumber',
        TriggerValue: '+12065550100',
        TargetApplications: [
          { SipMediaApplicationId: 'app-east', Priority: 1, AwsRegion: 'us-east-1' },
          { SipMediaApplicationId: 'app-west', Priority: 2, AwsRegion: 'us-west-2' },
        ],
      },
    ];
    const asked: Record<string, string[]> = {};
    const port = (region: string): AwsPort => ({
      region,
      in: (other) => port(other),
      inventory: {
        list: async <T,>(spec: ListSpec) => {
          (asked[region] ??= []).push(spec.operation);
          const all: Record<string, unknown[]> = { ListSipMediaApplications: apps.filter((a) => listsEverywhere || a.AwsRegion === region), ListSipRules: region === 'us-east-1' ? rules : [] };
          return (all[spec.operation] ?? []) as T[];
        },
      },
      send: () => Promise.reject(new Error('no call expected')),
      read: () => Promise.resolve(undefined),
    });
    return { aws: port('us-east-1'), asked };
  }

  for (const listsEverywhere of [false, true]) {
    it(`a SIP rule's targets in two regions both show, each once, ${listsEverywhere ? 'when every endpoint lists every region' : 'each listed in its own region only'}`, async () => {
      const { aws, asked } = account(listsEverywhere);
      const read = await readAwsInventory(aws, 'aws', ['us-east-1', 'us-west-2']);
      expect(read.applications.map((a) => [a.key, a.region])).toEqual([
        ['ivr-east', 'us-east-1'],
        ['ivr-west', 'us-west-2'],
      ]);
      expect(read.rules[0].targets).toEqual([
        { key: 'ivr-east', priority: 1, region: 'us-east-1' },
        { key: 'ivr-west', priority: 2, region: 'us-west-2' },
      ]);
      // Rules, numbers and groups from the home region only.
      expect(asked['us-west-2'].sort()).toEqual(['ListSipMediaApplications', 'ListVoiceConnectors']);
    });
  }

  it('reads every Chime SDK Voice region when none is named', async () => {
    const { aws, asked } = account(false);
    await readAwsInventory(aws);
    expect(Object.keys(asked).sort()).toEqual([...VOICE_REGIONS].sort());
  });
});
