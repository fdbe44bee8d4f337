// Input that used to crash `validate`, be decoded wrongly, vanish with a warning, or be echoed whole:
// each is refused with its file and line, and no message carries more than a short cut of the input.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS, echo } from '../../src/domain/input-limits.js';
import { formatProblem, hasErrors, validateDirectory } from '../../src/sources/validate.js';

const root = mkdtempSync(path.join(tmpdir(), 'chime-bad-input-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes `content` as the only file of a new folder and validates the folder. */
async function validateFile(content: string | Buffer, name = 'm.yaml') {
  const dir = path.join(root, String(n++));
  mkdirSync(dir);
  writeFileSync(path.join(dir, name), content);
  const r = await validateDirectory(dir);
  return { ...r, lines: r.problems.map((p) => formatProblem({ ...p, file: path.relative(dir, p.file) })) };
}

const connector = (extra = '', name = 'trunk') => `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata:
  name: ${name}
spec:
  region: us-east-1
  requireEncryption: true
${extra}`;

describe('encodings (no replacement characters reach AWS; no file is dropped silently)', () => {
  it('refuses bytes that are not UTF-8, at the line and byte offset where they are', async () => {
    const head = Buffer.from(connector('  tags:\n    team: "'));
    const latin1 = Buffer.from([0x74, 0xe9, 0x6c, 0xe9, 0x70, 0x68, 0x6f, 0x6e, 0x69, 0x65]); // "téléphonie" in Latin-1
    const r = await validateFile(Buffer.concat([head, latin1, Buffer.from('"\n')]));
    expect(r.objects).toEqual([]);
    expect(r.lines).toEqual([`m.yaml:9:13: the file is not valid UTF-8: bytes e9 6c e9 70 at byte offset ${head.length + 1} (save the file as UTF-8)`]);
  });

  it('keeps a genuine U+FFFD and still finds the invalid byte after it', async () => {
    const r = await validateFile(Buffer.concat([Buffer.from(connector('  tags:\n    a: "\ufffd"\n    b: "')), Buffer.from([0xff]), Buffer.from('"\n')]));
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^m\.yaml:10:9: the file is not valid UTF-8: bytes ff 22/);
  });

  it('reads a UTF-16 file that starts with its byte order mark, as the same object', async () => {
    const text = connector('  tags:\n    team: "téléphonie"\n');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await validateFile(le);
    expect(r.lines).toEqual([]);
    expect(r.objects.map((o) => (o.object.spec as { tags: { team: string } }).tags.team)).toEqual(['téléphonie']);
    const be = Buffer.from(le);
    be.swap16();
    const r2 = await validateFile(be);
    expect(r2.objects.map((o) => (o.object.spec as { tags: { team: string } }).tags.team)).toEqual(['téléphonie']);
  });

  it('refuses UTF-16 without a byte order mark (NUL bytes), never ignoring it', async () => {
    const r = await validateFile(Buffer.from(connector(), 'utf16le'));
    expect(r.objects).toEqual([]);
    expect(hasErrors(r.problems)).toBe(true);
    expect(r.lines[0]).toMatch(/^m\.yaml:1:2: the file holds a NUL character: it is binary, or UTF-16 without a byte order mark/);
  });
});

describe('documents that cannot be objects are errors, not warnings', () => {
  it('a list, a scalar, and a mapping without apiVersion each fail validate with their line', async () => {
    const r = await validateFile(`${connector()}---\n- ${'x'.repeat(10)}\n---\n42\n---\nkind: VoiceConnector\nmetadata: {name: b}\n`);
    expect(hasErrors(r.problems)).toBe(true);
    expect(r.lines).toEqual([
      'm.yaml:9:1: this document is a list, not a Kubernetes object (a mapping with apiVersion, kind and metadata)',
      'm.yaml:11:1: this document is a number (42), not a Kubernetes object (a mapping with apiVersion, kind and metadata)',
      'm.yaml:13:1: apiVersion: the document has no apiVersion: every document must be a Kubernetes object (apiVersion: chimevoice.io/v1alpha1, kind: VoiceConnector, ...)',
    ]);
  });
});

describe('limits: refused with file:line, never a crash', () => {
  it('a 20 MB file of 160,000 documents (it overflowed the stack) is refused by its size', async () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n';
    const r = await validateFile(doc.repeat(Math.ceil((20 * 1024 * 1024) / doc.length)));
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(new RegExp(`^m\\.yaml:1: the file is \\d+ bytes; a manifest file may hold at most ${INPUT_LIMITS.fileBytes} bytes`));
  });

  it('more documents than the limit in one file are refused at the first one past it', async () => {
    const r = await validateFile('a: 1\n---\n'.repeat(INPUT_LIMITS.documentsPerFile + 5));
    expect(r.lines).toContain(`m.yaml:${2 * INPUT_LIMITS.documentsPerFile + 1}:1: more than ${INPUT_LIMITS.documentsPerFile} YAML documents in one file; split it into several files`);
  });

  it('the documents of a file at the limit are all read (no crash from their number either)', async () => {
    const r = await validateFile(Array.from({ length: INPUT_LIMITS.documentsPerFile }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`).join('---\n'));
    expect(r.problems).toHaveLength(INPUT_LIMITS.documentsPerFile);
    expect(hasErrors(r.problems)).toBe(false);
  });

  it('a value longer than the limit is refused, and the message echoes only a short cut of it', async () => {
    const r = await validateFile(connector(`  tags:\n    team: "${'x'.repeat(7 * 1024 * 1024)}"\n`));
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(new RegExp(`^m\\.yaml:9:11: a value of ${7 * 1024 * 1024} characters; values may be at most ${INPUT_LIMITS.valueLength} characters \\("x{${INPUT_LIMITS.echoChars - 1}}… \\(${7 * 1024 * 1024} characters\\)\\)$`));
  });

  it('every message that echoes input is short, whatever the input (schema errors too)', async () => {
    const long = 'y'.repeat(INPUT_LIMITS.valueLength);
    const r = await validateFile(connector(`  networkType: ${long}\n  ${'k'.repeat(5000)}: 1\n  termination:\n    cidrAllowedList: ["${long}"]\n`));
    expect(hasErrors(r.problems)).toBe(true);
    for (const line of r.lines) expect(line.length, line.slice(0, 200)).toBeLessThan(600);
  });

  it('flow collections nested a million deep are refused without a crash', async () => {
    const deep = `${connector()}  tags: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`;
    const r = await validateFile(deep);
    expect(r.lines).toEqual([`m.yaml:8:${9 + INPUT_LIMITS.nestingDepth}: flow collections ([ ] and { }) nest more than ${INPUT_LIMITS.nestingDepth} levels deep; the file is not read`]);
  });

  it('block mappings nested past the limit are refused at the line where the limit is passed', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    const r = await validateFile(`${lines.join('\n')} end\n`);
    expect(r.lines).toEqual([`m.yaml:${INPUT_LIMITS.nestingDepth + 1}:${INPUT_LIMITS.nestingDepth + 1}: mappings and lists nest more than ${INPUT_LIMITS.nestingDepth} levels deep`]);
  });

  it('an alias bomb is refused', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const r = await validateFile(`${levels.join('\n')}\n`);
    expect(r.lines).toEqual([`m.yaml:1:1: aliases (*name) expand to more than ${INPUT_LIMITS.aliases} copies in this document; write the values out instead`]);
  });

  it('an integer past 2^53 is refused, not rounded; past int32 the schema refuses it', async () => {
    const r = await validateFile(connector('  termination:\n    cpsLimit: 99999999999999999999\n    callingRegions: [US]\n'));
    expect(r.lines).toEqual([
      'm.yaml:9:15: the number 99999999999999999999 is too large to be read exactly (integers are exact up to 9007199254740991); it would be rounded, so it is refused',
    ]);
    const r2 = await validateFile(connector('  termination:\n    cpsLimit: 2147483648\n    callingRegions: [US]\n'));
    expect(r2.lines).toEqual(['m.yaml:9:5: spec.termination.cpsLimit: must be at most 2147483647']);
  });
});

describe('messages that say what is wrong', () => {
  it('a reference to a Secret key with invalid base64 says why, not "not found"', async () => {
    const r = await validateFile(
      `${connector('  termination:\n    callingRegions: [US]\n    credentials:\n      - username: pbx\n        passwordSecretRef: {name: creds, key: password}\n')}---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata:\n  password: c2VjcmV0-\n`,
    );
    expect(r.lines).toEqual([
      'm.yaml:12:42: spec.termination.credentials[0].passwordSecretRef.key: Secret default/creds key "password" is not usable: data.password is not valid base64: "-" (URL-safe base64; use + and /) at character 9 is not a base64 character (put plain text under stringData instead)',
      'm.yaml:18:3: data.password: data.password is not valid base64: "-" (URL-safe base64; use + and /) at character 9 is not a base64 character (put plain text under stringData instead)',
    ]);
    const unpadded = await validateFile(`apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata:\n  password: c2VjcmV0MQ\n`);
    expect(unpadded.lines[0]).toContain('its length (10 characters) is not a multiple of 4: the "=" padding is missing');
  });

  it('an unknown field suggests the nearest known one', async () => {
    const r = await validateFile(connector('  termination:\n    cpsLimits: 5\n    callingRegions: [US]\n'));
    expect(r.lines).toEqual(['m.yaml:9:5: spec.termination.cpsLimits: unknown field "cpsLimits"; did you mean cpsLimit?']);
  });

  it('a field far from every known one gets no guess', async () => {
    const r = await validateFile(connector('  termination:\n    frobnicate: 5\n    callingRegions: [US]\n'));
    expect(r.lines).toEqual(['m.yaml:9:5: spec.termination.frobnicate: unknown field "frobnicate"']);
  });
});

describe('echo', () => {
  it('quotes, and cuts long values saying their length', () => {
    expect(echo('abc')).toBe('"abc"');
    expect(echo(5)).toBe('5');
    const cut = echo('z'.repeat(10_000_000));
    expect(cut.length).toBeLessThan(INPUT_LIMITS.echoChars + 40);
    expect(cut.endsWith('… (10000000 characters)')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const s = `${'a'.repeat(INPUT_LIMITS.echoChars - 2)}😀😀😀`;
    expect(echo(s)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
