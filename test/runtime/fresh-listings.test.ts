/**
 * Listings per resync period in the controller: the connector listing is shared for one period,
 * and only a batch holding an object whose progress waits on AWS forgets it early. An object that
 * stays not Ready for a reason no listing changes (Stalled, waiting for another object, throttled)
 * must not make every batch it is in list every collection again: at 10,000 connectors that is 100
 * pages each time. Pages are counted through a fake AWS; the clock is moved by hand, not waited on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { expireForProgress, wantsFreshListings } from '../../src/runtime/controller.js';
import type { Condition } from '../../src/api/common.js';
import type { ManagedObject, ObjectStatus } from '../../src/reconcile/types.js';

const condition = (type: string, status: 'True' | 'False', reason: string): Condition => ({ type, status, reason, message: reason, lastTransitionTime: '2026-01-01T00:00:00Z' });
const READY: Condition[] = [condition('Ready', 'True', 'Available')];
const reconciling = (reason: string) => [condition('Ready', 'False', reason), condition('Reconciling', 'True', reason)];
const STALLED = [condition('Ready', 'False', 'ReplacementRequired'), condition('Stalled', 'True', 'ReplacementRequired')];

function object(name: string, status: ObjectStatus, metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name, namespace: 'default', generation: 1, ...metadata },
    spec: {},
    status: { observedGeneration: 1, ...status },
  };
}

describe('wantsFreshListings', () => {
  it.each([
    ['Ready at its generation', object('a', { conditions: READY }), false],
    ['Stalled: waits for a person, whose spec change bumps the generation', object('a', { conditions: STALLED }), false],
    ['waiting for another object of the cluster', object('a', { conditions: reconciling('ReferenceNotReady') }), false],
    ['a referenced object missing', object('a', { conditions: reconciling('ReferenceNotFound') }), false],
    ['AWS throttled its calls', object('a', { conditions: reconciling('AwsThrottled') }), false],
    ['AWS could not serve its calls', object('a', { conditions: reconciling('AwsUnavailable') }), false],
    ['a spec change not yet reconciled', object('a', { conditions: READY }, { generation: 2 }), true],
    ['a recorded create not yet seen', object('a', { conditions: READY, createPending: { operation: 'CreateVoiceConnector', requestedAt: 'x', graceEndsAt: 'y' } }), true],
    ['being deleted', object('a', { conditions: READY }, { deletionTimestamp: '2026-01-01T00:00:00Z' }), true],
    ['created and not yet visible (API5)', object('a', { conditions: reconciling('AwaitingConsistency') }), true],
    ['an AWS error other than throttling', object('a', { conditions: reconciling('ReconcileError') }), true],
    ['never reconciled', { ...object('a', {}), status: undefined }, true],
  ])('%s', (_what, obj, fresh) => {
    expect(wantsFreshListings(obj)).toBe(fresh);
  });
});

describe('listing pages over one resync period', () => {
  afterEach(() => vi.useRealTimers());

  /** A 1,000-connector account (10 pages a listing) behind an inventory whose listings live one period. */
  function account(periodMs: number) {
    const aws = new AwsContext({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, inventoryMaxAgeMs: periodMs });
    let pages = 0;
    aws.send = (async (_s: string, _operation: string, input: { NextToken?: string }) => {
      pages++;
      const page = Number(input.NextToken ?? 0);
      return { VoiceConnectors: Array.from({ length: 100 }, (_, k) => ({ VoiceConnectorId: `vc-${page * 100 + k}` })), ...(page < 9 ? { NextToken: String(page + 1) } : {}) };
    }) as typeof aws.send;
    const list = () => aws.inventory.list({ service: 'voice', operation: 'ListVoiceConnectors', items: 'VoiceConnectors' });
    return { aws, list, pages: () => pages };
  }

  /** One period of batches, 6 s apart, each as processBatch starts it: expire if wanted, then observe. */
  async function period(batches: ManagedObject[][]) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T00:00:00Z'));
    const { aws, list, pages } = account(120_000);
    await list();
    const start = pages();
    for (const batch of batches) {
      vi.setSystemTime(Date.now() + 6_000);
      expireForProgress(batch, [aws]);
      await list();
    }
    return pages() - start;
  }

  const routine = (k: number) => Array.from({ length: 50 }, (_, i) => object(`vc-${k}-${i}`, { conditions: READY }));

  it('a Stalled object and one waiting for another object ride along in every batch of a period: no listing beyond the period\'s one', async () => {
    // 19 batches of 6 s: 114 s, inside one 120 s period whose listing was made at its start.
    const batches = Array.from({ length: 19 }, (_, k) => [...routine(k), object('stalled', { conditions: STALLED }), object('waiting', { conditions: reconciling('ReferenceNotReady') })]);
    expect(await period(batches)).toBe(0);
  });

  it('an object whose create is not yet visible gets a fresh listing: one more listing, not one per routine batch', async () => {
    const batches = Array.from({ length: 19 }, (_, k) => (k === 5 ? [...routine(k), object('new', { conditions: reconciling('AwaitingConsistency') })] : routine(k)));
    expect(await period(batches)).toBe(10);
  });
});
