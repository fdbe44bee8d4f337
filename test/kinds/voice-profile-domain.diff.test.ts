/** VoiceProfileDomain: desired (A3, bad input) and diff, field by field. */
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { BlockedError, InvalidSpecError, classify } from '../../src/reconcile/errors.js';
import type { VoiceProfileDomainAtProvider, VoiceProfileDomainSpec } from '../../src/api/kinds/voice-profile-domain.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';
import { clientRequestToken, voiceProfileDomainDesired, type VoiceProfileDomainDesired } from '../../src/kinds/voice-profile-domain/desired.js';
import { diffVoiceProfileDomain } from '../../src/kinds/voice-profile-domain/diff.js';
import type { VoiceProfileDomainObserved } from '../../src/kinds/voice-profile-domain/observe.js';

const KMS = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KMS2 = 'arn:aws:kms:us-east-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab';
const MARKER = { [OWNER_TAG_KEY]: 'default/callers' };

const ctx = (lenient = false): DesiredContext => ({ lenient, resolve: () => ({}), secret: () => '', digestSecret: () => '' });
const obj = (spec: Record<string, unknown>, metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject<VoiceProfileDomainSpec, VoiceProfileDomainAtProvider> => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceProfileDomain',
  metadata: { name: 'callers', namespace: 'default', uid: 'u-1', ...metadata },
  spec: { kmsKeyArn: KMS, consent: { acknowledged: true }, ...spec } as VoiceProfileDomainSpec,
});

const desired = (d: Partial<VoiceProfileDomainDesired> = {}): VoiceProfileDomainDesired => ({
  name: 'callers',
  kmsKeyArn: KMS,
  tags: { ...MARKER },
  clientRequestToken: 'cvo-x',
  ...d,
});
const observed = (o: Partial<VoiceProfileDomainObserved> = {}): VoiceProfileDomainObserved => ({
  voiceProfileDomainId: 'd-1',
  arn: 'arn:aws:chime:us-east-1:111122223333:voice-profile-domain/d-1',
  name: 'callers',
  region: 'us-east-1',
  description: 'help desk',
  kmsKeyArn: KMS,
  tags: { ...MARKER, team: 'voice' },
  ...o,
});

describe('VoiceProfileDomain desired', () => {
  it('takes name, region, description, key and tags with the marker, and a deterministic token', () => {
    const d = voiceProfileDomainDesired(obj({ name: 'help-desk', region: 'us-east-1', description: 'x', tags: { team: 'voice' } }), ctx());
    expect(d).toMatchObject({ name: 'help-desk', region: 'us-east-1', description: 'x', kmsKeyArn: KMS, tags: { team: 'voice', ...MARKER } });
    expect(d.clientRequestToken).toMatch(/^[-_a-zA-Z0-9]{2,64}$/);
    expect(voiceProfileDomainDesired(obj({ name: 'help-desk' }), ctx()).clientRequestToken).toBe(d.clientRequestToken);
  });

  it('defaults the name to metadata.name and leaves what the spec omits undefined', () => {
    const d = voiceProfileDomainDesired(obj({}), ctx());
    expect(d.name).toBe('callers');
    expect(d.description).toBeUndefined();
    expect(d.region).toBeUndefined();
  });

  it('derives the token from the uid, else namespace/name, and the create parameters', () => {
    const a = clientRequestToken('VoiceProfileDomain', { metadata: { name: 'a', uid: 'u-1' } }, 'a', KMS);
    expect(clientRequestToken('VoiceProfileDomain', { metadata: { name: 'b', uid: 'u-1' } }, 'a', KMS)).toBe(a);
    expect(clientRequestToken('VoiceProfileDomain', { metadata: { name: 'a', uid: 'u-2' } }, 'a', KMS)).not.toBe(a);
    expect(clientRequestToken('VoiceProfileDomain', { metadata: { name: 'a', uid: 'u-1' } }, 'a', KMS2)).not.toBe(a);
    expect(clientRequestToken('VoiceProfileDomain', { metadata: { name: 'a', namespace: 'x' } }, 'a')).not.toBe(clientRequestToken('VoiceProfileDomain', { metadata: { name: 'a', namespace: 'y' } }, 'a'));
  });

  it.each([
    ['no consent block', undefined],
    ['acknowledged false', { acknowledged: false }],
  ])('A3: %s is a terminal ConsentRequired error', (_label, consent) => {
    let err: unknown;
    try {
      voiceProfileDomainDesired(obj({ consent }), ctx());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BlockedError);
    expect(classify(err)).toMatchObject({ terminal: true, reason: 'ConsentRequired' });
    expect((err as Error).message).toContain('spec.consent.acknowledged: true');
  });

  it('A3: in plan and delete mode the missing consent is carried, not thrown', () => {
    expect(voiceProfileDomainDesired(obj({ consent: undefined }), ctx(true)).consentMissing).toContain('biometric');
    expect(voiceProfileDomainDesired(obj({}), ctx(true)).consentMissing).toBeUndefined();
  });

  it.each([
    ['an alias', 'arn:aws:kms:us-east-1:111122223333:alias/voice', 'kmsKeyArn'],
    ['another service', 'arn:aws:s3:::bucket', 'kmsKeyArn'],
  ])('rejects %s as the KMS key', (_l, kmsKeyArn, path) => {
    expect(() => voiceProfileDomainDesired(obj({ kmsKeyArn }), ctx())).toThrow(InvalidSpecError);
    try {
      voiceProfileDomainDesired(obj({ kmsKeyArn }), ctx());
    } catch (e) {
      expect((e as InvalidSpecError).path).toBe(path);
    }
  });

  it('rejects an AWS name with characters the API refuses', () => {
    expect(() => voiceProfileDomainDesired(obj({ name: 'help/desk' }), ctx())).toThrow('name "help/desk" (spec.name, else metadata.name): a voice profile domain name has 1 to 256');
  });

  it('rejects the ownership marker in spec tags, and 50 spec tags (the marker needs room)', () => {
    expect(() => voiceProfileDomainDesired(obj({ tags: { [OWNER_TAG_KEY]: 'x' } }), ctx())).toThrow(/ownership marker/);
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(() => voiceProfileDomainDesired(obj({ tags }), ctx())).toThrow(/at most 49 tags/);
    delete tags.k0;
    expect(() => voiceProfileDomainDesired(obj({ tags }), ctx())).not.toThrow();
  });
});

describe('VoiceProfileDomain diff', () => {
  const paths = (d: VoiceProfileDomainDesired, o: VoiceProfileDomainObserved) => diffVoiceProfileDomain(d, o);

  it.each<[string, Partial<VoiceProfileDomainDesired>, Partial<VoiceProfileDomainObserved>, unknown[]]>([
    ['name differs', { name: 'other' }, {}, [{ path: 'name', desired: 'other', actual: 'callers' }]],
    ['name equal', { name: 'callers' }, {}, []],
    ['region differs (replacement)', { region: 'us-west-2' }, {}, [{ path: 'region', desired: 'us-west-2', actual: 'us-east-1', requiresReplacement: true }]],
    ['region equal', { region: 'us-east-1' }, {}, []],
    ['region omitted', {}, { region: 'eu-west-2' }, []],
    ['description differs', { description: 'new' }, {}, [{ path: 'description', desired: 'new', actual: 'help desk' }]],
    ['description equal', { description: 'help desk' }, {}, []],
    ['description omitted', {}, { description: 'anything' }, []],
    ['empty description matches an absent one', { description: '' }, { description: undefined }, []],
    ['description set where AWS has none', { description: 'x' }, { description: undefined }, [{ path: 'description', desired: 'x', actual: '' }]],
    ['KMS key differs (replacement)', { kmsKeyArn: KMS2 }, {}, [{ path: 'kmsKeyArn', desired: KMS2, actual: KMS, requiresReplacement: true }]],
    ['KMS key equal', { kmsKeyArn: KMS }, {}, []],
    ['KMS key not read yet (API5): not compared', { kmsKeyArn: KMS2 }, { kmsKeyArn: undefined }, []],
    ['tag differs', { tags: { ...MARKER, team: 'telephony' } }, {}, [{ path: 'tags.team', desired: 'telephony', actual: 'voice' }]],
    ['tag missing in AWS', { tags: { ...MARKER, cost: 'cc-1' } }, {}, [{ path: 'tags.cost', desired: 'cc-1', actual: undefined }]],
    ['tag equal', { tags: { ...MARKER, team: 'voice' } }, {}, []],
    ['tags the spec omits are left alone', { tags: { ...MARKER } }, { tags: { ...MARKER, team: 'voice', extra: 'x' } }, []],
    ['marker removed behind our back', {}, { tags: { team: 'voice' } }, [{ path: `tags.${OWNER_TAG_KEY}`, desired: 'default/callers', actual: undefined }]],
  ])('%s', (_label, d, o, expected) => {
    expect(paths(desired(d), observed(o))).toEqual(expected);
  });
});
