// A kind's state is typed end to end (src/reconcile/types.ts): its spec and atProvider shapes come
// from src/api, captures name atProvider members, references resolve to the referenced kind's
// shape, and the registry hands the engine `unknown`, never `any`. `npx tsc --noEmit` checks the
// expect-error directives and expectTypeOf calls below: should a type widen back to `any` or
// `string`, a directive is unused or an expectation fails, and the type check fails.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PhoneNumberAtProvider } from '../../src/api/kinds/phone-number.js';
import type { VoiceConnectorAtProvider, VoiceConnectorSpec } from '../../src/api/kinds/voice-connector.js';
import { handlers } from '../../src/kinds/index.js';
import type { PnCache } from '../../src/kinds/phone-number/cache.js';
import { voiceConnectorHandler } from '../../src/kinds/voice-connector/index.js';
import {
  anyKind,
  type AnyKindHandler,
  type CaptureName,
  type DesiredContext,
  type KindHandler,
  type ManagedObject,
  type PlannedAction,
} from '../../src/reconcile/types.js';

const create = (captures: PlannedAction<VoiceConnectorAtProvider>['captures']): PlannedAction<VoiceConnectorAtProvider> => ({
  service: 'voice',
  operation: 'CreateVoiceConnector',
  input: {},
  description: 'create',
  ...(captures ? { captures } : {}),
});

describe('typed kind state', () => {
  it('captures name members of the kind’s atProvider, capitalised', () => {
    const ok = create({ VoiceConnectorId: 'VoiceConnector.VoiceConnectorId', Arn: 'VoiceConnector.VoiceConnectorArn' });
    // @ts-expect-error VoiceConnectorArn would be cached as voiceConnectorArn, which VoiceConnectorAtProvider does not have
    const wrong = create({ VoiceConnectorArn: 'VoiceConnector.VoiceConnectorArn' });
    // PhoneNumber's cache adds the association calls' per-number errors to the schema's atProvider.
    expectTypeOf<'AssociationErrors'>().toMatchTypeOf<CaptureName<PnCache>>();
    expectTypeOf<'AssociationErrors'>().not.toMatchTypeOf<CaptureName<PhoneNumberAtProvider>>();
    expect([ok.captures, wrong.captures]).toHaveLength(2);
  });

  it('a reference resolves to the referenced kind’s atProvider shape', () => {
    const ctx = { resolve: () => ({ voiceConnectorId: 'abc' }), secret: () => '', digestSecret: () => '', lenient: false } as DesiredContext;
    const at = ctx.resolve('VoiceConnector', 'office');
    expectTypeOf(at.voiceConnectorId).toEqualTypeOf<string | undefined>();
    // @ts-expect-error a Voice Connector caches no voiceConnectorGroupId
    const missing = at.voiceConnectorGroupId;
    // @ts-expect-error only kinds this project defines (or a test declares) can be referenced
    ctx.resolve('Trunk', 'office');
    expect([at.voiceConnectorId, missing]).toEqual(['abc', undefined]);
  });

  it('a handler reads its own spec and cache, typed by the schema', () => {
    type Vc = ManagedObject<VoiceConnectorSpec, VoiceConnectorAtProvider>;
    expectTypeOf<Parameters<typeof voiceConnectorHandler.desired>[0]>().toEqualTypeOf<Vc>();
    expectTypeOf<Vc['spec']['region']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<NonNullable<Vc['status']>['atProvider']>['voiceConnectorId']>().toEqualTypeOf<string | undefined>();
    const handler: KindHandler<string, string, VoiceConnectorAtProvider, VoiceConnectorSpec> = {
      kind: 'VoiceConnector',
      // @ts-expect-error the spec has no member `regoin`
      desired: (obj) => String(obj.spec.regoin),
      observe: async () => undefined,
      diff: () => [],
      plan: () => [],
      planDelete: () => ({ actions: [], blockers: [] }),
      atProvider: (observed) => ({ voiceConnectorId: observed }),
    };
    expect(handler.kind).toBe('VoiceConnector');
  });

  it('the registry holds handlers without any: the engine sees their values as unknown', () => {
    const h = handlers.get('VoiceConnector') as AnyKindHandler;
    expectTypeOf(h.desired).returns.toBeUnknown();
    expectTypeOf(h.observe).returns.resolves.toBeUnknown();
    expectTypeOf(h.diff).parameters.toEqualTypeOf<[unknown, unknown]>();
    // anyKind only forgets types: the engine runs the kind's own handler object.
    expect(anyKind(voiceConnectorHandler)).toBe(voiceConnectorHandler);
    expect(h).toBe(voiceConnectorHandler);
    expect([...handlers.keys()].sort()).toEqual([
      'CallAnalyticsConfiguration',
      'PhoneNumber',
      'SipMediaApplication',
      'SipRule',
      'VoiceConnector',
      'VoiceConnectorGroup',
      'VoiceGlobalSettings',
      'VoiceProfileDomain',
    ]);
  });
});
