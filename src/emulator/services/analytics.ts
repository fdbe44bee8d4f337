/**
 * Voice analytics and call analytics: voice profile domains and voice profiles (rule A4), and the
 * media insights pipeline configurations of chime-sdk-media-pipelines (rules A1, A2).
 * Speaker search tasks are runtime calls the emulator does not run; CreateVoiceProfile accepts any
 * task id of the right shape (a UUID) and enrolls a profile in a domain of the request's region.
 */
import { LIMITS } from '../../domain/limits.js';
import { badRequest, conflict, limitExceeded, notFound, regionOfArn, type OpContext, type ServiceModule } from '../core/types.js';
import {
  publicView,
  type EmulatorState,
  type MediaInsightsPipelineConfigurationRecord,
  type TagRecord,
  type VoiceProfileDomainRecord,
  type VoiceProfileRecord,
} from '../core/state.js';
import { byCreation, checkTags, paginate } from './account.js';

/** A4: default quotas. */
export const MAX_VOICE_PROFILE_DOMAINS = LIMITS.voiceProfileDomainsPerRegion.max;
export const MAX_VOICE_PROFILES_PER_DOMAIN = 20_000;
/** A voice print lasts three years unless refreshed by UpdateVoiceProfile. */
const PROFILE_LIFETIME_YEARS = 3;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KMS_KEY_ARN = /^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const IAM_ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;


function expiration(now: Date): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + PROFILE_LIFETIME_YEARS);
  return d.toISOString();
}

// ---------------------------------------------------------------- voice profile domains

function getDomain(ctx: OpContext, id: string): VoiceProfileDomainRecord {
  const domain = ctx.state.voiceProfileDomains[id];
  // Strict regions: a domain is served by the endpoint of the region that created it (its ARN's).
  if (!domain || !ctx.sees(regionOfArn(domain.VoiceProfileDomainArn))) throw notFound(`Voice profile domain ${id} not found.`);
  return domain;
}

function getProfile(ctx: OpContext, id: string): VoiceProfileRecord {
  const profile = ctx.state.voiceProfiles[id];
  if (!profile) throw notFound(`Voice profile ${id} not found.`);
  return profile;
}

const domainView = (d: VoiceProfileDomainRecord) => publicView(d);
const domainSummary = (d: VoiceProfileDomainRecord) => {
  const { ServerSideEncryptionConfiguration: _sse, ...rest } = publicView(d);
  return rest;
};
const profileView = (p: VoiceProfileRecord) => publicView(p);

function checkSpeakerSearchTaskId(id: string): void {
  if (!UUID.test(id)) throw badRequest(`SpeakerSearchTaskId '${id}' is not a speaker search task id (a UUID).`);
}

function profileOfTask(state: EmulatorState, taskId: string): VoiceProfileRecord | undefined {
  return Object.values(state.voiceProfiles).find((p) => p._speakerSearchTaskId === taskId.toLowerCase());
}

// ---------------------------------------------------------------- media insights pipeline configurations (A1)

type Element = Record<string, any> & { Type: string };
type AlertConfig = { Disabled?: boolean; Rules?: Array<Record<string, any> & { Type: string }> };

/** The configuration member each element type carries; VoiceEnhancementSink's is optional. */
const ELEMENT_CONFIG: Record<string, string> = {
  AmazonTranscribeCallAnalyticsProcessor: 'AmazonTranscribeCallAnalyticsProcessorConfiguration',
  AmazonTranscribeProcessor: 'AmazonTranscribeProcessorConfiguration',
  VoiceAnalyticsProcessor: 'VoiceAnalyticsProcessorConfiguration',
  KinesisDataStreamSink: 'KinesisDataStreamSinkConfiguration',
  S3RecordingSink: 'S3RecordingSinkConfiguration',
  LambdaFunctionSink: 'LambdaFunctionSinkConfiguration',
  SqsQueueSink: 'SqsQueueSinkConfiguration',
  SnsTopicSink: 'SnsTopicSinkConfiguration',
  VoiceEnhancementSink: 'VoiceEnhancementSinkConfiguration',
};

/** The service each sink's target ARN must belong to. */
const SINK_TARGET: Record<string, { member: string; service: RegExp; what: string }> = {
  KinesisDataStreamSink: { member: 'InsightsTarget', service: /^arn:aws[a-zA-Z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/.+$/, what: 'a Kinesis data stream ARN' },
  LambdaFunctionSink: { member: 'InsightsTarget', service: /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:.+$/, what: 'a Lambda function ARN' },
  SqsQueueSink: { member: 'InsightsTarget', service: /^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\d{12}:.+$/, what: 'an SQS queue ARN' },
  SnsTopicSink: { member: 'InsightsTarget', service: /^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, what: 'an SNS topic ARN' },
  S3RecordingSink: { member: 'Destination', service: /^arn:aws[a-zA-Z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, what: 'an S3 bucket ARN (arn:aws:s3:::bucket[/prefix])' },
};

const PROCESSORS = ['AmazonTranscribeCallAnalyticsProcessor', 'AmazonTranscribeProcessor', 'VoiceAnalyticsProcessor'];

function checkTranscribe(cfg: Record<string, any>, at: string): void {
  if (cfg.ContentIdentificationType && cfg.ContentRedactionType) {
    throw badRequest(`${at}: ContentIdentificationType and ContentRedactionType cannot both be set.`);
  }
  if (cfg.PiiEntityTypes && !cfg.ContentIdentificationType && !cfg.ContentRedactionType) {
    throw badRequest(`${at}: PiiEntityTypes needs ContentIdentificationType or ContentRedactionType.`);
  }
  if (cfg.PartialResultsStability && !cfg.EnablePartialResultsStabilization) {
    throw badRequest(`${at}: PartialResultsStability needs EnablePartialResultsStabilization.`);
  }
}

/** A1: the elements and alert rules of a configuration, as the guide and the model's documentation describe them. */
function checkConfiguration(name: string, roleArn: string, elements: Element[], alerts: AlertConfig | undefined): void {
  const at = `Media insights pipeline configuration ${name}`;
  if (!IAM_ROLE_ARN.test(roleArn)) throw badRequest(`${at}: ResourceAccessRoleArn ${roleArn} is not an IAM role ARN.`);
  if (elements.length === 0) throw badRequest(`${at} needs at least one element.`);
  const count = new Map<string, number>();
  elements.forEach((el, i) => {
    const where = `${at}, element ${i + 1} (${el.Type})`;
    count.set(el.Type, (count.get(el.Type) ?? 0) + 1);
    const own = ELEMENT_CONFIG[el.Type];
    for (const member of Object.values(ELEMENT_CONFIG)) {
      if (member !== own && el[member] !== undefined) throw badRequest(`${where} carries ${member}, which belongs to another element type.`);
    }
    const cfg = el[own] as Record<string, any> | undefined;
    if (!cfg && el.Type !== 'VoiceEnhancementSink') throw badRequest(`${where} needs its ${own}.`);
    const sink = SINK_TARGET[el.Type];
    if (sink) {
      const target = cfg?.[sink.member] as string | undefined;
      if (!target) throw badRequest(`${where} needs ${own}.${sink.member}.`);
      if (!sink.service.test(target)) throw badRequest(`${where}: ${sink.member} ${target} is not ${sink.what}.`);
    }
    if (el.Type === 'AmazonTranscribeProcessor') {
      const langs = ['LanguageCode', 'IdentifyLanguage', 'IdentifyMultipleLanguages'].filter((k) => cfg![k] !== undefined && cfg![k] !== false);
      if (langs.length !== 1) {
        throw badRequest(`${where} needs exactly one of LanguageCode, IdentifyLanguage and IdentifyMultipleLanguages (got ${langs.length ? langs.join(', ') : 'none'}).`);
      }
      const identify = cfg!.IdentifyLanguage || cfg!.IdentifyMultipleLanguages;
      if (identify && !cfg!.LanguageOptions) throw badRequest(`${where}: automatic language identification needs LanguageOptions (at least two languages).`);
      if (identify && String(cfg!.LanguageOptions).split(',').filter(Boolean).length < 2) {
        throw badRequest(`${where}: LanguageOptions must list at least two languages.`);
      }
      if (!identify && (cfg!.LanguageOptions || cfg!.PreferredLanguage)) throw badRequest(`${where}: LanguageOptions and PreferredLanguage apply only with automatic language identification.`);
      if (identify && (cfg!.LanguageModelName || cfg!.ContentRedactionType)) {
        throw badRequest(`${where}: automatic language identification cannot be combined with a custom language model or content redaction.`);
      }
      checkTranscribe(cfg!, where);
    }
    if (el.Type === 'AmazonTranscribeCallAnalyticsProcessor') checkTranscribe(cfg!, where);
  });
  for (const [type, n] of count) {
    if (n > 1 && type !== 'LambdaFunctionSink' && type !== 'SqsQueueSink' && type !== 'SnsTopicSink') {
      throw badRequest(`${at} has ${n} ${type} elements; it can have one.`);
    }
  }
  const has = (t: string) => count.has(t);
  if (has('AmazonTranscribeProcessor') && has('AmazonTranscribeCallAnalyticsProcessor')) {
    throw badRequest(`${at}: choose Amazon Transcribe or Amazon Transcribe Call Analytics, not both.`);
  }
  const processors = PROCESSORS.filter(has);
  if (processors.length === 0 && !has('S3RecordingSink')) throw badRequest(`${at} needs a processor (Transcribe, Transcribe Call Analytics, voice analytics) or an S3RecordingSink.`);
  if (processors.length > 0 && !has('KinesisDataStreamSink')) {
    throw badRequest(`${at}: ${processors.join(' and ')} need${processors.length === 1 ? 's' : ''} a KinesisDataStreamSink for their insights.`);
  }
  for (const t of ['LambdaFunctionSink', 'SqsQueueSink', 'SnsTopicSink']) {
    if (has(t) && !has('VoiceAnalyticsProcessor')) throw badRequest(`${at}: ${t} receives voice analytics notifications and needs a VoiceAnalyticsProcessor.`);
  }
  if (has('VoiceEnhancementSink') && !has('S3RecordingSink')) throw badRequest(`${at}: a VoiceEnhancementSink enhances recordings and needs an S3RecordingSink.`);
  // A1: post-call analytics together with an S3 recording sink makes duplicate recordings. The guide
  // advises against it but AWS accepts it, so the emulator does too; the operator warns about it.

  if (alerts?.Rules) {
    const transcribe = has('AmazonTranscribeProcessor') || has('AmazonTranscribeCallAnalyticsProcessor');
    if (!transcribe) throw badRequest(`${at}: real-time alerts need Amazon Transcribe or Amazon Transcribe Call Analytics.`);
    const names = new Set<string>();
    alerts.Rules.forEach((rule, i) => {
      const member = ({ KeywordMatch: 'KeywordMatchConfiguration', Sentiment: 'SentimentConfiguration', IssueDetection: 'IssueDetectionConfiguration' } as Record<string, string>)[rule.Type];
      const where = `${at}, real-time alert rule ${i + 1} (${rule.Type})`;
      const cfg = rule[member] as { RuleName?: string } | undefined;
      if (!cfg) throw badRequest(`${where} needs its ${member}.`);
      for (const other of ['KeywordMatchConfiguration', 'SentimentConfiguration', 'IssueDetectionConfiguration']) {
        if (other !== member && rule[other] !== undefined) throw badRequest(`${where} carries ${other}, which belongs to another rule type.`);
      }
      if (rule.Type !== 'KeywordMatch' && !has('AmazonTranscribeCallAnalyticsProcessor')) {
        throw badRequest(`${where}: ${rule.Type} insights come from Amazon Transcribe Call Analytics, which the configuration does not use.`);
      }
      if (cfg.RuleName && names.has(cfg.RuleName)) throw badRequest(`${where}: rule name ${cfg.RuleName} is used twice.`);
      if (cfg.RuleName) names.add(cfg.RuleName);
    });
  }
}

/** A configuration by name or ARN among those the request's region sees (names are unique per account and region). */
function findConfiguration(ctx: OpContext, identifier: string): MediaInsightsPipelineConfigurationRecord | undefined {
  return Object.values(ctx.state.mediaInsightsPipelineConfigurations).find(
    (c) =>
      (c.MediaInsightsPipelineConfigurationName === identifier || c.MediaInsightsPipelineConfigurationArn === identifier) && ctx.sees(regionOfArn(c.MediaInsightsPipelineConfigurationArn)),
  );
}

function getConfiguration(ctx: OpContext, identifier: string): MediaInsightsPipelineConfigurationRecord {
  const c = findConfiguration(ctx, identifier);
  if (!c) throw notFound(`Media insights pipeline configuration ${identifier} not found.`);
  return c;
}

const configView = (c: MediaInsightsPipelineConfigurationRecord) => publicView(c);
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

interface ConfigInput {
  ResourceAccessRoleArn: string;
  RealTimeAlertConfiguration?: AlertConfig;
  Elements: Element[];
}

// ---------------------------------------------------------------- handlers

export const analytics: ServiceModule = {
  handlers: {
    CreateVoiceProfileDomain(
      input: { Name: string; Description?: string; ServerSideEncryptionConfiguration: { KmsKeyArn: string }; ClientRequestToken?: string; Tags?: TagRecord[] },
      ctx,
    ) {
      if (input.ClientRequestToken !== undefined) {
        const earlier = Object.values(ctx.state.voiceProfileDomains).find((d) => d._clientRequestToken === input.ClientRequestToken);
        if (earlier) {
          if (earlier.Name !== input.Name || earlier.ServerSideEncryptionConfiguration.KmsKeyArn !== input.ServerSideEncryptionConfiguration.KmsKeyArn) {
            throw conflict(`ClientRequestToken ${input.ClientRequestToken} already created voice profile domain ${earlier.VoiceProfileDomainId} with other parameters.`);
          }
          return { VoiceProfileDomain: domainView(earlier) };
        }
      }
      const key = input.ServerSideEncryptionConfiguration.KmsKeyArn;
      if (!KMS_KEY_ARN.test(key)) throw badRequest(`KmsKeyArn ${key} of voice profile domain ${input.Name} is not the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>).`);
      const inRegion = Object.values(ctx.state.voiceProfileDomains).filter((d) => regionOfArn(d.VoiceProfileDomainArn) === ctx.region);
      if (inRegion.length >= MAX_VOICE_PROFILE_DOMAINS) {
        throw limitExceeded(`Voice profile domain ${input.Name} would exceed the limit of ${MAX_VOICE_PROFILE_DOMAINS} voice profile domains in ${ctx.region}.`);
      }
      const id = ctx.uuid();
      const arn = ctx.arn(ctx.region, `voice-profile-domain/${id}`);
      checkTags(input.Tags, arn);
      const now = ctx.nowIso();
      const domain: VoiceProfileDomainRecord = {
        VoiceProfileDomainId: id,
        VoiceProfileDomainArn: arn,
        Name: input.Name,
        ServerSideEncryptionConfiguration: { KmsKeyArn: key },
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
      };
      if (input.Description !== undefined) domain.Description = input.Description;
      if (input.ClientRequestToken !== undefined) domain._clientRequestToken = input.ClientRequestToken;
      ctx.state.voiceProfileDomains[id] = domain;
      if (input.Tags && input.Tags.length > 0) ctx.state.tags[arn] = input.Tags.map((t) => ({ Key: t.Key, Value: t.Value }));
      ctx.markCreated(`voiceProfileDomains/${id}`);
      return { VoiceProfileDomain: domainView(domain) };
    },

    GetVoiceProfileDomain(input: { VoiceProfileDomainId: string }, ctx) {
      ctx.assertVisible(`voiceProfileDomains/${input.VoiceProfileDomainId}`, `Voice profile domain ${input.VoiceProfileDomainId} not found.`);
      return { VoiceProfileDomain: domainView(getDomain(ctx, input.VoiceProfileDomainId)) };
    },

    ListVoiceProfileDomains(input: { MaxResults?: number; NextToken?: string }, ctx) {
      const { page, NextToken } = paginate(
        ctx.listed('voiceProfileDomains', Object.values(ctx.state.voiceProfileDomains), (d) => d.VoiceProfileDomainId).filter((d) => ctx.sees(regionOfArn(d.VoiceProfileDomainArn))),
        (d) => byCreation(d.CreatedTimestamp, d.VoiceProfileDomainId),
        input,
        'ListVoiceProfileDomains',
      );
      return { VoiceProfileDomains: page.map(domainSummary), NextToken };
    },

    UpdateVoiceProfileDomain(input: { VoiceProfileDomainId: string; Name?: string; Description?: string }, ctx) {
      const domain = getDomain(ctx, input.VoiceProfileDomainId);
      if (input.Name !== undefined) domain.Name = input.Name;
      if (input.Description !== undefined) domain.Description = input.Description;
      domain.UpdatedTimestamp = ctx.nowIso();
      return { VoiceProfileDomain: domainView(domain) };
    },

    /** A4: deleting a domain deletes all of its profiles, for good. */
    DeleteVoiceProfileDomain(input: { VoiceProfileDomainId: string }, ctx) {
      const domain = getDomain(ctx, input.VoiceProfileDomainId);
      for (const p of Object.values(ctx.state.voiceProfiles)) {
        if (p.VoiceProfileDomainId === domain.VoiceProfileDomainId) delete ctx.state.voiceProfiles[p.VoiceProfileId];
      }
      delete ctx.state.voiceProfileDomains[domain.VoiceProfileDomainId];
      delete ctx.state.tags[domain.VoiceProfileDomainArn];
      ctx.markDeleted(`voiceProfileDomains/${domain.VoiceProfileDomainId}`, domain);
      return {};
    },

    /**
     * The speaker search task would name the domain; tasks are not emulated, so the profile goes to
     * the oldest domain of the request's region.
     */
    CreateVoiceProfile(input: { SpeakerSearchTaskId: string }, ctx) {
      checkSpeakerSearchTaskId(input.SpeakerSearchTaskId);
      const taskId = input.SpeakerSearchTaskId.toLowerCase();
      const enrolled = profileOfTask(ctx.state, taskId);
      if (enrolled) throw conflict(`Speaker search task ${input.SpeakerSearchTaskId} already enrolled voice profile ${enrolled.VoiceProfileId}.`);
      const domains = Object.values(ctx.state.voiceProfileDomains)
        .filter((d) => regionOfArn(d.VoiceProfileDomainArn) === ctx.region)
        .sort((a, b) => byCreation(a.CreatedTimestamp, a.VoiceProfileDomainId).localeCompare(byCreation(b.CreatedTimestamp, b.VoiceProfileDomainId)));
      const domain = domains[0];
      if (!domain) throw notFound(`Speaker search task ${input.SpeakerSearchTaskId} has no voice profile domain: none exists in ${ctx.region}.`);
      const inDomain = Object.values(ctx.state.voiceProfiles).filter((p) => p.VoiceProfileDomainId === domain.VoiceProfileDomainId).length;
      if (inDomain >= MAX_VOICE_PROFILES_PER_DOMAIN) {
        throw limitExceeded(`Voice profile domain ${domain.VoiceProfileDomainId} already holds ${MAX_VOICE_PROFILES_PER_DOMAIN} voice profiles.`);
      }
      const id = ctx.uuid();
      const at = ctx.clock.now();
      const now = at.toISOString();
      const profile: VoiceProfileRecord = {
        VoiceProfileId: id,
        VoiceProfileArn: ctx.arn(ctx.region, `voice-profile/${id}`),
        VoiceProfileDomainId: domain.VoiceProfileDomainId,
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
        ExpirationTimestamp: expiration(at),
        _speakerSearchTaskId: taskId,
      };
      ctx.state.voiceProfiles[id] = profile;
      ctx.markCreated(`voiceProfiles/${id}`);
      return { VoiceProfile: profileView(profile) };
    },

    GetVoiceProfile(input: { VoiceProfileId: string }, ctx) {
      ctx.assertVisible(`voiceProfiles/${input.VoiceProfileId}`, `Voice profile ${input.VoiceProfileId} not found.`);
      return { VoiceProfile: profileView(getProfile(ctx, input.VoiceProfileId)) };
    },

    ListVoiceProfiles(input: { VoiceProfileDomainId: string; MaxResults?: number; NextToken?: string }, ctx) {
      const domain = getDomain(ctx, input.VoiceProfileDomainId);
      const { page, NextToken } = paginate(
        Object.values(ctx.state.voiceProfiles).filter((p) => p.VoiceProfileDomainId === domain.VoiceProfileDomainId),
        (p) => byCreation(p.CreatedTimestamp, p.VoiceProfileId),
        input,
        `ListVoiceProfiles|${domain.VoiceProfileDomainId}`,
      );
      return { VoiceProfiles: page.map(profileView), NextToken };
    },

    /** A new voice print from another speaker search task; the three-year expiry starts over. */
    UpdateVoiceProfile(input: { VoiceProfileId: string; SpeakerSearchTaskId: string }, ctx) {
      const profile = getProfile(ctx, input.VoiceProfileId);
      checkSpeakerSearchTaskId(input.SpeakerSearchTaskId);
      const taskId = input.SpeakerSearchTaskId.toLowerCase();
      const enrolled = profileOfTask(ctx.state, taskId);
      if (enrolled && enrolled.VoiceProfileId !== profile.VoiceProfileId) {
        throw conflict(`Speaker search task ${input.SpeakerSearchTaskId} already enrolled voice profile ${enrolled.VoiceProfileId}.`);
      }
      const at = ctx.clock.now();
      profile._speakerSearchTaskId = taskId;
      profile.UpdatedTimestamp = at.toISOString();
      profile.ExpirationTimestamp = expiration(at);
      return { VoiceProfile: profileView(profile) };
    },

    DeleteVoiceProfile(input: { VoiceProfileId: string }, ctx) {
      const profile = getProfile(ctx, input.VoiceProfileId);
      delete ctx.state.voiceProfiles[profile.VoiceProfileId];
      return {};
    },

    // ------------------------------------------------------------ media insights pipeline configurations

    CreateMediaInsightsPipelineConfiguration(input: ConfigInput & { MediaInsightsPipelineConfigurationName: string; Tags?: TagRecord[]; ClientRequestToken?: string }, ctx) {
      const name = input.MediaInsightsPipelineConfigurationName;
      if (input.ClientRequestToken !== undefined) {
        const earlier = Object.values(ctx.state.mediaInsightsPipelineConfigurations).find((c) => c._clientRequestToken === input.ClientRequestToken);
        if (earlier) {
          if (earlier.MediaInsightsPipelineConfigurationName !== name) {
            throw badRequest(`ClientRequestToken ${input.ClientRequestToken} already created media insights pipeline configuration ${earlier.MediaInsightsPipelineConfigurationName}.`);
          }
          return { MediaInsightsPipelineConfiguration: configView(earlier) };
        }
      }
      // The model gives this call no ConflictException: a taken name is a bad request.
      if (findConfiguration(ctx, name)) throw badRequest(`A media insights pipeline configuration named ${name} already exists.`);
      checkConfiguration(name, input.ResourceAccessRoleArn, input.Elements, input.RealTimeAlertConfiguration);
      const arn = ctx.arn(ctx.region, `media-insights-pipeline-configuration/${name}`);
      checkTags(input.Tags, arn);
      const now = ctx.nowIso();
      const config: MediaInsightsPipelineConfigurationRecord = {
        MediaInsightsPipelineConfigurationName: name,
        MediaInsightsPipelineConfigurationArn: arn,
        MediaInsightsPipelineConfigurationId: ctx.uuid(),
        ResourceAccessRoleArn: input.ResourceAccessRoleArn,
        Elements: copy(input.Elements),
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
      };
      if (input.RealTimeAlertConfiguration) config.RealTimeAlertConfiguration = copy(input.RealTimeAlertConfiguration);
      if (input.ClientRequestToken !== undefined) config._clientRequestToken = input.ClientRequestToken;
      ctx.state.mediaInsightsPipelineConfigurations[config.MediaInsightsPipelineConfigurationId] = config;
      if (input.Tags && input.Tags.length > 0) ctx.state.tags[arn] = input.Tags.map((t) => ({ Key: t.Key, Value: t.Value }));
      ctx.markCreated(`mediaInsightsPipelineConfigurations/${config.MediaInsightsPipelineConfigurationId}`);
      return { MediaInsightsPipelineConfiguration: configView(config) };
    },

    GetMediaInsightsPipelineConfiguration(input: { Identifier: string }, ctx) {
      const config = getConfiguration(ctx, input.Identifier);
      ctx.assertVisible(
        `mediaInsightsPipelineConfigurations/${config.MediaInsightsPipelineConfigurationId}`,
        `Media insights pipeline configuration ${input.Identifier} not found.`,
      );
      return { MediaInsightsPipelineConfiguration: configView(config) };
    },

    ListMediaInsightsPipelineConfigurations(input: { MaxResults?: number; NextToken?: string }, ctx) {
      const { page, NextToken } = paginate(
        ctx.listed('mediaInsightsPipelineConfigurations', Object.values(ctx.state.mediaInsightsPipelineConfigurations), (c) => c.MediaInsightsPipelineConfigurationId).filter((c) =>
          ctx.sees(regionOfArn(c.MediaInsightsPipelineConfigurationArn)),
        ),
        (c) => byCreation(c.CreatedTimestamp, c.MediaInsightsPipelineConfigurationId),
        input,
        'ListMediaInsightsPipelineConfigurations',
      );
      return {
        MediaInsightsPipelineConfigurations: page.map((c) => ({
          MediaInsightsPipelineConfigurationName: c.MediaInsightsPipelineConfigurationName,
          MediaInsightsPipelineConfigurationId: c.MediaInsightsPipelineConfigurationId,
          MediaInsightsPipelineConfigurationArn: c.MediaInsightsPipelineConfigurationArn,
        })),
        NextToken,
      };
    },

    /** Elements and role are replaced whole; an absent alert configuration removes the alerts. */
    UpdateMediaInsightsPipelineConfiguration(input: ConfigInput & { Identifier: string }, ctx) {
      const config = getConfiguration(ctx, input.Identifier);
      checkConfiguration(config.MediaInsightsPipelineConfigurationName, input.ResourceAccessRoleArn, input.Elements, input.RealTimeAlertConfiguration);
      config.ResourceAccessRoleArn = input.ResourceAccessRoleArn;
      config.Elements = copy(input.Elements);
      if (input.RealTimeAlertConfiguration) config.RealTimeAlertConfiguration = copy(input.RealTimeAlertConfiguration);
      else delete config.RealTimeAlertConfiguration;
      config.UpdatedTimestamp = ctx.nowIso();
      return { MediaInsightsPipelineConfiguration: configView(config) };
    },

    /** A2: not while a voice connector streams to it; deletion is final. */
    DeleteMediaInsightsPipelineConfiguration(input: { Identifier: string }, ctx) {
      const config = getConfiguration(ctx, input.Identifier);
      const users = Object.values(ctx.state.voiceConnectors).filter((vc) => {
        const link = (vc._streaming as { MediaInsightsConfiguration?: { ConfigurationArn?: string } } | undefined)?.MediaInsightsConfiguration;
        return link?.ConfigurationArn === config.MediaInsightsPipelineConfigurationArn;
      });
      if (users.length > 0) {
        throw conflict(
          `Media insights pipeline configuration ${config.MediaInsightsPipelineConfigurationName} is used by the streaming configuration of voice connector${users.length > 1 ? 's' : ''} ${users
            .map((vc) => vc.VoiceConnectorId)
            .join(', ')}; remove it there before deleting it.`,
        );
      }
      delete ctx.state.mediaInsightsPipelineConfigurations[config.MediaInsightsPipelineConfigurationId];
      delete ctx.state.tags[config.MediaInsightsPipelineConfigurationArn];
      ctx.markDeleted(`mediaInsightsPipelineConfigurations/${config.MediaInsightsPipelineConfigurationId}`, config);
      return {};
    },
  },

  /** Voice profiles expire three years after their last voice print and are then gone. */
  tick(state, now) {
    const t = now.getTime();
    for (const p of Object.values(state.voiceProfiles)) {
      if (Date.parse(p.ExpirationTimestamp) <= t) delete state.voiceProfiles[p.VoiceProfileId];
    }
  },
};
