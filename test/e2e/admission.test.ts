/**
 * Admission with the real kubectl against the real API server: invalid objects of every kind the
 * CRDs can judge, and changes of fields that cannot change after creation (spec.region, a SIP
 * rule's trigger, a claimed number's e164), are refused with the field and a sentence a person
 * understands; the object in the cluster stays as it was. No controller is needed: this is the
 * API server enforcing the CRDs' schemas and CEL rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { REPO_ROOT, applyCrds, getObject } from './helpers.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  await applyCrds(cluster);
  // Existing objects to edit: the IVR example (applications, number and rule).
  await cluster.kubectl(['apply', '-f', 'examples/ivr/']);
}, 20 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

const object = (kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'chimevoice.io/v1alpha1', kind, metadata: { name, namespace: 'default' }, spec });

/** `kubectl apply` of a YAML manifest that must be refused; returns kubectl's message, squashed. */
async function refused(obj: ReturnType<typeof object>): Promise<string> {
  const r = await cluster.kubectl(['apply', '-f', '-'], { input: stringify(obj), check: false });
  expect(r.code, `${obj.kind} ${obj.metadata.name} was accepted:\n${r.stdout}`).not.toBe(0);
  if (process.env.CHIME_E2E_SHOW) console.log(`${obj.kind}/${obj.metadata.name}:\n${r.stderr}`);
  return squash(r.stderr);
}

describe('invalid objects are refused at admission', () => {
  it('a PhoneNumber that both claims and orders a number (PN1), with the rule in words', async () => {
    const stderr = await refused(object('PhoneNumber', 'both', { e164: '+12065550142', order: { country: 'US', areaCode: '206' }, productType: 'VoiceConnector' }));
    expect(stderr).toContain('The PhoneNumber "both" is invalid');
    expect(stderr).toContain('set exactly one of e164 (claim a number of the inventory) or order (order one from the pool) (PN1)');
    expect(await getObject(cluster, 'phonenumber/both')).toBeUndefined();
  });

  it('several mistakes at once are all named, each with its field', async () => {
    const stderr = await refused(
      object('PhoneNumber', 'many', { e164: '206-555-0142', productType: 'Fax', callingName: 'Example Corp', deletionPolicy: 'Keep' }),
    );
    expect(stderr).toContain('spec.e164: Invalid value: "206-555-0142"');
    expect(stderr).toContain('spec.productType: Unsupported value: "Fax": supported values: "VoiceConnector", "SipMediaApplicationDialIn"');
    expect(stderr).toContain('spec.deletionPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain"');
  });

  it('a toll-free number with a calling name (PN6), and a number outside the US on a Voice Connector (PN2)', async () => {
    const tollFree = await refused(
      object('PhoneNumber', 'toll-free-name', { order: { country: 'US', numberType: 'TollFree', tollFreePrefix: '833' }, productType: 'VoiceConnector', callingName: 'Example Corp' }),
    );
    expect(tollFree).toContain('toll-free numbers cannot have a calling name (PN6)');
    const abroad = await refused(object('PhoneNumber', 'abroad', { order: { country: 'GB', numberType: 'Local' }, productType: 'VoiceConnector' }));
    expect(abroad).toContain('numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)');
  });

  it('a SIP media application whose Lambda is in another region (S1)', async () => {
    const stderr = await refused(
      object('SipMediaApplication', 'ivr-mixed', { region: 'us-west-2', endpoint: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:ivr-call-flow:live' } }),
    );
    expect(stderr).toContain('The SipMediaApplication "ivr-mixed" is invalid');
    expect(stderr).toContain('the Lambda function must be in the same region as the SIP media application (S1)');
  });

  it('a SIP rule whose trigger names both a number and an E.164, and two targets in one region (S2)', async () => {
    const stderr = await refused(
      object('SipRule', 'bad-rule', {
        trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'ivr-dial-in' }, e164: '+12065550142' },
        targetApplications: [
          { sipMediaApplicationRef: { name: 'ivr-east' }, priority: 1, region: 'us-east-1' },
          { sipMediaApplicationRef: { name: 'ivr-west' }, priority: 2, region: 'us-east-1' },
        ],
      }),
    );
    expect(stderr).toContain('spec.trigger: Invalid value: "object": a ToPhoneNumber trigger takes exactly one of phoneNumberRef or e164 (S2)');
    expect(stderr).toContain('spec.targetApplications: Invalid value: "array": at most one target application per region (S2)');
  });

  it('a Voice Connector group that lists one connector twice', async () => {
    const stderr = await refused(
      object('VoiceConnectorGroup', 'twice', {
        voiceConnectors: [
          { voiceConnectorRef: { name: 'a' }, priority: 1 },
          { voiceConnectorRef: { name: 'a' }, priority: 2 },
        ],
      }),
    );
    // Not `Duplicate value: "array"`, which is all the API server says for a rule with reason FieldValueDuplicate.
    expect(stderr).toContain('spec.voiceConnectors: Invalid value: "array": each Voice Connector may appear only once in a group');
  });

  it('a required field left out', async () => {
    const stderr = await refused(object('SipRule', 'no-trigger', { targetApplications: [{ sipMediaApplicationRef: { name: 'ivr-east' }, priority: 1 }] }));
    expect(stderr).toContain('spec.trigger: Required value');
  });
});

describe('fields that cannot change after creation are refused at admission', () => {
  it('spec.region of a SIP media application (kubectl apply of an edited manifest); the object keeps its region', async () => {
    const manifest = readFileSync(join(REPO_ROOT, 'examples/ivr/sip-media-applications.yaml'), 'utf8')
      .replace('region: us-west-2', 'region: us-east-2')
      .replace('lambda:us-west-2:', 'lambda:us-east-2:');
    const r = await cluster.kubectl(['apply', '-f', '-'], { input: manifest, check: false });
    expect(r.code).not.toBe(0);
    const stderr = squash(r.stderr);
    expect(stderr).toContain('The SipMediaApplication "ivr-west" is invalid');
    expect(stderr).toContain('spec.region: Forbidden: region cannot change after creation; create a new object in the other region and delete this one');
    expect((await getObject(cluster, 'sipmediaapplication/ivr-west')).spec.region).toBe('us-west-2');
  });

  it("a SIP rule's trigger (kubectl patch), with what to do instead (S4)", async () => {
    const r = await cluster.kubectl(
      ['patch', 'siprule', 'ivr-main-number', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { trigger: { phoneNumberRef: { name: 'office-main-line' } } } })],
      { check: false },
    );
    expect(r.code).not.toBe(0);
    const stderr = squash(r.stderr);
    expect(stderr).toContain('The SipRule "ivr-main-number" is invalid');
    expect(stderr).toContain('spec.trigger: Forbidden: the trigger of a SIP rule cannot change (S4): create a new SipRule with the new trigger and delete this one');
    expect((await getObject(cluster, 'siprule/ivr-main-number')).spec.trigger.phoneNumberRef.name).toBe('ivr-dial-in');
  });

  it('the e164 of a claimed number', async () => {
    await cluster.kubectl(['apply', '-f', '-'], { input: stringify(object('PhoneNumber', 'claimed', { e164: '+12065550142', productType: 'VoiceConnector' })) });
    const r = await cluster.kubectl(['patch', 'phonenumber', 'claimed', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { e164: '+12065550143' } })], { check: false });
    expect(r.code).not.toBe(0);
    expect(squash(r.stderr)).toContain('e164 cannot change: another number is another PhoneNumber object');
    expect((await getObject(cluster, 'phonenumber/claimed')).spec.e164).toBe('+12065550142');
  });

  it('other fields still change: the same rule with a new target priority is accepted', async () => {
    const r = await cluster.kubectl(['apply', '-f', 'examples/ivr/sip-rule.yaml', '--dry-run=server']);
    expect(r.stdout).toContain('siprule.chimevoice.io/ivr-main-number');
  });
});
