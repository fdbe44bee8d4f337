/**
 * The corpus of bad HTTP requests (test/corpus/http/*.json), sent raw to the emulator: node:http for
 * requests a client library can still form, a bare socket for those it cannot (truncated bodies,
 * unknown methods, absolute-form targets). Not through the SDK, which would refuse many first.
 *
 * Each case names the rule of the domain rules or the model constraint it covers, and must be
 * refused AWS-shaped (rule API1: the status, `x-amzn-ErrorType`, a JSON body with `Code` and
 * `Message`) before any write: the emulator's state, dumped through its control endpoint, is the
 * same after the case as before, nothing pollutes Object.prototype, and the server still answers.
 *
 * A case file holds `request` (`method`, `path`, `headers`, `signed` for a valid-looking SigV4
 * header; a body as `body` (JSON), `bodyText` or `bodyBase64`; or `socket`, raw request text with
 * `closeWrite`) and `expect` (`status`, `errorType`, `code`, `message` (a substring), `headers`).
 * A string may be generated: `{"repeat": "x", "times": N}` or `{"concat": [parts]}`. In paths and
 * socket text, `{{voiceConnectorId}}` is a voice connector created before the cases, `{{host}}`
 * the emulator's address and `{{auth}}` the signature header lines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect } from 'node:net';
import { CreateVoiceConnectorCommand, GetGlobalSettingsCommand, PutVoiceConnectorTerminationCommand } from '@aws-sdk/client-chime-sdk-voice';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

type Generated = string | { repeat: string; times: number } | { concat: Generated[] };

interface HttpCase {
  file: string;
  title: string;
  covers: string;
  request: {
    method?: string;
    path?: string;
    headers?: Record<string, Generated>;
    signed?: boolean;
    body?: unknown;
    bodyText?: Generated;
    bodyBase64?: string;
    socket?: string;
    closeWrite?: boolean;
  };
  expect: { status: number; errorType: string; code: string; message: string; headers?: Record<string, string> };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const CORPUS = join(import.meta.dirname, '..', 'corpus', 'http');
const cases: HttpCase[] = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as Omit<HttpCase, 'file'>) }));

const SIGNED = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20260101T000000Z',
  'content-type': 'application/json',
};

function generate(value: Generated): string {
  if (typeof value === 'string') return value;
  if ('repeat' in value) return value.repeat.repeat(value.times);
  return value.concat.map(generate).join('');
}

/** JSON bodies may hold generated strings anywhere ({"Name": {"repeat": "n", "times": 257}}). */
function expandJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandJson);
  if (typeof value === 'object' && value !== null) {
    if ('repeat' in value || 'concat' in value) return generate(value as Generated);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandJson(v)]));
  }
  return value;
}

describe('HTTP corpus: bad requests refused AWS-shaped, before any write, without harm to the server', () => {
  // A short body timeout so that the stalled-body case answers in about a second.
  const emu = withEmulator({ bodyTimeoutMs: 1_000 });
  let voiceConnectorId = '';

  beforeAll(async () => {
    const client = voiceClient(emu());
    const created = await client.send(new CreateVoiceConnectorCommand({ Name: 'corpus-target', RequireEncryption: true }));
    voiceConnectorId = created.VoiceConnector!.VoiceConnectorId!;
    await client.send(
      new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: voiceConnectorId, Termination: { CpsLimit: 1, CallingRegions: ['US'], CidrAllowedList: ['52.94.0.0/22'] } }),
    );
  });

  const fill = (text: string) => {
    const { host } = new URL(emu().url);
    const auth = `authorization: ${SIGNED.authorization}\r\nx-amz-date: ${SIGNED['x-amz-date']}\r\n`;
    return text.replaceAll('{{voiceConnectorId}}', voiceConnectorId).replaceAll('{{host}}', host).replaceAll('{{auth}}', auth);
  };

  const state = async (): Promise<unknown> => {
    const res = await fetch(`${emu().url}/_emulator/state`);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('holds at least 25 cases, each with a title, the rule or constraint it covers, and an AWS-shaped expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const c of cases) {
      expect(c.title, c.file).toBeTruthy();
      expect(c.covers, c.file).toBeTruthy();
      expect(c.expect.status, c.file).toBeGreaterThanOrEqual(400);
      expect(c.expect.errorType, c.file).toMatch(/Exception$/);
      expect(c.expect.code, c.file).toBe(c.expect.errorType.replace(/Exception$/, ''));
    }
  });

  it.each(cases)('$file: $title ($covers)', async (c) => {
    const before = await state();
    const answer = c.request.socket !== undefined ? await sendSocket(emu().url, fill(c.request.socket), c.request.closeWrite ?? false) : await sendHttp(emu().url, c, fill);

    expect(answer.status).toBe(c.expect.status);
    expect(answer.headers['x-amzn-errortype']).toBe(c.expect.errorType);
    expect(answer.headers['content-type']).toBe('application/json');
    for (const [name, value] of Object.entries(c.expect.headers ?? {})) expect(answer.headers[name]).toBe(value);
    const body = JSON.parse(answer.body) as { Code?: unknown; Message?: unknown };
    expect(Object.keys(body).sort()).toEqual(['Code', 'Message']);
    expect(body.Code).toBe(c.expect.code);
    expect(body.Message).toEqual(expect.stringContaining(c.expect.message));
    // An error message never echoes a huge input whole.
    expect((body.Message as string).length).toBeLessThan(1_000);

    expect(await state()).toEqual(before);
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(await (await fetch(`${emu().url}/_emulator/health`)).json()).toEqual({ ok: true });
    await expect(voiceClient(emu()).send(new GetGlobalSettingsCommand({}))).resolves.toBeDefined();
  });
});

function sendHttp(base: string, c: HttpCase, fill: (text: string) => string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const r = c.request;
  const headers: Record<string, string> = { ...(r.signed ? SIGNED : {}) };
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name] = generate(value);
  let body: Buffer | undefined;
  if (r.body !== undefined) body = Buffer.from(JSON.stringify(expandJson(r.body)));
  else if (r.bodyText !== undefined) body = Buffer.from(generate(r.bodyText));
  else if (r.bodyBase64 !== undefined) body = Buffer.from(r.bodyBase64, 'base64');
  const chunked = headers['transfer-encoding'] === 'chunked';
  if (body && !chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: r.method ?? 'GET', path: fill(r.path ?? '/'), headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and stop reading before the whole body is written; the answer is what counts.
    req.on('error', (err: NodeJS.ErrnoException) => reject(err));
    if (body && chunked) {
      // Several chunks, as a streaming client sends them.
      for (let at = 0; at < body.length; at += 1 << 20) req.write(body.subarray(at, at + (1 << 20)));
      req.end();
    } else req.end(body);
  });
}

/** Raw bytes over a socket; resolves with the first complete response (headers and Content-Length body). */
function sendSocket(base: string, text: string, closeWrite: boolean): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(text);
      if (closeWrite) socket.end();
    });
    let received = Buffer.alloc(0);
    const tryParse = (final: boolean) => {
      const raw = received.toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      if (split === -1) {
        if (final) reject(new Error(`no HTTP response, got ${JSON.stringify(raw.slice(0, 200))}`));
        return;
      }
      const [statusLine, ...lines] = raw.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = raw.slice(split + 4);
      if (Buffer.byteLength(body) < Number(headers['content-length'] ?? 0) && !final) return;
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    };
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      tryParse(false);
    });
    socket.on('close', () => tryParse(true));
    socket.on('error', reject);
  });
}
