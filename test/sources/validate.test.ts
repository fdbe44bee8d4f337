import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_FIELDS, creationOrder, type ReferenceTable } from '../../src/sources/graph.js';
import { formatProblem, hasErrors, validateDirectory } from '../../src/sources/validate.js';

/** Dependencies first; independent objects in registry kind order, then by name. */
const ORDER = [
  'VoiceGlobalSettings/account',
  'VoiceConnector/primary',
  'VoiceConnector/secondary',
  'VoiceConnectorGroup/failover',
  'PhoneNumber/ivr-number',
  'PhoneNumber/main-line',
  'SipMediaApplication/ivr-east',
  'SipMediaApplication/ivr-west',
  'SipRule/ivr',
];

const invalid = (name: string) => path.join('test/fixtures/invalid', name);

/** Problems as `file:line:col: path: message` lines with the file relative to the fixture folder. */
async function lines(dir: string, references?: ReferenceTable): Promise<string[]> {
  const r = await validateDirectory(dir, { references });
  for (const p of r.problems) {
    expect(p.file.startsWith(dir)).toBe(true);
    expect(p.line).toBeGreaterThan(0);
  }
  return r.problems.map((p) => formatProblem({ ...p, file: path.relative(dir, p.file) }));
}

describe('validateDirectory', () => {
  it('accepts the valid set, with a warning for the ConfigMap', async () => {
    const r = await validateDirectory('test/fixtures/valid');
    expect(r.objects).toHaveLength(9);
    expect(creationOrder(r.objects.map((o) => o.object)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(ORDER);
    expect(r.secrets).toHaveLength(1);
    expect(hasErrors(r.problems)).toBe(false);
    expect(r.problems.map(formatProblem)).toEqual([
      'test/fixtures/valid/secrets.yaml:12:1: warning: v1/ConfigMap unrelated is not managed by this controller; ignored',
    ]);
  });

  it('wrong types', async () => {
    expect(await lines(invalid('wrong-type'))).toEqual([
      'connector.yaml:6:3: spec.requireEncryption: must be a boolean (true or false)',
      'connector.yaml:8:5: spec.termination.cpsLimit: must be an integer',
    ]);
  });

  it('unknown fields', async () => {
    expect(await lines(invalid('unknown-field'))).toEqual(['connector.yaml:8:5: spec.termination.cidrAllowed: unknown field "cidrAllowed"']);
  });

  it('private CIDR blocks', async () => {
    expect(await lines(invalid('private-cidr'))).toEqual([
      'connector.yaml:10:9: spec.termination.cidrAllowedList[1]: 10.0.0.0/8 is not publicly routable (private range); only public CIDR blocks are allowed (VC3)',
    ]);
  });

  it('malformed E.164 numbers', async () => {
    expect(await lines(invalid('malformed-e164'))).toEqual([
      'connector.yaml:8:5: spec.termination.defaultPhoneNumber: "206-555-0100" is not a valid phone number in E.164 format (such as +12065550100)',
    ]);
  });

  it('dangling references, at the name of the reference', async () => {
    expect(await lines(invalid('dangling-reference'))).toEqual([
      'group.yaml:18:9: spec.voiceConnectors[1].voiceConnectorRef.name: VoiceConnector default/secondary not found',
    ]);
  });

  it('missing Secrets and missing Secret keys', async () => {
    expect(await lines(invalid('missing-secret-key'))).toEqual([
      'connector.yaml:12:11: spec.termination.credentials[0].passwordSecretRef.key: Secret default/trunk has no key "password" (keys: passwd)',
      'connector.yaml:15:11: spec.termination.credentials[1].passwordSecretRef.name: Secret default/absent not found',
    ]);
  });

  it('duplicates, naming both files and lines', async () => {
    const dir = invalid('duplicate');
    expect(await lines(dir)).toEqual([
      `b.yaml:6:3: metadata.name: duplicate VoiceConnector default/main: defined at ${path.join(dir, 'a.yaml')}:4:3 and again at ${path.join(dir, 'b.yaml')}:6:3`,
    ]);
    // The first definition is kept; the same name in another namespace is another object.
    const r = await validateDirectory(dir);
    expect(r.objects.map((o) => `${path.basename(o.file)} ${o.namespace}/${o.name}`)).toEqual(['a.yaml default/main', 'b.yaml other/main']);
  });

  it('YAML syntax errors, keeping the other documents of the file', async () => {
    const dir = invalid('yaml-syntax');
    expect(await lines(dir)).toEqual(['connector.yaml:8:5: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]']);
    expect((await validateDirectory(dir)).objects.map((o) => o.name)).toEqual(['fine']);
  });

  it('unknown kinds and versions of our group are errors, other kinds warnings, bad Secrets errors', async () => {
    expect(await lines(invalid('unknown-kind'))).toEqual([
      'objects.yaml:2:1: kind: unknown kind VoiceTrunk in chimevoice.io/v1alpha1',
      'objects.yaml:7:1: apiVersion: unsupported apiVersion chimevoice.io/v1beta1; this version of the controller serves chimevoice.io/v1alpha1',
      'objects.yaml:13:1: warning: apps/v1/Deployment web is not managed by this controller; ignored',
      'objects.yaml:23:3: data.password: data.password is not valid base64: "!" at character 11 is not a base64 character (put plain text under stringData instead)',
    ]);
  });

  it('cycles, spelled out (with a table that makes one possible)', async () => {
    const cyclic: ReferenceTable = {
      ...REFERENCE_FIELDS,
      VoiceConnector: [{ path: 'spec.streaming.callAnalyticsConfigurationRef', targetKind: 'VoiceConnectorGroup' }],
    };
    expect(await lines(invalid('cycle'), cyclic)).toEqual([
      'objects.yaml:21:7: spec.streaming.callAnalyticsConfigurationRef.name: reference cycle: VoiceConnector default/alpha → VoiceConnectorGroup default/ring → VoiceConnector default/alpha',
    ]);
    // Under the real table the same folder is a dangling analytics reference instead.
    expect(await lines(invalid('cycle'))).toEqual([
      'objects.yaml:21:7: spec.streaming.callAnalyticsConfigurationRef.name: CallAnalyticsConfiguration default/ring not found',
    ]);
  });

  it('objects without metadata or name: schema errors, and no crash in the graph', async () => {
    expect(await lines(invalid('no-metadata'))).toEqual([
      'objects.yaml:1:1: metadata: required field is missing',
      'objects.yaml:8:1: metadata: must be an object',
      'objects.yaml:11:1: metadata.name: a Secret needs metadata.name',
    ]);
  });

  it('warns about a second VoiceGlobalSettings', async () => {
    const r = await validateDirectory('test/fixtures/two-global-settings.yaml');
    expect(r.problems.map(formatProblem)).toEqual([
      'test/fixtures/two-global-settings.yaml:9:1: warning: a second VoiceGlobalSettings for the same account (the first is default/account at test/fixtures/two-global-settings.yaml:1); it will be reported as a conflict, not applied',
    ]);
  });
});
