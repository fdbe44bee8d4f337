import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPath, loadDirectory, parseManifests, parsePath, sourceOf } from '../../src/sources/directory.js';

const fixtures = 'test/fixtures';
const valid = path.join(fixtures, 'valid');

describe('loadDirectory', () => {
  it('reads *.yaml and *.yml recursively, sorted, skipping dot-folders and other extensions', async () => {
    const r = await loadDirectory(valid);
    expect(r.files).toEqual([
      path.join(valid, 'connectors.yaml'),
      path.join(valid, 'nested/group.yml'),
      path.join(valid, 'nested/ivr.yaml'),
      path.join(valid, 'secrets.yaml'),
    ]);
    expect(r.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}@${path.basename(o.file)}:${o.line}:${o.column}`)).toEqual([
      'VoiceConnector/default/primary@connectors.yaml:2:1',
      'VoiceConnector/default/secondary@connectors.yaml:33:1',
      'VoiceConnectorGroup/default/failover@group.yml:1:1',
      'VoiceGlobalSettings/default/account@group.yml:14:1',
      'SipMediaApplication/default/ivr-east@ivr.yaml:3:1',
      'SipMediaApplication/default/ivr-west@ivr.yaml:12:1',
      'PhoneNumber/default/ivr-number@ivr.yaml:21:1',
      'SipRule/default/ivr@ivr.yaml:29:1',
      'PhoneNumber/default/main-line@ivr.yaml:46:1',
    ]);
  });

  it('defaults the namespace to default, in the object too', async () => {
    const r = await loadDirectory(valid);
    expect(r.objects[0].object.metadata.namespace).toBe('default');
  });

  it('keeps v1 Secrets with data base64-decoded and stringData merged over it', async () => {
    const r = await loadDirectory(valid);
    expect(r.secrets).toHaveLength(1);
    expect(r.secrets[0]).toMatchObject({ name: 'trunk-credentials', namespace: 'default', line: 1 });
    expect(r.secrets[0].data).toEqual({ password: 's3cr3t-from-stringData', other: 'x' });
  });

  it('reports other kinds as warnings with file:line, not errors', async () => {
    const r = await loadDirectory(valid);
    expect(r.problems).toEqual([
      {
        file: path.join(valid, 'secrets.yaml'),
        line: 12,
        column: 1,
        message: 'v1/ConfigMap unrelated is not managed by this controller; ignored',
        severity: 'warning',
      },
    ]);
    expect(r.ignored.map((i) => i.kind)).toEqual(['ConfigMap']);
  });

  it('locates any path inside an object', async () => {
    const r = await loadDirectory(valid);
    const primary = r.objects[0];
    expect(primary.locate('spec.termination.cidrAllowedList[0]')).toEqual({ line: 16, column: 9, exact: true });
    expect(primary.locate('spec.termination.credentials[0].passwordSecretRef.key')).toEqual({ line: 22, column: 11, exact: true });
    expect(primary.locate('spec.origination.routes[0].protocol')).toEqual({ line: 27, column: 9, exact: true });
    expect(primary.locate('/spec/termination/cpsLimit')).toEqual({ line: 13, column: 5, exact: true });
    // Absent: the nearest ancestor present.
    expect(primary.locate('spec.streaming.dataRetentionInHours')).toEqual({ line: 6, column: 1, exact: false });
    expect(primary.locate('spec.termination.cidrAllowedList[5]')).toEqual({ line: 15, column: 5, exact: false });
    expect(primary.locate('')).toEqual({ line: 2, column: 1, exact: true });
    expect(sourceOf(primary.object)?.file).toBe(primary.file);
  });

  it('reports a missing folder as an error', async () => {
    const r = await loadDirectory(path.join(fixtures, 'does-not-exist'));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 1, severity: 'error' });
    expect(r.problems[0].message).toMatch(/^cannot read: ENOENT/);
  });

  it('accepts a single file', async () => {
    const r = await loadDirectory(path.join(valid, 'nested/group.yml'));
    expect(r.objects.map((o) => o.name)).toEqual(['failover', 'account']);
  });
});

describe('parseManifests', () => {
  const vc = (name: string, extra = '') => `apiVersion: chimevoice.io/v1alpha1\nkind: VoiceConnector\nmetadata:\n  name: ${name}\n${extra}`;

  it('starts a document at its first node, after comments and ---', () => {
    const r = parseManifests(`# header\n\n---\n# about a\n${vc('a')}---\n---\n${vc('b')}`, 'f.yaml');
    expect(r.objects.map((o) => [o.name, o.line, o.column, o.documentIndex])).toEqual([
      ['a', 5, 1, 0],
      ['b', 11, 1, 2],
    ]);
    expect(r.problems).toEqual([]);
  });

  it('gives YAML syntax errors file:line:column and keeps the good documents', () => {
    const r = parseManifests(`${vc('a', 'spec:\n  tags: {a: 1\n')}---\n${vc('b')}`, 'f.yaml');
    expect(r.objects.map((o) => o.name)).toEqual(['b']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'f.yaml', line: 7, column: 1, severity: 'error' });
    expect(r.problems[0].message).toMatch(/^YAML syntax error: /);
  });

  it('reports a duplicate key at the second key', () => {
    const r = parseManifests(vc('a', 'spec:\n  region: us-east-1\n  region: us-west-2\n'), 'f.yaml');
    expect(r.problems).toEqual([{ file: 'f.yaml', line: 7, column: 3, message: 'YAML syntax error: Map keys must be unique', severity: 'error' }]);
  });

  it('follows aliases and merge keys', () => {
    const text = vc('a', 'spec:\n  termination: &t\n    callingRegions: [US]\n  origination:\n    <<: {disabled: true}\n');
    const r = parseManifests(text, 'f.yaml');
    expect(r.objects[0].object.spec).toEqual({ termination: { callingRegions: ['US'] }, origination: { disabled: true } });
    expect(r.objects[0].locate('spec.termination.callingRegions[0]')).toEqual({ line: 7, column: 22, exact: true });
  });

  it('finds keys with dots, written as a dotted path or bracketed', () => {
    const r = parseManifests(vc('a', 'spec:\n  tags:\n    cost.center: "42"\n'), 'f.yaml');
    expect(r.objects[0].locate('spec.tags.cost.center')).toEqual({ line: 7, column: 5, exact: true });
    expect(r.objects[0].locate('spec.tags["cost.center"]')).toEqual({ line: 7, column: 5, exact: true });
  });

  it('expands a v1 List into its items', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: chimevoice.io/v1alpha1\n    kind: VoiceConnector\n    metadata:\n      name: x\n    spec:\n      region: us-east-1\n`;
    const r = parseManifests(text, 'list.yaml');
    expect(r.objects.map((o) => [o.name, o.line, o.column])).toEqual([['x', 4, 5]]);
    expect(r.objects[0].locate('spec.region')).toEqual({ line: 9, column: 7, exact: true });
  });

  it('rejects unknown kinds of our group, and documents that cannot be objects (never ignored silently)', () => {
    const r = parseManifests(
      `apiVersion: chimevoice.io/v1alpha1\nkind: VoiceConector\n---\n- a list\n---\njust: data\n---\nplain scalar\n---\napiVersion: v1\nmetadata: {name: x}\n`,
      'f.yaml',
    );
    expect(r.problems).toEqual([
      { file: 'f.yaml', line: 2, column: 1, path: 'kind', message: 'unknown kind VoiceConector in chimevoice.io/v1alpha1; did you mean VoiceConnector?', severity: 'error' },
      { file: 'f.yaml', line: 4, column: 1, message: 'this document is a list, not a Kubernetes object (a mapping with apiVersion, kind and metadata)', severity: 'error' },
      {
        file: 'f.yaml',
        line: 6,
        column: 1,
        path: 'apiVersion',
        message: 'the document has no apiVersion and kind: every document must be a Kubernetes object (apiVersion: chimevoice.io/v1alpha1, kind: VoiceConnector, ...)',
        severity: 'error',
      },
      { file: 'f.yaml', line: 8, column: 1, message: 'this document is a string ("plain scalar"), not a Kubernetes object (a mapping with apiVersion, kind and metadata)', severity: 'error' },
      {
        file: 'f.yaml',
        line: 10,
        column: 1,
        path: 'kind',
        message: 'the document has no kind: every document must be a Kubernetes object (apiVersion: chimevoice.io/v1alpha1, kind: VoiceConnector, ...)',
        severity: 'error',
      },
    ]);
    expect(r.ignored).toEqual([]);
  });

  it('decodes Secret data and refuses bad base64 and non-string values', () => {
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: voice\ndata:\n  a: aGVsbG8=\n  b: "%%%"\nstringData:\n  c: 3\n`;
    const r = parseManifests(text, 's.yaml');
    // The Secret is kept with what is wrong with each key, so a reference to it does not say "not found".
    expect(r.secrets.map((x) => [x.name, x.data, Object.keys(x.invalid)])).toEqual([['s', { a: 'hello' }, ['b', 'c']]]);
    expect(r.problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      [8, 3, 'data.b', 'data.b is not valid base64: "%" at character 1 is not a base64 character (put plain text under stringData instead)'],
      [10, 3, 'stringData.c', 'stringData.c must be a string (got a number (3))'],
    ]);
    const ok = parseManifests(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: voice\ndata:\n  a: aGVsbG8=\n`, 's.yaml');
    expect(ok.secrets.map((s) => [s.namespace, s.name, s.data])).toEqual([['voice', 's', { a: 'hello' }]]);
  });
});

describe('paths', () => {
  it('parses dotted, bracketed and JSON pointer paths', () => {
    expect(parsePath('spec.termination.cidrAllowedList[0]')).toEqual(['spec', 'termination', 'cidrAllowedList', 0]);
    expect(parsePath('metadata.annotations["chimevoice.io/external-id"]')).toEqual(['metadata', 'annotations', 'chimevoice.io/external-id']);
    expect(parsePath("a['b]c'].d")).toEqual(['a', 'b]c', 'd']);
    expect(parsePath('spec.voiceConnectors[].voiceConnectorRef')).toEqual(['spec', 'voiceConnectors', '', 'voiceConnectorRef']);
    expect(parsePath('/spec/tags/a~1b/0')).toEqual(['spec', 'tags', 'a/b', 0]);
    expect(parsePath('')).toEqual([]);
  });

  it('formats segments back', () => {
    expect(formatPath(['spec', 'voiceConnectors', 1, 'voiceConnectorRef'])).toBe('spec.voiceConnectors[1].voiceConnectorRef');
    expect(formatPath(['metadata', 'annotations', 'chimevoice.io/external-id'])).toBe('metadata.annotations["chimevoice.io/external-id"]');
  });
});
