/** VoiceConnectorGroup: desired and diff, field by field (G2). */
import { describe, expect, it } from 'vitest';
import { diffGroup } from '../../src/kinds/voice-connector-group/diff.js';
import { groupDesired, type GroupDesired } from '../../src/kinds/voice-connector-group/desired.js';
import type { GroupObserved } from '../../src/kinds/voice-connector-group/observe.js';
import { InvalidSpecError, ReferenceNotReadyError } from '../../src/reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';

const A = 'abcdefghijklmnopqrstuv';
const B = 'bcdefghijklmnopqrstuvw';

const observed = (o: Partial<GroupObserved> = {}): GroupObserved => ({
  voiceConnectorGroupId: 'grp1',
  name: 'edge',
  items: [
    { voiceConnectorId: A, priority: 1 },
    { voiceConnectorId: B, priority: 2 },
  ],
  callDistributionType: 'PriorityWeightedDistribution',
  ...o,
});
const desired = (d: Partial<GroupDesired> = {}): GroupDesired => ({ name: 'edge', ...d });

describe('VoiceConnectorGroup diff (G2)', () => {
  const cases: Array<[string, Partial<GroupDesired>, Partial<GroupObserved>, string[]]> = [
    ['name equal', {}, {}, []],
    ['name differs', { name: 'core' }, {}, ['name']],
    ['voiceConnectors equal', { items: [{ voiceConnectorId: A, priority: 1 }, { voiceConnectorId: B, priority: 2 }] }, {}, []],
    ['voiceConnectors equal in another order (a set of {id, priority})', { items: [{ voiceConnectorId: B, priority: 2 }, { voiceConnectorId: A, priority: 1 }] }, {}, []],
    ['voiceConnectors: a priority differs', { items: [{ voiceConnectorId: A, priority: 2 }, { voiceConnectorId: B, priority: 1 }] }, {}, ['voiceConnectors']],
    ['voiceConnectors: a connector missing in AWS', { items: [{ voiceConnectorId: A, priority: 1 }, { voiceConnectorId: B, priority: 2 }] }, { items: [{ voiceConnectorId: A, priority: 1 }] }, ['voiceConnectors']],
    ['voiceConnectors: an extra connector in AWS', { items: [{ voiceConnectorId: A, priority: 1 }] }, {}, ['voiceConnectors']],
    ['voiceConnectors: empty list wanted, AWS has items', { items: [] }, {}, ['voiceConnectors']],
    ['voiceConnectors omitted: not managed', {}, { items: [] }, []],
    ['callDistributionType equal', { callDistributionType: 'PriorityWeightedDistribution' }, {}, []],
    ['callDistributionType differs', { callDistributionType: 'LoadBalancedDistribution' }, {}, ['callDistributionType']],
    ['callDistributionType set, AWS reports none', { callDistributionType: 'LoadBalancedDistribution' }, { callDistributionType: undefined }, ['callDistributionType']],
    ['callDistributionType omitted: not compared even when AWS has one', {}, { callDistributionType: 'LoadBalancedDistribution' }, []],
  ];
  it.each(cases)('%s', (_name, d, o, paths) => {
    expect(diffGroup(desired(d), observed(o)).map((x) => x.path)).toEqual(paths);
  });

  it('reports the sets sorted, with desired and actual values', () => {
    const [d] = diffGroup(desired({ items: [{ voiceConnectorId: B, priority: 3 }] }), observed());
    expect(d).toEqual({ path: 'voiceConnectors', desired: [{ voiceConnectorId: B, priority: 3 }], actual: observed().items });
  });
});

function ctx(connectors: Record<string, string | undefined>, lenient = false): DesiredContext {
  return {
    lenient,
    resolve: (kind, name) => {
      if (!(name in connectors)) {
        if (lenient) return { voiceConnectorId: `(voiceConnectorId of ${kind} ${name}, known after apply)` };
        throw new ReferenceNotReadyError(`${kind} ${name} is not Ready yet`, 'ReferenceNotReady');
      }
      return { voiceConnectorId: connectors[name] };
    },
    secret: () => {
      throw new Error('no secrets');
    },
    digestSecret: () => {
      throw new Error('no secrets');
    },
  };
}
const obj = (spec: Record<string, unknown>, metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnectorGroup',
  metadata: { name: 'edge-group', namespace: 'default', ...metadata },
  spec,
});

describe('VoiceConnectorGroup desired', () => {
  it('defaults the AWS name to metadata.name and leaves omitted fields unmanaged', () => {
    expect(groupDesired(obj({}), ctx({}))).toEqual({ name: 'edge-group' });
  });

  it('resolves references to connector ids and keeps given ids, with priorities', () => {
    const d = groupDesired(
      obj({ name: 'edge', voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }, { voiceConnectorId: B, priority: 2 }], callDistributionType: 'LoadBalancedDistribution' }),
      ctx({ east: A }),
    );
    expect(d).toEqual({
      name: 'edge',
      items: [
        { voiceConnectorId: A, priority: 1 },
        { voiceConnectorId: B, priority: 2 },
      ],
      callDistributionType: 'LoadBalancedDistribution',
    });
  });

  it('waits for a referenced connector that is not Ready (ReferenceNotReady)', () => {
    expect(() => groupDesired(obj({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }] }), ctx({}))).toThrow(ReferenceNotReadyError);
  });

  it('waits for a Ready connector whose status has no id yet', () => {
    expect(() => groupDesired(obj({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }] }), ctx({ east: undefined }))).toThrow(/no Voice Connector id yet/);
  });

  it('rejects a connector named twice, once by reference and once by id, before any call', () => {
    expect(() =>
      groupDesired(obj({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }, { voiceConnectorId: A, priority: 2 }] }), ctx({ east: A })),
    ).toThrow(InvalidSpecError);
  });
});
