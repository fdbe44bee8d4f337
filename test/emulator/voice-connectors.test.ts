/**
 * Voice connectors, their sub-configurations and voice connector groups, through the real v3
 * client over HTTP: rules VC1..VC9, G1..G3, and the association side of PN4 and API4.
 * Phone numbers and media insights configurations belong to other families; the tests seed them
 * straight into the state so that these tests depend on this family alone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AssociatePhoneNumbersWithVoiceConnectorCommand,
  AssociatePhoneNumbersWithVoiceConnectorGroupCommand,
  BadRequestException,
  ConflictException,
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  DeleteVoiceConnectorCommand,
  DeleteVoiceConnectorEmergencyCallingConfigurationCommand,
  DeleteVoiceConnectorExternalSystemsConfigurationCommand,
  DeleteVoiceConnectorGroupCommand,
  DeleteVoiceConnectorOriginationCommand,
  DeleteVoiceConnectorProxyCommand,
  DeleteVoiceConnectorStreamingConfigurationCommand,
  DeleteVoiceConnectorTerminationCommand,
  DeleteVoiceConnectorTerminationCredentialsCommand,
  DisassociatePhoneNumbersFromVoiceConnectorCommand,
  DisassociatePhoneNumbersFromVoiceConnectorGroupCommand,
  GetVoiceConnectorCommand,
  GetVoiceConnectorEmergencyCallingConfigurationCommand,
  GetVoiceConnectorExternalSystemsConfigurationCommand,
  GetVoiceConnectorGroupCommand,
  GetVoiceConnectorLoggingConfigurationCommand,
  GetVoiceConnectorOriginationCommand,
  GetVoiceConnectorProxyCommand,
  GetVoiceConnectorStreamingConfigurationCommand,
  GetVoiceConnectorTerminationCommand,
  GetVoiceConnectorTerminationHealthCommand,
  ListAvailableVoiceConnectorRegionsCommand,
  ListVoiceConnectorGroupsCommand,
  ListVoiceConnectorTerminationCredentialsCommand,
  ListVoiceConnectorsCommand,
  NotFoundException,
  PutVoiceConnectorEmergencyCallingConfigurationCommand,
  PutVoiceConnectorExternalSystemsConfigurationCommand,
  PutVoiceConnectorLoggingConfigurationCommand,
  PutVoiceConnectorOriginationCommand,
  PutVoiceConnectorProxyCommand,
  PutVoiceConnectorStreamingConfigurationCommand,
  PutVoiceConnectorTerminationCommand,
  PutVoiceConnectorTerminationCredentialsCommand,
  ResourceLimitExceededException,
  UpdateVoiceConnectorCommand,
  UpdateVoiceConnectorGroupCommand,
  type ChimeSDKVoiceClient,
} from '@aws-sdk/client-chime-sdk-voice';
import {
  ConflictException as PipelinesConflict,
  CreateMediaInsightsPipelineConfigurationCommand,
  DeleteMediaInsightsPipelineConfigurationCommand,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import ipaddr from 'ipaddr.js';
import { voiceConnectors } from '../../src/emulator/services/voice-connectors.js';
import { analytics } from '../../src/emulator/services/analytics.js';
import type { PhoneNumberRecord } from '../../src/emulator/core/state.js';
import { pipelinesClient, voiceClient, withEmulator } from '../helpers/emulator.js';

const ACCOUNT = '123456789012';
const PUBLIC_CIDR = '54.239.98.0/24';
const TERMINATION = { CallingRegions: ['US', 'CA'], CidrAllowedList: [PUBLIC_CIDR], Disabled: false };
const ROUTE = { Host: 'sbc.example.com', Port: 5060, Protocol: 'TCP' as const, Priority: 1, Weight: 10 };

describe('voice connectors and groups', () => {
  const emu = withEmulator({ services: [voiceConnectors, analytics] });
  let client: ChimeSDKVoiceClient;

  beforeEach(() => {
    emu().resetState();
    client = voiceClient(emu());
  });

  const createVc = async (overrides: Record<string, unknown> = {}) => {
    const out = await client.send(new CreateVoiceConnectorCommand({ Name: 'trunk', RequireEncryption: false, ...overrides }));
    return out.VoiceConnector!;
  };

  const seedNumber = (e164: string, overrides: Partial<PhoneNumberRecord> = {}): PhoneNumberRecord => {
    const now = emu().clock.now().toISOString();
    const record: PhoneNumberRecord = {
      PhoneNumberId: e164,
      E164PhoneNumber: e164,
      PhoneNumberArn: `arn:aws:chime:us-east-1:${ACCOUNT}:phone-number/${e164}`,
      Country: 'US',
      Type: 'Local',
      ProductType: 'VoiceConnector',
      Status: 'Unassigned',
      Capabilities: { InboundCall: true, OutboundCall: true },
      Associations: [],
      CallingNameStatus: 'Unassigned',
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
      ...overrides,
    };
    emu().state.phoneNumbers[e164] = record;
    return record;
  };

  const seedMediaInsightsConfiguration = (name: string, region = 'us-east-1') => {
    const arn = `arn:aws:chime:${region}:${ACCOUNT}:media-insights-pipeline-configuration/${name}`;
    const now = emu().clock.now().toISOString();
    emu().state.mediaInsightsPipelineConfigurations[name] = {
      MediaInsightsPipelineConfigurationName: name,
      MediaInsightsPipelineConfigurationArn: arn,
      MediaInsightsPipelineConfigurationId: '11111111-2222-4333-8444-555555555555',
      ResourceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/analytics`,
      Elements: [],
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
    };
    return arn;
  };

  /** A connector with termination and origination on, ready for emergency calling. */
  const readyForEmergency = async () => {
    const vc = await createVc();
    await client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: TERMINATION }));
    await client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Origination: { Routes: [ROUTE], Disabled: false } }));
    return vc;
  };

  const DNIS = { DNIS: [{ EmergencyPhoneNumber: '+12065550100', TestPhoneNumber: '+12065550101', CallingCountry: 'US' }] };

  // -------------------------------------------------------------------------------------------
  describe('voice connectors', () => {
    it('VC1, VC9: create defaults the region to us-east-1 and the network type to IPV4_ONLY; ids, host name, ARN and tags', async () => {
      const out = await client.send(
        new CreateVoiceConnectorCommand({ Name: 'main trunk', RequireEncryption: true, Tags: [{ Key: 'team', Value: 'voice' }] }),
      );
      expect(out.$metadata.httpStatusCode).toBe(201);
      const vc = out.VoiceConnector!;
      expect(vc.VoiceConnectorId).toMatch(/^[a-z0-9]{22}$/);
      expect(vc.AwsRegion).toBe('us-east-1');
      expect(vc.NetworkType).toBe('IPV4_ONLY');
      expect(vc.RequireEncryption).toBe(true);
      expect(vc.Name).toBe('main trunk');
      expect(vc.OutboundHostName).toBe(`${vc.VoiceConnectorId}.voiceconnector.chime.aws`);
      expect(vc.VoiceConnectorArn).toBe(`arn:aws:chime:us-east-1:${ACCOUNT}:vc/${vc.VoiceConnectorId}`);
      expect(vc.CreatedTimestamp).toBeInstanceOf(Date);
      expect(vc.UpdatedTimestamp).toEqual(vc.CreatedTimestamp);
      expect(emu().state.tags[vc.VoiceConnectorArn!]).toEqual([{ Key: 'team', Value: 'voice' }]);

      const got = await client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(got.VoiceConnector).toEqual(vc);
    });

    it('VC1: region and DUAL_STACK are chosen at create; the ARN carries the region', async () => {
      const vc = await createVc({ AwsRegion: 'eu-west-2', NetworkType: 'DUAL_STACK', IntegrationType: 'CONNECT_ANALYTICS_CONNECTOR' });
      expect(vc.AwsRegion).toBe('eu-west-2');
      expect(vc.NetworkType).toBe('DUAL_STACK');
      expect(vc.IntegrationType).toBe('CONNECT_ANALYTICS_CONNECTOR');
      expect(vc.VoiceConnectorArn).toBe(`arn:aws:chime:eu-west-2:${ACCOUNT}:vc/${vc.VoiceConnectorId}`);
    });

    it('VC1: more than 50 tags, duplicate tag keys and a bad name are refused and create nothing', async () => {
      const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await expect(client.send(new CreateVoiceConnectorCommand({ Name: 'x', RequireEncryption: false, Tags: tags }))).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        client.send(new CreateVoiceConnectorCommand({ Name: 'x', RequireEncryption: false, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })),
      ).rejects.toThrow(/Tag key a is given more than once/);
      await expect(client.send(new CreateVoiceConnectorCommand({ Name: 'bad/name!', RequireEncryption: false }))).rejects.toBeInstanceOf(BadRequestException);
      expect(Object.keys(emu().state.voiceConnectors)).toHaveLength(0);
      expect(emu().state.tags).toEqual({});
    });

    it('VC1: UpdateVoiceConnector changes only the name and encryption; region and network type stay', async () => {
      const vc = await createVc({ AwsRegion: 'us-west-2', NetworkType: 'DUAL_STACK' });
      emu().clock.advance(60_000);
      const out = await client.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, Name: 'renamed', RequireEncryption: true }));
      expect(out.VoiceConnector).toMatchObject({ Name: 'renamed', RequireEncryption: true, AwsRegion: 'us-west-2', NetworkType: 'DUAL_STACK' });
      expect(out.VoiceConnector!.CreatedTimestamp).toEqual(vc.CreatedTimestamp);
      expect(out.VoiceConnector!.UpdatedTimestamp!.getTime()).toBeGreaterThanOrEqual(vc.CreatedTimestamp!.getTime() + 60_000);
      await expect(
        client.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstu1', Name: 'x', RequireEncryption: false })),
      ).rejects.toThrow('Voice connector abcdefghijklmnopqrstu1 not found.');
    });

    it('Get and Delete of an unknown connector answer NotFound naming it', async () => {
      const err = await client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstu1' })).catch((e) => e);
      expect(err).toBeInstanceOf(NotFoundException);
      expect(err.message).toBe('Voice connector abcdefghijklmnopqrstu1 not found.');
      await expect(client.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstu1' }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('API3: ListVoiceConnectors pages with MaxResults and opaque NextToken; a foreign token is refused', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await createVc({ Name: `vc${i}` })).VoiceConnectorId!);
        emu().clock.advance(1000);
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await client.send(new ListVoiceConnectorsCommand({ MaxResults: 2, NextToken: token }));
        expect(page.VoiceConnectors!.length).toBeLessThanOrEqual(2);
        seen.push(...page.VoiceConnectors!.map((v) => v.VoiceConnectorId!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(ids);
      const all = await client.send(new ListVoiceConnectorsCommand({}));
      expect(all.VoiceConnectors).toHaveLength(5);
      expect(all.NextToken).toBeUndefined();
      await expect(client.send(new ListVoiceConnectorsCommand({ NextToken: 'not-a-token' }))).rejects.toThrow(/NextToken is not a token issued by ListVoiceConnectors/);
      const groupToken = Buffer.from(JSON.stringify({ op: 'ListVoiceConnectorGroups', after: 'x' })).toString('base64url');
      await expect(client.send(new ListVoiceConnectorsCommand({ NextToken: groupToken }))).rejects.toBeInstanceOf(BadRequestException);
      await expect(client.send(new ListVoiceConnectorsCommand({ MaxResults: 101 }))).rejects.toBeInstanceOf(BadRequestException);
    });

    it('API5: a just-created connector or group reads as NotFound inside the consistency window', async () => {
      emu().setFaults({ consistencyWindowMs: 5_000 });
      try {
        const vc = await createVc();
        const group = (await client.send(new CreateVoiceConnectorGroupCommand({ Name: 'g' }))).VoiceConnectorGroup!;
        await expect(client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(NotFoundException);
        await expect(client.send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId }))).rejects.toBeInstanceOf(NotFoundException);
        emu().clock.advance(5_000);
        expect((await client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).VoiceConnector!.Name).toBe('trunk');
        expect((await client.send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId }))).VoiceConnectorGroup!.Name).toBe('g');
      } finally {
        emu().setFaults({});
      }
    });

    it('ListAvailableVoiceConnectorRegions lists the regions of the model', async () => {
      const out = await client.send(new ListAvailableVoiceConnectorRegionsCommand({}));
      expect(out.VoiceConnectorRegions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'ca-central-1']));
      expect(out.VoiceConnectorRegions).toHaveLength(10);
    });

    it('VC8: a connector with phone numbers, or in a group, cannot be deleted; once free it is, with its tags', async () => {
      const vc = await createVc({ Tags: [{ Key: 'a', Value: 'b' }] });
      seedNumber('+12065550123');
      await client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['+12065550123'] }));

      const err = await client.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId })).catch((e) => e);
      expect(err).toBeInstanceOf(ConflictException);
      expect(err.Code).toBe('PhoneNumberAssociationsExist');
      expect(err.message).toContain(`Voice connector ${vc.VoiceConnectorId} cannot be deleted while phone numbers are associated with it (+12065550123)`);

      await client.send(new DisassociatePhoneNumbersFromVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['+12065550123'] }));
      const group = (await client.send(new CreateVoiceConnectorGroupCommand({ Name: 'g', VoiceConnectorItems: [{ VoiceConnectorId: vc.VoiceConnectorId, Priority: 1 }] })))
        .VoiceConnectorGroup!;
      const err2 = await client.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId })).catch((e) => e);
      expect(err2).toBeInstanceOf(ConflictException);
      expect(err2.Code).toBe('VoiceConnectorGroupAssociationsExist');
      expect(err2.message).toContain(`item of voice connector group ${group.VoiceConnectorGroupId}`);

      await client.send(new UpdateVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, Name: 'g', VoiceConnectorItems: [] }));
      const del = await client.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      expect(emu().state.voiceConnectors[vc.VoiceConnectorId!]).toBeUndefined();
      expect(emu().state.tags[vc.VoiceConnectorArn!]).toBeUndefined();
      await expect(client.send(new GetVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('phone number associations', () => {
    it('PN4, API4: associating answers 200 with per-number errors; good numbers are assigned, the rest untouched', async () => {
      const vc = await createVc();
      seedNumber('+12065550001');
      seedNumber('+12065550002', { ProductType: 'SipMediaApplicationDialIn' });
      seedNumber('+12065550003', { Status: 'DeleteInProgress', DeletionTimestamp: emu().clock.now().toISOString() });
      const out = await client.send(
        new AssociatePhoneNumbersWithVoiceConnectorCommand({
          VoiceConnectorId: vc.VoiceConnectorId,
          E164PhoneNumbers: ['+12065550001', '+12065550002', '+12065550003', '+12065559999'],
        }),
      );
      expect(out.$metadata.httpStatusCode).toBe(200);
      const byId = Object.fromEntries(out.PhoneNumberErrors!.map((e) => [e.PhoneNumberId, e]));
      expect(Object.keys(byId).sort()).toEqual(['+12065550002', '+12065550003', '+12065559999']);
      expect(byId['+12065550002']).toMatchObject({ ErrorCode: 'BadRequest' });
      expect(byId['+12065550002'].ErrorMessage).toContain('has product type SipMediaApplicationDialIn; only VoiceConnector numbers can be associated');
      expect(byId['+12065550003'].ErrorMessage).toContain('deletion queue');
      expect(byId['+12065559999']).toMatchObject({ ErrorCode: 'NotFound' });

      const pn = emu().state.phoneNumbers['+12065550001'];
      expect(pn.Status).toBe('Assigned');
      expect(pn.Associations).toEqual([{ Name: 'VoiceConnectorId', Value: vc.VoiceConnectorId, AssociatedTimestamp: expect.any(String) }]);
      expect(emu().state.phoneNumbers['+12065550002'].Associations).toEqual([]);
      expect(emu().state.phoneNumbers['+12065550002'].Status).toBe('Unassigned');

      // Associating again with the same connector is harmless.
      const again = await client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['12065550001'] }));
      expect(again.PhoneNumberErrors).toEqual([]);
      expect(emu().state.phoneNumbers['+12065550001'].Associations).toHaveLength(1);
    });

    it('PN4: a number of another connector is refused per-number unless ForceAssociate moves it in one call', async () => {
      const a = await createVc({ Name: 'a' });
      const b = await createVc({ Name: 'b' });
      seedNumber('+12065550010');
      await client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: a.VoiceConnectorId, E164PhoneNumbers: ['+12065550010'] }));

      const refused = await client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: b.VoiceConnectorId, E164PhoneNumbers: ['+12065550010'] }));
      expect(refused.PhoneNumberErrors).toEqual([
        {
          PhoneNumberId: '+12065550010',
          ErrorCode: 'Conflict',
          ErrorMessage: `Phone number +12065550010 is already associated with voice connector ${a.VoiceConnectorId}; set ForceAssociate to move it to voice connector ${b.VoiceConnectorId}.`,
        },
      ]);
      expect(emu().state.phoneNumbers['+12065550010'].Associations[0].Value).toBe(a.VoiceConnectorId);

      const moved = await client.send(
        new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: b.VoiceConnectorId, E164PhoneNumbers: ['+12065550010'], ForceAssociate: true }),
      );
      expect(moved.PhoneNumberErrors).toEqual([]);
      const pn = emu().state.phoneNumbers['+12065550010'];
      expect(pn.Associations.map((x) => [x.Name, x.Value])).toEqual([['VoiceConnectorId', b.VoiceConnectorId]]);
      expect(pn.Status).toBe('Assigned');
      // The old connector no longer holds it, so it can be deleted.
      await client.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: a.VoiceConnectorId }));
    });

    it('PN4: disassociating clears the association back to Unassigned; a number not on the connector is a per-number error', async () => {
      const vc = await createVc();
      seedNumber('+12065550020');
      seedNumber('+12065550021');
      await client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['+12065550020'] }));
      const out = await client.send(
        new DisassociatePhoneNumbersFromVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['+12065550020', '+12065550021', '+12065559999'] }),
      );
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.PhoneNumberErrors!.map((e) => [e.PhoneNumberId, e.ErrorCode])).toEqual([
        ['+12065550021', 'BadRequest'],
        ['+12065559999', 'NotFound'],
      ]);
      expect(out.PhoneNumberErrors![0].ErrorMessage).toBe(`Phone number +12065550021 is not associated with voice connector ${vc.VoiceConnectorId}.`);
      expect(emu().state.phoneNumbers['+12065550020']).toMatchObject({ Status: 'Unassigned', Associations: [] });
    });

    it('associating with an unknown connector or group fails whole with NotFound', async () => {
      seedNumber('+12065550030');
      await expect(
        client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstu1', E164PhoneNumbers: ['+12065550030'] })),
      ).rejects.toThrow('Voice connector abcdefghijklmnopqrstu1 not found.');
      await expect(
        client.send(new AssociatePhoneNumbersWithVoiceConnectorGroupCommand({ VoiceConnectorGroupId: 'nogroup', E164PhoneNumbers: ['+12065550030'] })),
      ).rejects.toBeInstanceOf(NotFoundException);
      expect(emu().state.phoneNumbers['+12065550030'].Status).toBe('Unassigned');
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('origination', () => {
    it('VC4: routes with host, port, protocol, priority and weight; Get and Delete', async () => {
      const vc = await createVc();
      await expect(client.send(new GetVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(
        `Voice connector ${vc.VoiceConnectorId} has no origination settings.`,
      );
      const routes = [
        { Host: 'sbc1.example.com', Port: 5060, Protocol: 'UDP' as const, Priority: 1, Weight: 50 },
        { Host: '8.8.8.8', Protocol: 'TCP' as const, Priority: 2, Weight: 10 },
      ];
      const put = await client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Origination: { Routes: routes, Disabled: false } }));
      expect(put.Origination).toEqual({ Disabled: false, Routes: [routes[0], { ...routes[1], Port: 5060 }] });
      const got = await client.send(new GetVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(got.Origination).toEqual(put.Origination);
      const del = await client.send(new DeleteVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('VC4: IP hosts must be publicly routable; bad host names, missing priority or weight, and empty settings are refused', async () => {
      const vc = await createVc();
      const put = (Routes: any[], Disabled?: boolean) =>
        client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Origination: { Routes, Disabled } }));
      await expect(put([{ ...ROUTE, Host: '10.1.2.3' }])).rejects.toThrow(/host 10\.1\.2\.3 is not a publicly routable address \(in the private range 10\.0\.0\.0\/8\)/);
      await expect(put([{ ...ROUTE, Host: '127.0.0.1' }])).rejects.toThrow(/loopback/);
      await expect(put([{ ...ROUTE, Host: 'bad_host!' }])).rejects.toThrow(/neither an IP address nor a valid host name/);
      await expect(put([{ ...ROUTE, Host: '2600:1f18::1' }])).rejects.toThrow(/IPv6 needs a DUAL_STACK connector/);
      await expect(put([{ Host: 'sbc.example.com', Protocol: 'TCP', Weight: 1 }])).rejects.toThrow(/needs a Priority/);
      await expect(put([{ Host: 'sbc.example.com', Protocol: 'TCP', Priority: 1 }])).rejects.toThrow(/needs a Weight/);
      await expect(put([ROUTE, ROUTE])).rejects.toThrow(/repeats the route sbc\.example\.com:5060\/TCP/);
      await expect(put([], false)).rejects.toThrow(/enabled but has no routes/);
      await expect(client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Origination: {} }))).rejects.toThrow(
        'Origination needs Routes or Disabled (or both).',
      );
      await expect(put([{ ...ROUTE, Priority: 101 }])).rejects.toBeInstanceOf(BadRequestException);
      expect(emu().state.voiceConnectors[vc.VoiceConnectorId!]._origination).toBeUndefined();

      const dual = await createVc({ NetworkType: 'DUAL_STACK' });
      const ok = await client.send(
        new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: dual.VoiceConnectorId, Origination: { Routes: [{ ...ROUTE, Host: '2600:1f18::1' }] } }),
      );
      expect(ok.Origination!.Routes![0].Host).toBe('2600:1f18::1');
      const off = await client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Origination: { Disabled: true } }));
      expect(off.Origination).toEqual({ Disabled: true, Routes: [] });
    });

    it('VC2: an encrypted connector refuses a UDP route, and encryption cannot be turned on over UDP routes', async () => {
      const enc = await createVc({ RequireEncryption: true });
      const err = await client
        .send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: enc.VoiceConnectorId, Origination: { Routes: [{ ...ROUTE, Protocol: 'UDP' }] } }))
        .catch((e) => e);
      expect(err).toBeInstanceOf(BadRequestException);
      expect(err.message).toContain(`voice connector ${enc.VoiceConnectorId} requires encryption, so every inbound call uses TLS over TCP; a UDP route to sbc.example.com cannot be used`);
      // Without a protocol, an encrypted connector's route is TCP.
      const ok = await client.send(
        new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: enc.VoiceConnectorId, Origination: { Routes: [{ Host: 'sbc.example.com', Priority: 1, Weight: 1 }] } }),
      );
      expect(ok.Origination!.Routes![0].Protocol).toBe('TCP');

      const plain = await createVc();
      await client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: plain.VoiceConnectorId, Origination: { Routes: [{ ...ROUTE, Protocol: 'UDP' }] } }));
      await expect(
        client.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: plain.VoiceConnectorId, Name: 'trunk', RequireEncryption: true })),
      ).rejects.toThrow(/Cannot require encryption on voice connector .*: its origination routes to sbc\.example\.com use UDP/);
      expect(emu().state.voiceConnectors[plain.VoiceConnectorId!].RequireEncryption).toBe(false);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('termination', () => {
    it('VC3: put, get and delete termination; CpsLimit defaults to 1', async () => {
      const vc = await createVc();
      seedNumber('+12065550040');
      await expect(client.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(
        `Voice connector ${vc.VoiceConnectorId} has no termination settings.`,
      );
      const put = await client.send(
        new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: { ...TERMINATION, DefaultPhoneNumber: '+12065550040' } }),
      );
      expect(put.Termination).toEqual({ CpsLimit: 1, CallingRegions: ['US', 'CA'], CidrAllowedList: [PUBLIC_CIDR], Disabled: false, DefaultPhoneNumber: '+12065550040' });
      const got = await client.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(got.Termination).toEqual(put.Termination);
      await client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: { ...TERMINATION, CpsLimit: 5 } }));
      expect((await client.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).Termination!.CpsLimit).toBe(5);
      const del = await client.send(new DeleteVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('VC3: CIDRs must parse and be publicly routable; calling regions and the default number are checked; a refused put changes nothing', async () => {
      const vc = await createVc();
      await client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: TERMINATION }));
      const put = (t: Record<string, unknown>) =>
        client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: { ...TERMINATION, ...t } }));
      await expect(put({ CidrAllowedList: ['300.1.2.0/24'] })).rejects.toThrow(/"300\.1\.2\.0\/24" is not a CIDR block/);
      await expect(put({ CidrAllowedList: ['54.239.98.7'] })).rejects.toThrow(/is not a CIDR block/);
      await expect(put({ CidrAllowedList: ['192.168.1.0/24'] })).rejects.toThrow(/CidrAllowedList entry 192\.168\.1\.0\/24 is not publicly routable \(in the private range/);
      await expect(put({ CidrAllowedList: ['0.0.0.0/0'] })).rejects.toThrow(/0\.0\.0\.0\/0 is not publicly routable/);
      await expect(put({ CidrAllowedList: ['100.64.0.0/16'] })).rejects.toThrow(/carrierGradeNat/);
      await expect(put({ CidrAllowedList: ['2600:1f18::/32'] })).rejects.toThrow(/IPv6 needs a DUAL_STACK connector/);
      await expect(put({ CallingRegions: [] })).rejects.toThrow(/needs CallingRegions/);
      await expect(put({ CallingRegions: ['XX'] })).rejects.toThrow(/CallingRegions entry "XX" is not an ISO 3166-1 alpha-2 country code/);
      await expect(put({ CallingRegions: ['US', 'US'] })).rejects.toThrow(/CallingRegions lists US more than once/);
      await expect(put({ DefaultPhoneNumber: '+12065559999' })).rejects.toThrow(/DefaultPhoneNumber \+12065559999 is not in the phone number inventory/);
      seedNumber('+12065550041', { ProductType: 'SipMediaApplicationDialIn' });
      await expect(put({ DefaultPhoneNumber: '+12065550041' })).rejects.toThrow(/must be a VoiceConnector number/);
      await expect(put({ CpsLimit: 0 })).rejects.toBeInstanceOf(BadRequestException);
      const got = await client.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(got.Termination).toEqual({ ...TERMINATION, CpsLimit: 1 });

      const dual = await createVc({ NetworkType: 'DUAL_STACK' });
      const ok = await client.send(
        new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: dual.VoiceConnectorId, Termination: { ...TERMINATION, CidrAllowedList: ['2600:1f18::/32', PUBLIC_CIDR] } }),
      );
      expect(ok.Termination!.CidrAllowedList).toEqual(['2600:1f18::/32', PUBLIC_CIDR]);
      await expect(
        client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: dual.VoiceConnectorId, Termination: { ...TERMINATION, CidrAllowedList: ['fd00::/8'] } })),
      ).rejects.toThrow(/not publicly routable/);
    });

    it('VC3: termination health is absent until termination is on, then the last SIP OPTIONS ping from an allowed host', async () => {
      const vc = await createVc();
      const health = async () => (await client.send(new GetVoiceConnectorTerminationHealthCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).TerminationHealth!;
      expect(await health()).toEqual({});
      await client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: TERMINATION }));
      const first = await health();
      expect(first.Timestamp).toBeInstanceOf(Date);
      expect(ipaddr.parse(first.Source!).match(ipaddr.parseCIDR(PUBLIC_CIDR))).toBe(true);
      emu().clock.advance(5 * 60_000 + 1_000);
      const later = await health();
      expect(later.Timestamp!.getTime() - first.Timestamp!.getTime()).toBe(5 * 60_000);
      expect(later.Timestamp!.getTime()).toBeLessThanOrEqual(emu().clock.now().getTime());
      await client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: { ...TERMINATION, Disabled: true } }));
      expect(await health()).toEqual({});
      await expect(client.send(new GetVoiceConnectorTerminationHealthCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstu1' }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('VC3: termination credentials: put, list (user names only), delete', async () => {
      const vc = await createVc();
      const put = await client.send(
        new PutVoiceConnectorTerminationCredentialsCommand({
          VoiceConnectorId: vc.VoiceConnectorId,
          Credentials: [
            { Username: 'pbx1', Password: 'S3cret-one' },
            { Username: 'pbx2', Password: 'S3cret-two' },
          ],
        }),
      );
      expect(put.$metadata.httpStatusCode).toBe(204);
      const list = await client.send(new ListVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(list.Usernames).toEqual(['pbx1', 'pbx2']);
      expect(JSON.stringify(emu().state)).not.toContain('S3cret');

      await expect(
        client.send(new PutVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: vc.VoiceConnectorId, Credentials: [{ Username: 'pbx3' }] })),
      ).rejects.toThrow(/Password must be non-empty/);
      await expect(
        client.send(
          new PutVoiceConnectorTerminationCredentialsCommand({
            VoiceConnectorId: vc.VoiceConnectorId,
            Credentials: [
              { Username: 'pbx3', Password: 'a' },
              { Username: 'pbx3', Password: 'b' },
            ],
          }),
        ),
      ).rejects.toThrow(/Credentials lists pbx3 more than once/);
      await expect(
        client.send(new DeleteVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: vc.VoiceConnectorId, Usernames: ['pbx1', 'ghost'] })),
      ).rejects.toThrow(`Voice connector ${vc.VoiceConnectorId} has no termination credentials for ghost.`);
      const del = await client.send(new DeleteVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: vc.VoiceConnectorId, Usernames: ['pbx1'] }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      expect((await client.send(new ListVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).Usernames).toEqual(['pbx2']);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('emergency calling', () => {
    it('VC5: emergency calling needs termination and origination enabled', async () => {
      const vc = await createVc();
      await expect(
        client.send(new PutVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, EmergencyCallingConfiguration: DNIS })),
      ).rejects.toThrow(`Emergency calling on voice connector ${vc.VoiceConnectorId} needs termination and origination enabled first; termination and origination is not enabled.`);
      await client.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: TERMINATION }));
      await expect(
        client.send(new PutVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, EmergencyCallingConfiguration: DNIS })),
      ).rejects.toThrow(/origination is not enabled/);
      await client.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Origination: { Routes: [ROUTE] } }));
      const put = await client.send(new PutVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, EmergencyCallingConfiguration: DNIS }));
      expect(put.EmergencyCallingConfiguration).toEqual(DNIS);
      const got = await client.send(new GetVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(got.EmergencyCallingConfiguration).toEqual(DNIS);
    });

    it('VC5: termination cannot be disabled or deleted, nor origination removed, while emergency calling is configured', async () => {
      const vc = await readyForEmergency();
      await client.send(new PutVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, EmergencyCallingConfiguration: DNIS }));
      const disable = await client
        .send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: { ...TERMINATION, Disabled: true } }))
        .catch((e) => e);
      expect(disable).toBeInstanceOf(BadRequestException);
      expect(disable.message).toBe(
        `Cannot disable termination of voice connector ${vc.VoiceConnectorId}: emergency calling is configured, and it needs termination and origination enabled. Delete the emergency calling configuration first.`,
      );
      await expect(client.send(new DeleteVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(
        /Cannot delete the termination settings of voice connector .*: emergency calling is configured/,
      );
      await expect(client.send(new DeleteVoiceConnectorOriginationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(/emergency calling is configured/);
      expect(emu().state.voiceConnectors[vc.VoiceConnectorId!]._termination).toMatchObject({ Disabled: false });

      const del = await client.send(new DeleteVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(
        NotFoundException,
      );
      await client.send(new DeleteVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
    });

    it('VC5: routing numbers are US E.164 numbers and the calling country is US', async () => {
      const vc = await readyForEmergency();
      const put = (DNIS: any[]) =>
        client.send(new PutVoiceConnectorEmergencyCallingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, EmergencyCallingConfiguration: { DNIS } }));
      await expect(put([{ EmergencyPhoneNumber: '+442071234567', CallingCountry: 'US' }])).rejects.toThrow(/EmergencyPhoneNumber \+442071234567 is not a US number/);
      await expect(put([{ EmergencyPhoneNumber: '+12065550100', TestPhoneNumber: '+33123456789', CallingCountry: 'US' }])).rejects.toThrow(/TestPhoneNumber/);
      await expect(put([{ EmergencyPhoneNumber: '+12065550100', CallingCountry: 'CA' }])).rejects.toThrow(/CallingCountry CA is not supported/);
      await expect(put([])).rejects.toThrow(/at least one DNIS entry/);
      expect(emu().state.voiceConnectors[vc.VoiceConnectorId!]._emergencyCalling).toBeUndefined();
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('streaming, logging, external systems, proxy', () => {
    it('VC6: streaming with retention, 1 to 3 notification targets and a media insights configuration that exists', async () => {
      const vc = await createVc();
      await expect(client.send(new GetVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(
        `Voice connector ${vc.VoiceConnectorId} has no streaming configuration.`,
      );
      const missingArn = `arn:aws:chime:us-east-1:${ACCOUNT}:media-insights-pipeline-configuration/nope`;
      const put = (StreamingConfiguration: any) => client.send(new PutVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, StreamingConfiguration }));
      const err = await put({ DataRetentionInHours: 24, Disabled: false, MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: missingArn } }).catch((e) => e);
      expect(err).toBeInstanceOf(NotFoundException);
      expect(err.message).toBe(`Media insights pipeline configuration ${missingArn} not found; create the call analytics configuration first.`);
      await expect(put({ DataRetentionInHours: 24, Disabled: false, StreamingNotificationTargets: [] })).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        put({ DataRetentionInHours: 24, Disabled: false, StreamingNotificationTargets: [{ NotificationTarget: 'SNS' }, { NotificationTarget: 'SQS' }, { NotificationTarget: 'EventBridge' }, { NotificationTarget: 'SNS' }] }),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(put({ DataRetentionInHours: 24, Disabled: false, StreamingNotificationTargets: [{ NotificationTarget: 'SNS' }, { NotificationTarget: 'SNS' }] })).rejects.toThrow(
        /StreamingNotificationTargets lists SNS more than once/,
      );
      await expect(put({ DataRetentionInHours: 24, Disabled: false, MediaInsightsConfiguration: { Disabled: false } })).rejects.toThrow(/has no ConfigurationArn/);
      await expect(put({ DataRetentionInHours: -1, Disabled: false })).rejects.toBeInstanceOf(BadRequestException);
      const otherRegion = seedMediaInsightsConfiguration('west', 'us-west-2');
      await expect(put({ DataRetentionInHours: 24, Disabled: false, MediaInsightsConfiguration: { ConfigurationArn: otherRegion } })).rejects.toThrow(/needs both in one region/);
      expect(emu().state.voiceConnectors[vc.VoiceConnectorId!]._streaming).toBeUndefined();

      const arn = seedMediaInsightsConfiguration('analytics');
      const config = {
        DataRetentionInHours: 0,
        Disabled: false,
        StreamingNotificationTargets: [{ NotificationTarget: 'EventBridge' }, { NotificationTarget: 'SQS' }],
        MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: arn },
      };
      expect((await put(config)).StreamingConfiguration).toEqual(config);
      expect((await client.send(new GetVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).StreamingConfiguration).toEqual(config);
      expect((await put({ DataRetentionInHours: 48, Disabled: true })).StreamingConfiguration).toEqual({ DataRetentionInHours: 48, Disabled: true });
      const del = await client.send(new DeleteVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('VC6: a configuration made through the media pipelines client can be linked, and is then in use (A2) until unlinked', async () => {
      const vc = await createVc();
      const pipelines = pipelinesClient(emu());
      const config = (
        await pipelines.send(
          new CreateMediaInsightsPipelineConfigurationCommand({
            MediaInsightsPipelineConfigurationName: 'rec',
            ResourceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
            Elements: [{ Type: 'S3RecordingSink', S3RecordingSinkConfiguration: { Destination: 'arn:aws:s3:::bucket', RecordingFileFormat: 'Opus' } }],
          }),
        )
      ).MediaInsightsPipelineConfiguration!;
      const arn = config.MediaInsightsPipelineConfigurationArn!;
      await client.send(
        new PutVoiceConnectorStreamingConfigurationCommand({
          VoiceConnectorId: vc.VoiceConnectorId,
          StreamingConfiguration: { DataRetentionInHours: 1, Disabled: false, MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: arn } },
        }),
      );
      await expect(pipelines.send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: arn }))).rejects.toBeInstanceOf(PipelinesConflict);
      await client.send(new DeleteVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      await pipelines.send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: arn }));
      await expect(
        client.send(
          new PutVoiceConnectorStreamingConfigurationCommand({
            VoiceConnectorId: vc.VoiceConnectorId,
            StreamingConfiguration: { DataRetentionInHours: 1, Disabled: false, MediaInsightsConfiguration: { ConfigurationArn: arn } },
          }),
        ),
      ).rejects.toBeInstanceOf(NotFoundException);
    });

    it('VC7: logging is off by default; put turns each log on, and a member left out keeps its value', async () => {
      const vc = await createVc();
      const get = async () => (await client.send(new GetVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).LoggingConfiguration;
      expect(await get()).toEqual({ EnableSIPLogs: false, EnableMediaMetricLogs: false });
      const put = await client.send(new PutVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, LoggingConfiguration: { EnableSIPLogs: true } }));
      expect(put.LoggingConfiguration).toEqual({ EnableSIPLogs: true, EnableMediaMetricLogs: false });
      await client.send(new PutVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, LoggingConfiguration: { EnableMediaMetricLogs: true } }));
      expect(await get()).toEqual({ EnableSIPLogs: true, EnableMediaMetricLogs: true });
      await expect(client.send(new GetVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: 'abcdefghijklmnopqrstu1' }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('external systems configuration: put, get, delete; an empty one is refused', async () => {
      const vc = await createVc();
      await expect(client.send(new PutVoiceConnectorExternalSystemsConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(
        /needs at least one SessionBorderControllerTypes or ContactCenterSystemTypes entry/,
      );
      await expect(
        client.send(new PutVoiceConnectorExternalSystemsConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId, SessionBorderControllerTypes: ['NOT_AN_SBC' as any] })),
      ).rejects.toBeInstanceOf(BadRequestException);
      const put = await client.send(
        new PutVoiceConnectorExternalSystemsConfigurationCommand({
          VoiceConnectorId: vc.VoiceConnectorId,
          SessionBorderControllerTypes: ['RIBBON_SBC', 'AVAYA_SBCE'],
          ContactCenterSystemTypes: ['GENESYS_ENGAGE_ON_PREMISES'],
        }),
      );
      const expected = { SessionBorderControllerTypes: ['RIBBON_SBC', 'AVAYA_SBCE'], ContactCenterSystemTypes: ['GENESYS_ENGAGE_ON_PREMISES'] };
      expect(put.ExternalSystemsConfiguration).toEqual(expected);
      expect((await client.send(new GetVoiceConnectorExternalSystemsConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).ExternalSystemsConfiguration).toEqual(expected);
      await client.send(new DeleteVoiceConnectorExternalSystemsConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      await expect(client.send(new GetVoiceConnectorExternalSystemsConfigurationCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toThrow(
        `Voice connector ${vc.VoiceConnectorId} has no external systems configuration.`,
      );
    });

    it('proxy: put, get, delete; expiry and countries are checked', async () => {
      const vc = await createVc();
      await expect(
        client.send(new PutVoiceConnectorProxyCommand({ VoiceConnectorId: vc.VoiceConnectorId, DefaultSessionExpiryMinutes: 0, PhoneNumberPoolCountries: ['US'] })),
      ).rejects.toThrow(/DefaultSessionExpiryMinutes must be a whole number of minutes, at least 1/);
      await expect(
        client.send(new PutVoiceConnectorProxyCommand({ VoiceConnectorId: vc.VoiceConnectorId, DefaultSessionExpiryMinutes: 60, PhoneNumberPoolCountries: ['ZZ'] })),
      ).rejects.toThrow(/PhoneNumberPoolCountries entry "ZZ"/);
      const put = await client.send(
        new PutVoiceConnectorProxyCommand({ VoiceConnectorId: vc.VoiceConnectorId, DefaultSessionExpiryMinutes: 60, PhoneNumberPoolCountries: ['US'], FallBackPhoneNumber: '+12065550199' }),
      );
      const expected = { DefaultSessionExpiryMinutes: 60, Disabled: false, PhoneNumberCountries: ['US'], FallBackPhoneNumber: '+12065550199' };
      expect(put.Proxy).toEqual(expected);
      expect((await client.send(new GetVoiceConnectorProxyCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).Proxy).toEqual(expected);
      const del = await client.send(new DeleteVoiceConnectorProxyCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetVoiceConnectorProxyCommand({ VoiceConnectorId: vc.VoiceConnectorId }))).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('voice connector groups', () => {
    it('G2: a group holds connectors from different regions, each with a priority; get, list, update', async () => {
      const east = await createVc({ Name: 'east', AwsRegion: 'us-east-1' });
      const west = await createVc({ Name: 'west', AwsRegion: 'us-west-2' });
      const created = await client.send(
        new CreateVoiceConnectorGroupCommand({
          Name: 'failover',
          VoiceConnectorItems: [
            { VoiceConnectorId: east.VoiceConnectorId, Priority: 1 },
            { VoiceConnectorId: west.VoiceConnectorId, Priority: 2 },
          ],
        }),
      );
      expect(created.$metadata.httpStatusCode).toBe(201);
      const group = created.VoiceConnectorGroup!;
      expect(group.VoiceConnectorGroupId).toMatch(/^[a-z0-9]+$/);
      expect(group.VoiceConnectorGroupArn).toBe(`arn:aws:chime:us-east-1:${ACCOUNT}:vcg/${group.VoiceConnectorGroupId}`);
      expect(group.VoiceConnectorItems).toEqual([
        { VoiceConnectorId: east.VoiceConnectorId, Priority: 1 },
        { VoiceConnectorId: west.VoiceConnectorId, Priority: 2 },
      ]);
      expect((await client.send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId }))).VoiceConnectorGroup).toEqual(group);

      emu().clock.advance(1000);
      const updated = await client.send(
        new UpdateVoiceConnectorGroupCommand({
          VoiceConnectorGroupId: group.VoiceConnectorGroupId,
          Name: 'failover-2',
          VoiceConnectorItems: [{ VoiceConnectorId: west.VoiceConnectorId, Priority: 1 }],
          CallDistributionType: 'LoadBalancedDistribution',
        }),
      );
      expect(updated.$metadata.httpStatusCode).toBe(202);
      expect(updated.VoiceConnectorGroup).toMatchObject({
        Name: 'failover-2',
        VoiceConnectorItems: [{ VoiceConnectorId: west.VoiceConnectorId, Priority: 1 }],
        CallDistributionType: 'LoadBalancedDistribution',
      });
      expect(updated.VoiceConnectorGroup!.UpdatedTimestamp!.getTime()).toBeGreaterThan(group.UpdatedTimestamp!.getTime());

      const second = (await client.send(new CreateVoiceConnectorGroupCommand({ Name: 'empty' }))).VoiceConnectorGroup!;
      const p1 = await client.send(new ListVoiceConnectorGroupsCommand({ MaxResults: 1 }));
      expect(p1.VoiceConnectorGroups!.map((g) => g.VoiceConnectorGroupId)).toEqual([group.VoiceConnectorGroupId]);
      const p2 = await client.send(new ListVoiceConnectorGroupsCommand({ MaxResults: 1, NextToken: p1.NextToken }));
      expect(p2.VoiceConnectorGroups!.map((g) => g.VoiceConnectorGroupId)).toEqual([second.VoiceConnectorGroupId]);
      expect(p2.NextToken).toBeUndefined();
    });

    it('G2: unknown, repeated, unprioritised or more than 3 connectors are refused', async () => {
      const vcs = [];
      for (let i = 0; i < 4; i++) vcs.push(await createVc({ Name: `vc${i}` }));
      const create = (items: any[]) => client.send(new CreateVoiceConnectorGroupCommand({ Name: 'g', VoiceConnectorItems: items }));
      await expect(create([{ VoiceConnectorId: 'abcdefghijklmnopqrstu1', Priority: 1 }])).rejects.toThrow(
        'Voice connector abcdefghijklmnopqrstu1 (VoiceConnectorItems entry 1) not found.',
      );
      await expect(create([{ VoiceConnectorId: vcs[0].VoiceConnectorId, Priority: 1 }, { VoiceConnectorId: vcs[0].VoiceConnectorId, Priority: 2 }])).rejects.toThrow(
        /lists voice connector .* more than once/,
      );
      await expect(create([{ VoiceConnectorId: vcs[0].VoiceConnectorId }])).rejects.toThrow(/needs a Priority/);
      await expect(create(vcs.map((v, i) => ({ VoiceConnectorId: v.VoiceConnectorId, Priority: i + 1 })))).rejects.toThrow(/at most 3 voice connectors; 4 were given/);
      await expect(create([{ VoiceConnectorId: vcs[0].VoiceConnectorId, Priority: 100 }])).rejects.toBeInstanceOf(BadRequestException);
      expect(emu().state.voiceConnectorGroups).toEqual({});
    });

    it('G1: at most 3 voice connector groups per account', async () => {
      for (let i = 0; i < 3; i++) await client.send(new CreateVoiceConnectorGroupCommand({ Name: `g${i}` }));
      const err = await client.send(new CreateVoiceConnectorGroupCommand({ Name: 'g3' })).catch((e) => e);
      expect(err).toBeInstanceOf(ResourceLimitExceededException);
      expect(err.message).toBe(`Account ${ACCOUNT} already has 3 voice connector groups, the most it can have (3).`);
      expect(Object.keys(emu().state.voiceConnectorGroups)).toHaveLength(3);
    });

    it('G3: a group with connectors or numbers cannot be deleted; an empty one can', async () => {
      const vc = await createVc();
      seedNumber('+12065550050');
      const group = (await client.send(new CreateVoiceConnectorGroupCommand({ Name: 'g', VoiceConnectorItems: [{ VoiceConnectorId: vc.VoiceConnectorId, Priority: 1 }] })))
        .VoiceConnectorGroup!;
      const withItems = await client.send(new DeleteVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId })).catch((e) => e);
      expect(withItems).toBeInstanceOf(ConflictException);
      expect(withItems.Code).toBe('VoiceConnectorGroupAssociationsExist');
      expect(withItems.message).toContain(`cannot be deleted while it holds voice connectors (${vc.VoiceConnectorId})`);

      await client.send(new UpdateVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, Name: 'g', VoiceConnectorItems: [] }));
      await client.send(new AssociatePhoneNumbersWithVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, E164PhoneNumbers: ['+12065550050'] }));
      const withNumbers = await client.send(new DeleteVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId })).catch((e) => e);
      expect(withNumbers).toBeInstanceOf(ConflictException);
      expect(withNumbers.Code).toBe('PhoneNumberAssociationsExist');
      expect(withNumbers.message).toContain('(+12065550050)');

      await client.send(new DisassociatePhoneNumbersFromVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, E164PhoneNumbers: ['+12065550050'] }));
      const del = await client.send(new DeleteVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId }))).rejects.toThrow(
        `Voice connector group ${group.VoiceConnectorGroupId} not found.`,
      );
    });

    it('PN4, API4: group associations write VoiceConnectorGroupId; ForceAssociate moves a number from a connector to a group', async () => {
      const vc = await createVc();
      const group = (await client.send(new CreateVoiceConnectorGroupCommand({ Name: 'g' }))).VoiceConnectorGroup!;
      seedNumber('+12065550060');
      seedNumber('+12065550061', { ProductType: 'SipMediaApplicationDialIn' });
      await client.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['+12065550060'] }));

      const refused = await client.send(
        new AssociatePhoneNumbersWithVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, E164PhoneNumbers: ['+12065550060', '+12065550061'] }),
      );
      expect(refused.$metadata.httpStatusCode).toBe(200);
      expect(refused.PhoneNumberErrors!.map((e) => [e.PhoneNumberId, e.ErrorCode])).toEqual([
        ['+12065550060', 'Conflict'],
        ['+12065550061', 'BadRequest'],
      ]);
      const moved = await client.send(
        new AssociatePhoneNumbersWithVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, E164PhoneNumbers: ['+12065550060'], ForceAssociate: true }),
      );
      expect(moved.PhoneNumberErrors).toEqual([]);
      expect(emu().state.phoneNumbers['+12065550060']).toMatchObject({
        Status: 'Assigned',
        Associations: [{ Name: 'VoiceConnectorGroupId', Value: group.VoiceConnectorGroupId, AssociatedTimestamp: expect.any(String) }],
      });
      // Disassociating from the connector it left is a per-number error; from the group it works.
      const wrong = await client.send(new DisassociatePhoneNumbersFromVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId, E164PhoneNumbers: ['+12065550060'] }));
      expect(wrong.PhoneNumberErrors).toHaveLength(1);
      const out = await client.send(
        new DisassociatePhoneNumbersFromVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group.VoiceConnectorGroupId, E164PhoneNumbers: ['+12065550060'] }),
      );
      expect(out.PhoneNumberErrors).toEqual([]);
      expect(emu().state.phoneNumbers['+12065550060']).toMatchObject({ Status: 'Unassigned', Associations: [] });
    });
  });
});
