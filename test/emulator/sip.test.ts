/**
 * SIP media applications and SIP rules (rules S1-S4), through the real v3 client. Phone numbers and
 * voice connectors belong to other families: the tests seed their records into the state directly.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateSipMediaApplicationCommand,
  CreateSipRuleCommand,
  DeleteSipMediaApplicationCommand,
  DeleteSipRuleCommand,
  GetSipMediaApplicationAlexaSkillConfigurationCommand,
  GetSipMediaApplicationCommand,
  GetSipMediaApplicationLoggingConfigurationCommand,
  GetSipRuleCommand,
  ListSipMediaApplicationsCommand,
  ListSipRulesCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  PutSipMediaApplicationAlexaSkillConfigurationCommand,
  PutSipMediaApplicationLoggingConfigurationCommand,
  UpdateSipMediaApplicationCommand,
  UpdateSipRuleCommand,
  type SipRuleTargetApplication,
} from '@aws-sdk/client-chime-sdk-voice';
import { sip } from '../../src/emulator/services/sip.js';
import { account } from '../../src/emulator/services/account.js';
import { analytics } from '../../src/emulator/services/analytics.js';
import { emptyState, type PhoneNumberRecord } from '../../src/emulator/core/state.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const ACCOUNT = '111122223333';
const lambda = (region: string, fn = 'handler') => `arn:aws:lambda:${region}:${ACCOUNT}:function:${fn}`;

describe('SIP media applications and SIP rules', () => {
  const emu = withEmulator({ services: [sip, analytics, account], accountId: ACCOUNT });
  const client = () => voiceClient(emu());

  beforeEach(() => emu().resetState(emptyState()));

  function seedNumber(e164: string, productType: PhoneNumberRecord['ProductType'] = 'SipMediaApplicationDialIn', extra: Partial<PhoneNumberRecord> = {}) {
    const now = emu().clock.now().toISOString();
    emu().state.phoneNumbers[e164] = {
      PhoneNumberId: e164,
      E164PhoneNumber: e164,
      PhoneNumberArn: `arn:aws:chime:us-east-1:${ACCOUNT}:pn/${e164}`,
      Country: 'US',
      Type: 'Local',
      ProductType: productType,
      Status: 'Unassigned',
      Capabilities: {},
      Associations: [],
      CallingNameStatus: 'Unassigned',
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
      ...extra,
    };
    return emu().state.phoneNumbers[e164];
  }

  function seedConnector(id = 'abcdefghij0123456789ab') {
    const now = emu().clock.now().toISOString();
    emu().state.voiceConnectors[id] = {
      VoiceConnectorId: id,
      AwsRegion: 'us-east-1',
      Name: 'trunk',
      OutboundHostName: `${id}.voiceconnector.chime.aws`,
      RequireEncryption: true,
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
      VoiceConnectorArn: `arn:aws:chime:us-east-1:${ACCOUNT}:vc/${id}`,
      NetworkType: 'IPV4_ONLY',
    };
    return emu().state.voiceConnectors[id];
  }

  async function createApp(region = 'us-east-1', name = 'ivr') {
    const out = await client().send(new CreateSipMediaApplicationCommand({ AwsRegion: region, Name: name, Endpoints: [{ LambdaArn: lambda(region) }] }));
    return out.SipMediaApplication!;
  }

  const target = (app: { SipMediaApplicationId?: string; AwsRegion?: string }, priority = 1): SipRuleTargetApplication => ({
    SipMediaApplicationId: app.SipMediaApplicationId,
    AwsRegion: app.AwsRegion,
    Priority: priority,
  });

  describe('SIP media applications', () => {
    it('S1: creates an application with one same-region Lambda endpoint and tags, then gets and lists it', async () => {
      const out = await client().send(
        new CreateSipMediaApplicationCommand({
          AwsRegion: 'us-west-2',
          Name: 'my app',
          Endpoints: [{ LambdaArn: lambda('us-west-2', 'fn') + ':prod' }],
          Tags: [{ Key: 'team', Value: 'voice' }],
        }),
      );
      expect(out.$metadata.httpStatusCode).toBe(201);
      const app = out.SipMediaApplication!;
      expect(app.SipMediaApplicationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(app.SipMediaApplicationArn).toBe(`arn:aws:chime:us-west-2:${ACCOUNT}:sma/${app.SipMediaApplicationId}`);
      expect(app.AwsRegion).toBe('us-west-2');
      expect(app.CreatedTimestamp).toBeInstanceOf(Date);

      const got = await client().send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(got.SipMediaApplication).toEqual(app);
      const tags = await client().send(new ListTagsForResourceCommand({ ResourceARN: app.SipMediaApplicationArn }));
      expect(tags.Tags).toEqual([{ Key: 'team', Value: 'voice' }]);
      const list = await client().send(new ListSipMediaApplicationsCommand({}));
      expect(list.SipMediaApplications?.map((a) => a.SipMediaApplicationId)).toEqual([app.SipMediaApplicationId]);
    });

    it('S1: refuses a Lambda endpoint in another region than the application', async () => {
      await expect(
        client().send(new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'x', Endpoints: [{ LambdaArn: lambda('us-west-2') }] })),
      ).rejects.toThrow(/is in region us-west-2; the Lambda function must be in the application's region us-east-1/);
      await expect(
        client().send(new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'x', Endpoints: [{ LambdaArn: lambda('us-west-2') }] })),
      ).rejects.toBeInstanceOf(BadRequestException);
      expect(Object.keys(emu().state.sipMediaApplications)).toHaveLength(0);
    });

    it('S1: refuses two endpoints (the model allows exactly one) and a region without PSTN audio', async () => {
      await expect(
        client().send(
          new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'x', Endpoints: [{ LambdaArn: lambda('us-east-1') }, { LambdaArn: lambda('us-east-1', 'b') }] }),
        ),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        client().send(new CreateSipMediaApplicationCommand({ AwsRegion: 'sa-east-1', Name: 'x', Endpoints: [{ LambdaArn: lambda('sa-east-1') }] })),
      ).rejects.toThrow(/sa-east-1 is not a region of the PSTN audio service/);
    });

    it('S1: name and endpoint change on update, the region never does', async () => {
      const app = await createApp('us-east-1');
      emu().clock.advance(1000);
      const out = await client().send(
        new UpdateSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId, Name: 'renamed', Endpoints: [{ LambdaArn: lambda('us-east-1', 'v2') }] }),
      );
      expect(out.SipMediaApplication?.Name).toBe('renamed');
      expect(out.SipMediaApplication?.Endpoints).toEqual([{ LambdaArn: lambda('us-east-1', 'v2') }]);
      expect(out.SipMediaApplication?.AwsRegion).toBe('us-east-1');
      expect(out.SipMediaApplication!.UpdatedTimestamp!.getTime()).toBeGreaterThan(app.UpdatedTimestamp!.getTime());
      // An endpoint elsewhere would move the application out of its region.
      await expect(
        client().send(new UpdateSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId, Endpoints: [{ LambdaArn: lambda('eu-west-2') }] })),
      ).rejects.toThrow(/must be in the application's region us-east-1/);
      const got = await client().send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(got.SipMediaApplication?.Endpoints).toEqual([{ LambdaArn: lambda('us-east-1', 'v2') }]);
    });

    it('answers NotFound for an unknown application on every call', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      for (const cmd of [
        new GetSipMediaApplicationCommand({ SipMediaApplicationId: id }),
        new UpdateSipMediaApplicationCommand({ SipMediaApplicationId: id, Name: 'x' }),
        new DeleteSipMediaApplicationCommand({ SipMediaApplicationId: id }),
        new GetSipMediaApplicationLoggingConfigurationCommand({ SipMediaApplicationId: id }),
        new GetSipMediaApplicationAlexaSkillConfigurationCommand({ SipMediaApplicationId: id }),
      ]) {
        await expect(client().send(cmd as any)).rejects.toBeInstanceOf(NotFoundException);
      }
      await expect(client().send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: id }))).rejects.toThrow(`SIP media application ${id} not found.`);
    });

    it('pages the applications with MaxResults and an opaque NextToken (API3)', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await createApp('us-east-1', `app${i}`)).SipMediaApplicationId!);
        emu().clock.advance(10);
      }
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await client().send(new ListSipMediaApplicationsCommand({ MaxResults: 2, NextToken: token }));
        expect(page.SipMediaApplications!.length).toBeLessThanOrEqual(2);
        seen.push(...page.SipMediaApplications!.map((a) => a.SipMediaApplicationId!));
        token = page.NextToken;
      } while (token);
      expect(seen).toEqual(ids);
      await expect(client().send(new ListSipMediaApplicationsCommand({ NextToken: 'garbage' }))).rejects.toBeInstanceOf(BadRequestException);
    });

    it('keeps the logging configuration (message logs off until turned on)', async () => {
      const app = await createApp();
      const before = await client().send(new GetSipMediaApplicationLoggingConfigurationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(before.SipMediaApplicationLoggingConfiguration).toEqual({ EnableSipMediaApplicationMessageLogs: false });
      const put = await client().send(
        new PutSipMediaApplicationLoggingConfigurationCommand({
          SipMediaApplicationId: app.SipMediaApplicationId,
          SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: true },
        }),
      );
      expect(put.SipMediaApplicationLoggingConfiguration).toEqual({ EnableSipMediaApplicationMessageLogs: true });
      const after = await client().send(new GetSipMediaApplicationLoggingConfigurationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(after.SipMediaApplicationLoggingConfiguration).toEqual({ EnableSipMediaApplicationMessageLogs: true });
    });

    it('keeps the Alexa skill configuration and validates the skill id pattern', async () => {
      const app = await createApp();
      const empty = await client().send(new GetSipMediaApplicationAlexaSkillConfigurationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(empty.SipMediaApplicationAlexaSkillConfiguration).toBeUndefined();
      const skill = 'amzn1.application-oa2-client.' + 'a'.repeat(32);
      await client().send(
        new PutSipMediaApplicationAlexaSkillConfigurationCommand({
          SipMediaApplicationId: app.SipMediaApplicationId,
          SipMediaApplicationAlexaSkillConfiguration: { AlexaSkillStatus: 'ACTIVE', AlexaSkillIds: [skill] },
        }),
      );
      const got = await client().send(new GetSipMediaApplicationAlexaSkillConfigurationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(got.SipMediaApplicationAlexaSkillConfiguration).toEqual({ AlexaSkillStatus: 'ACTIVE', AlexaSkillIds: [skill] });
      await expect(
        client().send(
          new PutSipMediaApplicationAlexaSkillConfigurationCommand({
            SipMediaApplicationId: app.SipMediaApplicationId,
            SipMediaApplicationAlexaSkillConfiguration: { AlexaSkillStatus: 'ACTIVE', AlexaSkillIds: ['not-a-skill'] },
          }),
        ),
      ).rejects.toBeInstanceOf(BadRequestException);
    });
  });

  describe('SIP rules', () => {
    it('S2: a ToPhoneNumber rule on a dial-in number of the inventory assigns the number; deleting the rule frees it', async () => {
      const app = await createApp();
      seedNumber('+12065550100');
      const out = await client().send(
        new CreateSipRuleCommand({ Name: 'inbound', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550100', TargetApplications: [target(app)] }),
      );
      expect(out.$metadata.httpStatusCode).toBe(201);
      const rule = out.SipRule!;
      expect(rule.SipRuleId).toMatch(/^[0-9a-f-]{36}$/);
      expect(rule.Disabled).toBe(false);
      expect(rule.TargetApplications).toEqual([{ SipMediaApplicationId: app.SipMediaApplicationId, AwsRegion: 'us-east-1', Priority: 1 }]);
      const number = emu().state.phoneNumbers['+12065550100'];
      expect(number.Status).toBe('Assigned');
      expect(number.Associations).toEqual([expect.objectContaining({ Name: 'SipRuleId', Value: rule.SipRuleId })]);

      const got = await client().send(new GetSipRuleCommand({ SipRuleId: rule.SipRuleId }));
      expect(got.SipRule).toEqual(rule);

      await client().send(new UpdateSipRuleCommand({ SipRuleId: rule.SipRuleId, Name: 'inbound', Disabled: true }));
      const del = await client().send(new DeleteSipRuleCommand({ SipRuleId: rule.SipRuleId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      expect(emu().state.phoneNumbers['+12065550100'].Status).toBe('Unassigned');
      expect(emu().state.phoneNumbers['+12065550100'].Associations).toEqual([]);
      await expect(client().send(new GetSipRuleCommand({ SipRuleId: rule.SipRuleId }))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('S2: refuses a number outside the inventory, a VoiceConnector number, a queued number and a non-E.164 value', async () => {
      const app = await createApp();
      const create = (value: string) =>
        client().send(new CreateSipRuleCommand({ Name: 'r', TriggerType: 'ToPhoneNumber', TriggerValue: value, TargetApplications: [target(app)] }));
      await expect(create('+12065550199')).rejects.toThrow('Phone number +12065550199 (trigger of SIP rule \'r\') is not in the phone number inventory.');
      seedNumber('+12065550101', 'VoiceConnector');
      await expect(create('+12065550101')).rejects.toThrow(/has product type VoiceConnector; only SipMediaApplicationDialIn numbers can trigger a SIP rule/);
      seedNumber('+12065550102', 'SipMediaApplicationDialIn', { Status: 'DeleteInProgress', DeletionTimestamp: new Date().toISOString() });
      await expect(create('+12065550102')).rejects.toThrow(/has status DeleteInProgress/);
      await expect(create('2065550100')).rejects.toBeInstanceOf(BadRequestException);
      expect(Object.keys(emu().state.sipRules)).toHaveLength(0);
    });

    it("S2: a RequestUriHostname rule needs a voice connector's outbound host name", async () => {
      const app = await createApp();
      const vc = seedConnector();
      await expect(
        client().send(
          new CreateSipRuleCommand({ Name: 'sbc', TriggerType: 'RequestUriHostname', TriggerValue: 'nope.voiceconnector.chime.aws', TargetApplications: [target(app)] }),
        ),
      ).rejects.toThrow('Request URI host name nope.voiceconnector.chime.aws (trigger of SIP rule \'sbc\') is not the outbound host name of any voice connector.');
      const out = await client().send(
        new CreateSipRuleCommand({ Name: 'sbc', TriggerType: 'RequestUriHostname', TriggerValue: vc.OutboundHostName, TargetApplications: [target(app)] }),
      );
      expect(out.SipRule?.TriggerValue).toBe(vc.OutboundHostName);
    });

    it('S2: targets are existing applications in their stated region, at most one per region, up to 25', async () => {
      const east = await createApp('us-east-1', 'east');
      const east2 = await createApp('us-east-1', 'east2');
      const west = await createApp('us-west-2', 'west');
      seedNumber('+12065550103');
      const create = (targets: SipRuleTargetApplication[]) =>
        client().send(new CreateSipRuleCommand({ Name: 'multi', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550103', TargetApplications: targets }));

      await expect(create([target(east, 1), target(east2, 2)])).rejects.toThrow(/at most one target application per region/);
      await expect(create([{ ...target(west, 1), AwsRegion: 'us-east-1' }])).rejects.toThrow(`says region us-east-1, but SIP media application ${west.SipMediaApplicationId} is in us-west-2`);
      await expect(create([{ SipMediaApplicationId: '00000000-0000-4000-8000-000000000000', AwsRegion: 'us-east-1', Priority: 1 }])).rejects.toThrow(/which does not exist/);
      await expect(create([])).rejects.toBeInstanceOf(BadRequestException);
      const tooMany = Array.from({ length: 26 }, (_, i) => ({ ...target(east, i + 1) }));
      await expect(create(tooMany)).rejects.toBeInstanceOf(BadRequestException);
      expect(emu().state.phoneNumbers['+12065550103'].Status).toBe('Unassigned');

      const ok = await create([target(east, 1), target(west, 2)]);
      expect(ok.SipRule?.TargetApplications).toHaveLength(2);
    });

    it('S3: an enabled rule cannot be deleted; the message names the rule', async () => {
      const app = await createApp();
      seedNumber('+12065550104');
      const { SipRule: rule } = await client().send(
        new CreateSipRuleCommand({ Name: 'live', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550104', TargetApplications: [target(app)] }),
      );
      const del = client().send(new DeleteSipRuleCommand({ SipRuleId: rule!.SipRuleId }));
      await expect(del).rejects.toBeInstanceOf(ConflictException);
      await expect(client().send(new DeleteSipRuleCommand({ SipRuleId: rule!.SipRuleId }))).rejects.toThrow(
        `SIP rule ${rule!.SipRuleId} (live) is enabled; disable it before deleting it.`,
      );
      expect(emu().state.sipRules[rule!.SipRuleId!]).toBeDefined();
      expect(emu().state.phoneNumbers['+12065550104'].Status).toBe('Assigned');
    });

    it('S3: an application targeted by an enabled rule cannot be deleted; once the rule is disabled it can, and the rule stays (S1)', async () => {
      const app = await createApp();
      seedNumber('+12065550105');
      const { SipRule: rule } = await client().send(
        new CreateSipRuleCommand({ Name: 'front door', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550105', TargetApplications: [target(app)] }),
      );
      await expect(client().send(new DeleteSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }))).rejects.toThrow(
        `SIP media application ${app.SipMediaApplicationId} is the target of enabled SIP rule ${rule!.SipRuleId} (front door); disable it before deleting the application.`,
      );
      await expect(client().send(new DeleteSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }))).rejects.toBeInstanceOf(
        ConflictException,
      );

      await client().send(new UpdateSipRuleCommand({ SipRuleId: rule!.SipRuleId, Name: 'front door', Disabled: true }));
      const del = await client().send(new DeleteSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      // S1: neither the rule nor its number went with the application.
      const kept = await client().send(new GetSipRuleCommand({ SipRuleId: rule!.SipRuleId }));
      expect(kept.SipRule?.TargetApplications?.[0].SipMediaApplicationId).toBe(app.SipMediaApplicationId);
      expect(emu().state.phoneNumbers['+12065550105'].Status).toBe('Assigned');
      expect(emu().state.tags[app.SipMediaApplicationArn!]).toBeUndefined();
      // Re-enabling a rule whose target is gone is refused until it gets new targets.
      await expect(client().send(new UpdateSipRuleCommand({ SipRuleId: rule!.SipRuleId, Name: 'front door', Disabled: false }))).rejects.toThrow(
        /cannot be enabled: its target SIP media application .* no longer exists/,
      );
      const other = await createApp('us-east-1', 'replacement');
      const re = await client().send(
        new UpdateSipRuleCommand({ SipRuleId: rule!.SipRuleId, Name: 'front door', Disabled: false, TargetApplications: [target(other)] }),
      );
      expect(re.$metadata.httpStatusCode).toBe(202);
      expect(re.SipRule?.Disabled).toBe(false);
    });

    it('S4: the trigger is fixed; a second rule with the same trigger is a conflict', async () => {
      const app = await createApp();
      seedNumber('+12065550106');
      const { SipRule: rule } = await client().send(
        new CreateSipRuleCommand({ Name: 'first', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550106', TargetApplications: [target(app)], Disabled: true }),
      );
      await expect(
        client().send(new CreateSipRuleCommand({ Name: 'second', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550106', TargetApplications: [target(app)] })),
      ).rejects.toThrow(`SIP rule ${rule!.SipRuleId} (first) already has trigger ToPhoneNumber +12065550106; a trigger belongs to one rule.`);
      const updated = await client().send(new UpdateSipRuleCommand({ SipRuleId: rule!.SipRuleId, Name: 'renamed' }));
      expect(updated.SipRule).toMatchObject({ Name: 'renamed', TriggerType: 'ToPhoneNumber', TriggerValue: '+12065550106', Disabled: true });
      // Update validates new targets as create does.
      const west = await createApp('us-west-2', 'west');
      await expect(
        client().send(
          new UpdateSipRuleCommand({ SipRuleId: rule!.SipRuleId, Name: 'renamed', TargetApplications: [{ ...target(west), AwsRegion: 'us-east-1' }] }),
        ),
      ).rejects.toBeInstanceOf(BadRequestException);
    });

    it('lists rules, filtered by SIP media application, page by page', async () => {
      const a = await createApp('us-east-1', 'a');
      const b = await createApp('us-west-2', 'b');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        seedNumber(`+1206555020${i}`);
        const { SipRule } = await client().send(
          new CreateSipRuleCommand({ Name: `r${i}`, TriggerType: 'ToPhoneNumber', TriggerValue: `+1206555020${i}`, TargetApplications: i === 2 ? [target(b)] : [target(a)] }),
        );
        ids.push(SipRule!.SipRuleId!);
        emu().clock.advance(5);
      }
      const all = await client().send(new ListSipRulesCommand({}));
      expect(all.SipRules?.map((r) => r.SipRuleId)).toEqual(ids);
      const ofA = await client().send(new ListSipRulesCommand({ SipMediaApplicationId: a.SipMediaApplicationId }));
      expect(ofA.SipRules?.map((r) => r.SipRuleId)).toEqual(ids.slice(0, 2));
      const page1 = await client().send(new ListSipRulesCommand({ MaxResults: 1 }));
      expect(page1.SipRules).toHaveLength(1);
      const page2 = await client().send(new ListSipRulesCommand({ MaxResults: 5, NextToken: page1.NextToken }));
      expect(page2.SipRules?.map((r) => r.SipRuleId)).toEqual(ids.slice(1));
      expect(page2.NextToken).toBeUndefined();
      await expect(client().send(new ListSipRulesCommand({ SipMediaApplicationId: '00000000-0000-4000-8000-000000000000' }))).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });

    it('answers NotFound for an unknown rule', async () => {
      const id = '00000000-0000-4000-8000-000000000001';
      await expect(client().send(new GetSipRuleCommand({ SipRuleId: id }))).rejects.toThrow(`SIP rule ${id} not found.`);
      await expect(client().send(new UpdateSipRuleCommand({ SipRuleId: id, Name: 'x' }))).rejects.toBeInstanceOf(NotFoundException);
      await expect(client().send(new DeleteSipRuleCommand({ SipRuleId: id }))).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  it('API5: a new application may read as NotFound inside the consistency window', async () => {
    emu().setFaults({ consistencyWindowMs: 5000 });
    try {
      const app = await createApp();
      await expect(client().send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }))).rejects.toBeInstanceOf(NotFoundException);
      emu().clock.advance(6000);
      const got = await client().send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
      expect(got.SipMediaApplication?.Name).toBe('ivr');
    } finally {
      emu().setFaults({ consistencyWindowMs: 0 });
    }
  });
});
