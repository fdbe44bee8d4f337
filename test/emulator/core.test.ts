/**
 * The emulator's HTTP core, through the real v3 clients: routing, SigV4 refusal, model-driven
 * validation, AWS-style errors (API1, API2), faults, counters, the clock, the consistency window
 * (API5) and snapshots. A tiny service module stands in for the domain families so that these
 * tests exercise the core alone.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BadRequestException,
  CreateSipMediaApplicationCallCommand,
  CreateSipRuleCommand,
  CreateVoiceConnectorCommand,
  GetGlobalSettingsCommand,
  GetVoiceConnectorCommand,
  ListVoiceConnectorsCommand,
  NotFoundException,
  ServiceUnavailableException,
  ThrottledClientException,
  UpdateGlobalSettingsCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { Emulator, SnapshotError } from '../../src/emulator/index.js';
import type { ServiceModule } from '../../src/emulator/core/types.js';
import { notFound } from '../../src/emulator/core/types.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const probe: ServiceModule = {
  handlers: {
    GetGlobalSettings: (_input, ctx) => ctx.state.globalSettings,
    UpdateGlobalSettings: (input, ctx) => {
      ctx.state.globalSettings = { VoiceConnector: input.VoiceConnector };
      return {};
    },
    CreateVoiceConnector: (input, ctx) => {
      const id = ctx.lowerAlnumId();
      const now = ctx.nowIso();
      const record = {
        VoiceConnectorId: id,
        AwsRegion: input.AwsRegion ?? ctx.region,
        Name: input.Name,
        OutboundHostName: `${id}.voiceconnector.chime.aws`,
        RequireEncryption: input.RequireEncryption,
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
        VoiceConnectorArn: ctx.arn(ctx.region, `vc/${id}`),
        NetworkType: 'IPV4_ONLY' as const,
        _secret: 'never on the wire',
      };
      ctx.state.voiceConnectors[id] = record;
      ctx.markCreated(`voiceConnectors/${id}`);
      return { VoiceConnector: record };
    },
    GetVoiceConnector: (input, ctx) => {
      const vc = ctx.state.voiceConnectors[input.VoiceConnectorId];
      const message = `Voice connector ${input.VoiceConnectorId} not found`;
      if (!vc) throw notFound(message);
      ctx.assertVisible(`voiceConnectors/${input.VoiceConnectorId}`, message);
      return { VoiceConnector: vc };
    },
    ListVoiceConnectors: (_input, ctx) => ({ VoiceConnectors: Object.values(ctx.state.voiceConnectors) }),
  },
};

describe('emulator core', () => {
  const emu = withEmulator({ services: [probe] });

  it('API1: serves the real v3 client, with ISO-8601 timestamps and only the model members on the wire', async () => {
    const client = voiceClient(emu());
    const out = await client.send(new CreateVoiceConnectorCommand({ Name: 'trunk', RequireEncryption: true }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.VoiceConnector?.VoiceConnectorId).toMatch(/^[a-z0-9]{22}$/);
    expect(out.VoiceConnector?.CreatedTimestamp).toBeInstanceOf(Date);
    expect(out.VoiceConnector).not.toHaveProperty('_secret');
    const raw = await fetch(`${emu().url}/voice-connectors/${out.VoiceConnector!.VoiceConnectorId}`, { headers: signedHeaders() });
    const body = (await raw.json()) as any;
    expect(body.VoiceConnector.CreatedTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(body)).not.toContain('never on the wire');
  });

  it('API1: refuses requests without SigV4 authorization as AWS does', async () => {
    const res = await fetch(`${emu().url}/voice-connectors`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const bad = await fetch(`${emu().url}/voice-connectors`, { headers: { authorization: 'Bearer abc' } });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });

  it('API2: a missing required member is a BadRequestException naming the member', async () => {
    const client = voiceClient(emu());
    const err = await client.send(new CreateVoiceConnectorCommand({ Name: 'x' } as never)).catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toContain("'RequireEncryption'");
    expect(err.message).toContain('Member must not be null');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.Code).toBe('BadRequest');
  });

  it('API2: length, pattern, enum, nested required, list length, type and range violations each name the member and the constraint', async () => {
    const client = voiceClient(emu());
    const cases: Array<[object, string]> = [
      [{ Name: 'x'.repeat(257), RequireEncryption: true }, "at 'Name' failed to satisfy constraint: Member must have length less than or equal to 256"],
      [{ Name: 'bad/name', RequireEncryption: true }, "at 'Name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9 _.-]+"],
      [{ Name: 'ok', RequireEncryption: true, NetworkType: 'IPV6_ONLY' }, "Value 'IPV6_ONLY' at 'NetworkType' failed to satisfy constraint: Member must satisfy enum value set: [IPV4_ONLY, DUAL_STACK]"],
      [{ Name: 'ok', RequireEncryption: true, Tags: [{ Key: 'k' }] }, "Value null at 'Tags[0].Value' failed to satisfy constraint: Member must not be null"],
    ];
    for (const [input, message] of cases) {
      const err = await client.send(new CreateVoiceConnectorCommand(input as never)).catch((e) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(BadRequestException);
      expect(err.message).toContain(message);
    }
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ SipMediaApplicationId: `sma-${i}`, Priority: i + 1, AwsRegion: 'us-east-1' }));
    const listLength = await client
      .send(new CreateSipRuleCommand({ Name: 'r', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550100', TargetApplications: tooMany }))
      .catch((e) => e);
    expect(listLength).toBeInstanceOf(BadRequestException);
    expect(listLength.message).toContain("Value at 'TargetApplications' failed to satisfy constraint: Member must have length less than or equal to 25");
    const wrongType = await client.send(new ListVoiceConnectorsCommand({ MaxResults: 'ten' as never })).catch((e) => e);
    expect(wrongType).toBeInstanceOf(BadRequestException);
    expect(wrongType.message).toContain("Value 'ten' at 'MaxResults' failed to satisfy constraint: Member must be an integer");
    const range = await client.send(new ListVoiceConnectorsCommand({ MaxResults: 1000 })).catch((e) => e);
    expect(range).toBeInstanceOf(BadRequestException);
    expect(range.message).toContain("Value '1000' at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
  });

  it('answers a runtime call operation with a clear error naming it', async () => {
    const err = await voiceClient(emu())
      .send(new CreateSipMediaApplicationCallCommand({ SipMediaApplicationId: 'abc', FromPhoneNumber: '+12065550100', ToPhoneNumber: '+12065550101' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.message).toContain('CreateSipMediaApplicationCall is not supported by the chime-voice-operator emulator');
  });

  it('counts calls by operation and outcome, readable through the control endpoint', async () => {
    emu().resetCounters();
    const client = voiceClient(emu());
    await client.send(new GetGlobalSettingsCommand({}));
    await client.send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: 'cdr-bucket' } }));
    await client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstuv' })).catch(() => undefined);
    const counters = await (await fetch(`${emu().url}/_emulator/counters`)).json();
    expect(counters).toEqual({ GetGlobalSettings: { ok: 1 }, UpdateGlobalSettings: { ok: 1 }, GetVoiceConnector: { NotFoundException: 1 } });
    expect(emu().totalCalls()).toBe(3);
  });

  it('injects throttling (429) and unavailability (503) as the v3 client sees them', async () => {
    const client = voiceClient(emu());
    emu().setFaults({ rateLimits: { GetGlobalSettings: { ratePerSecond: 0, burst: 2 } } });
    await client.send(new GetGlobalSettingsCommand({}));
    await client.send(new GetGlobalSettingsCommand({}));
    const throttled = await client.send(new GetGlobalSettingsCommand({})).catch((e) => e);
    expect(throttled).toBeInstanceOf(ThrottledClientException);
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    emu().setFaults({ errorRates: { '*': { probability: 1, status: 503 } } });
    const unavailable = await client.send(new GetGlobalSettingsCommand({})).catch((e) => e);
    expect(unavailable).toBeInstanceOf(ServiceUnavailableException);
    await fetch(`${emu().url}/_emulator/faults`, { method: 'PUT', body: '{}' });
    await expect(client.send(new GetGlobalSettingsCommand({}))).resolves.toBeDefined();
  });

  it('draws one of several error rates per call, each at its own probability, repeatably by seed', async () => {
    const client = voiceClient(emu());
    const outcomes = async () => {
      emu().setFaults({ seed: 3, errorRates: { GetGlobalSettings: [{ probability: 0.2, error: 'ThrottledClientException' }, { probability: 0.05, status: 503 }] } });
      const seen: Record<string, number> = {};
      for (let i = 0; i < 400; i++) {
        const name = await client.send(new GetGlobalSettingsCommand({})).then(() => 'ok', (e: Error) => e.name);
        seen[name] = (seen[name] ?? 0) + 1;
      }
      return seen;
    };
    const first = await outcomes();
    expect(Object.keys(first).sort()).toEqual(['ServiceUnavailableException', 'ThrottledClientException', 'ok']);
    // 80 and 20 expected of 400; the bounds are wide, the seed makes the draw the same every run.
    expect(first.ThrottledClientException).toBeGreaterThan(50);
    expect(first.ThrottledClientException).toBeLessThan(110);
    expect(first.ServiceUnavailableException).toBeGreaterThan(5);
    expect(first.ServiceUnavailableException).toBeLessThan(40);
    expect(await outcomes()).toEqual(first);
    expect(() => emu().setFaults({ errorRates: { '*': [{ probability: 0.7, status: 503 }, { probability: 0.5, status: 500 }] } })).toThrow(/add up to more than 1/);
    emu().setFaults({});
  });

  it('API5: a just-created resource reads as NotFound inside the consistency window, then appears', async () => {
    const client = voiceClient(emu());
    emu().setFaults({ consistencyWindowMs: 5_000 });
    const created = await client.send(new CreateVoiceConnectorCommand({ Name: 'eventual', RequireEncryption: false }));
    const id = created.VoiceConnector!.VoiceConnectorId!;
    await expect(client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))).rejects.toBeInstanceOf(NotFoundException);
    emu().clock.advance(5_000);
    const got = await client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }));
    expect(got.VoiceConnector?.Name).toBe('eventual');
    emu().setFaults({});
  });

  it('moves its clock by hand and by rate through the control endpoint', async () => {
    const before = new Date(((await (await fetch(`${emu().url}/_emulator/clock`)).json()) as any).now).getTime();
    const after = (await (await fetch(`${emu().url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 3_600_000 }) })).json()) as any;
    expect(new Date(after.now).getTime() - before).toBeGreaterThanOrEqual(3_600_000);
    const refused = await fetch(`${emu().url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: -1 }) });
    expect(refused.status).toBe(400);
  });

  it('survives malformed bodies and keeps serving', async () => {
    const res = await fetch(`${emu().url}/voice-connectors`, { method: 'POST', headers: signedHeaders(), body: '{"Name": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    const wrongType = await fetch(`${emu().url}/voice-connectors`, { method: 'POST', headers: signedHeaders(), body: '[1,2]' });
    expect(wrongType.status).toBe(400);
    await expect(voiceClient(emu()).send(new GetGlobalSettingsCommand({}))).resolves.toBeDefined();
  });
});

describe('emulator snapshots', () => {
  it('keeps state across a restart with --state, written atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvo-emu-'));
    const stateFile = join(dir, 'state.json');
    const first = await new Emulator({ stateFile, services: [probe] }).start();
    await voiceClient(first).send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: 'kept-bucket' } }));
    await first.stop();
    const second = await new Emulator({ stateFile, services: [probe] }).start();
    const out = await voiceClient(second).send(new GetGlobalSettingsCommand({}));
    expect(out.VoiceConnector?.CdrBucket).toBe('kept-bucket');
    await second.stop();
  });

  it('refuses a snapshot cut short or modified, whole, with a clear message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvo-emu-'));
    const stateFile = join(dir, 'state.json');
    const emulator = new Emulator({ stateFile, services: [probe] });
    emulator.state.globalSettings = { VoiceConnector: { CdrBucket: 'b' } };
    emulator.flush();
    const good = readFileSync(stateFile, 'utf8');
    writeFileSync(stateFile, good.slice(0, good.length - 20));
    expect(() => new Emulator({ stateFile })).toThrow(SnapshotError);
    expect(() => new Emulator({ stateFile })).toThrow(/cut short/);
    writeFileSync(stateFile, good.replace('"b"', '"c"'));
    expect(() => new Emulator({ stateFile })).toThrow(/checksum mismatch/);
    writeFileSync(stateFile, '{"hello": 1}');
    expect(() => new Emulator({ stateFile })).toThrow(/not an emulator state file/);
  });
});

/** A syntactically valid SigV4 header set, for raw requests that bypass the SDK. */
function signedHeaders(): Record<string, string> {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    'x-amz-date': '20260101T000000Z',
    'content-type': 'application/json',
  };
}
