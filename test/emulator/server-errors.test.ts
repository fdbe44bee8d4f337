/**
 * Error paths of the emulator's HTTP server that the corpus (http-corpus.test.ts) cannot show with
 * one request and a state comparison: a service that throws, HEAD, a client that goes away mid-body,
 * invalid UTF-8 in the query, the control endpoint's own errors, and a 413 followed by a normal call
 * on the same connection.
 */
import { describe, expect, it } from 'vitest';
import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import { GetGlobalSettingsCommand } from '@aws-sdk/client-chime-sdk-voice';
import type { ServiceModule } from '../../src/emulator/core/types.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const SIGNED = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20260101T000000Z',
  'content-type': 'application/json',
};

const seen: unknown[] = [];
const probe: ServiceModule = {
  handlers: {
    GetGlobalSettings: (_input, ctx) => ctx.state.globalSettings,
    CreateVoiceConnector: () => {
      throw new TypeError('Cannot read properties of undefined (reading secret-internal-detail)');
    },
    ListVoiceConnectors: (input) => {
      seen.push(input);
      return { VoiceConnectors: [] };
    },
  },
};

describe('emulator server error paths', () => {
  const emu = withEmulator({ services: [probe], maxBodyBytes: 1024 });

  it('a service that throws answers 500 ServiceFailureException, as the model lists, without its internals, and keeps serving', async () => {
    const res = await fetch(`${emu().url}/voice-connectors`, { method: 'POST', headers: SIGNED, body: JSON.stringify({ Name: 'x', RequireEncryption: true }) });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-amzn-errortype')).toBe('ServiceFailureException');
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({ Code: 'ServiceFailure', Message: 'Internal failure while serving CreateVoiceConnector' });
    await expect(voiceClient(emu()).send(new GetGlobalSettingsCommand({}))).resolves.toBeDefined();
  });

  it('HEAD on an API path answers 405 with the error type and the allowed methods, no body', async () => {
    const res = await fetch(`${emu().url}/voice-connectors`, { method: 'HEAD', headers: SIGNED });
    expect(res.status).toBe(405);
    expect(res.headers.get('x-amzn-errortype')).toBe('MethodNotAllowedException');
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  it('invalid UTF-8 in the query is refused, not replaced by U+FFFD and passed to the service', async () => {
    seen.length = 0;
    const res = await fetch(`${emu().url}/voice-connectors?next-token=%C3%28`, { headers: SIGNED });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toContain('invalid UTF-8 in the request query');
    expect(seen).toEqual([]);
    const ok = await fetch(`${emu().url}/voice-connectors?next-token=a%2Bb+c`, { headers: SIGNED });
    expect(ok.status).toBe(200);
    expect(seen).toEqual([{ NextToken: 'a+b c' }]);
  });

  it('a client that goes away mid-body changes nothing and is counted; the server keeps serving', async () => {
    const before = JSON.stringify(emu().state);
    emu().resetCounters();
    const { port, hostname } = new URL(emu().url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST /voice-connectors HTTP/1.1\r\nHost: ${hostname}:${port}\r\nauthorization: ${SIGNED.authorization}\r\nx-amz-date: ${SIGNED['x-amz-date']}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"Name":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
    });
    await expect(voiceClient(emu()).send(new GetGlobalSettingsCommand({}))).resolves.toBeDefined();
    expect(JSON.stringify(emu().state)).toBe(before);
    expect(emu().counters().CreateVoiceConnector).toEqual({ RequestAborted: 1 });
  });

  it('after a 413 the connection still serves the next request (the refused body is read and discarded, not reset)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { port, hostname } = new URL(emu().url);
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; type: string | undefined; socketPort: number }>((resolve, reject) => {
        const req = request({ hostname, port, method, path, agent, headers: body === undefined ? SIGNED : { ...SIGNED, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['x-amzn-errortype'] as string | undefined, socketPort: req.socket!.localPort! }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const refused = await send('POST', '/voice-connectors', JSON.stringify({ Name: 'x'.repeat(4096), RequireEncryption: true }));
    expect(refused).toMatchObject({ status: 413, type: 'RequestEntityTooLargeException' });
    const next = await send('GET', '/voice-connectors');
    expect(next.status).toBe(200);
    expect(next.socketPort).toBe(refused.socketPort);
    agent.destroy();
  });

  it('the control endpoint answers its errors AWS-shaped too', async () => {
    const unknown = await fetch(`${emu().url}/_emulator/no-such-action`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(await unknown.json()).toEqual({ Code: 'NotFound', Message: 'No control action POST "/_emulator/no-such-action".' });
    const badJson = await fetch(`${emu().url}/_emulator/faults`, { method: 'PUT', body: '{"seed": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(((await badJson.json()) as { Code: string }).Code).toBe('BadRequest');
  });
});
