/** CallAnalyticsConfiguration: plan (create, update per field, tags, A3) and planDelete (A2). */
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { BlockedError } from '../../src/reconcile/errors.js';
import { MemoryWorld } from '../../src/reconcile/world.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { toAws, type CallAnalyticsConfigurationDesired, type Element } from '../../src/kinds/call-analytics-configuration/desired.js';
import { diffCallAnalyticsConfiguration } from '../../src/kinds/call-analytics-configuration/diff.js';
import type { CallAnalyticsConfigurationObserved } from '../../src/kinds/call-analytics-configuration/observe.js';
import { planCallAnalyticsConfiguration, planCallAnalyticsConfigurationDelete, withUnmanaged } from '../../src/kinds/call-analytics-configuration/plan.js';
import { callAnalyticsConfigurationHandler } from '../../src/kinds/call-analytics-configuration/index.js';
import { ARN, KDS, MARKER, ROLE, configurationFixtures, type Alerts } from '../helpers/fixtures/call-analytics-configuration.js';

const elements = (): Element[] => [
  {
    type: 'AmazonTranscribeCallAnalyticsProcessor',
    amazonTranscribeCallAnalyticsProcessorConfiguration: { languageCode: 'en-US', callAnalyticsStreamCategories: ['escalation'], postCallAnalyticsSettings: { outputLocation: 's3://pc/', dataAccessRoleArn: ROLE } },
  },
  { type: 'VoiceAnalyticsProcessor', voiceAnalyticsProcessorConfiguration: { speakerSearchStatus: 'Enabled' } },
  { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: KDS } },
];
const alerts = (): Alerts => ({
  rules: [{ type: 'KeywordMatch', keywordMatchConfiguration: { ruleName: 'cancel', keywords: ['cancel'] } }],
});
const { desired, observed } = configurationFixtures({ elements, alerts, tags: () => ({ ...MARKER, team: 'voice' }), clientRequestToken: 'cvo-abc' });
const plan = (d: CallAnalyticsConfigurationDesired, o: CallAnalyticsConfigurationObserved | undefined) =>
  planCallAnalyticsConfiguration(d, o, o ? diffCallAnalyticsConfiguration(d, o) : []);

describe('CallAnalyticsConfiguration plan', () => {
  it('creates with the model’s PascalCase shapes, the tags with the marker and the token, capturing id and ARN', () => {
    const actions = plan(desired(), undefined);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      service: 'mediaPipelines',
      operation: 'CreateMediaInsightsPipelineConfiguration',
      captures: {
        MediaInsightsPipelineConfigurationId: 'MediaInsightsPipelineConfiguration.MediaInsightsPipelineConfigurationId',
        Arn: 'MediaInsightsPipelineConfiguration.MediaInsightsPipelineConfigurationArn',
      },
    });
    expect(actions[0].input).toEqual({
      MediaInsightsPipelineConfigurationName: 'support',
      ResourceAccessRoleArn: ROLE,
      RealTimeAlertConfiguration: { Rules: [{ Type: 'KeywordMatch', KeywordMatchConfiguration: { RuleName: 'cancel', Keywords: ['cancel'] } }] },
      Elements: [
        {
          Type: 'AmazonTranscribeCallAnalyticsProcessor',
          AmazonTranscribeCallAnalyticsProcessorConfiguration: {
            LanguageCode: 'en-US',
            CallAnalyticsStreamCategories: ['escalation'],
            PostCallAnalyticsSettings: { OutputLocation: 's3://pc/', DataAccessRoleArn: ROLE },
          },
        },
        { Type: 'VoiceAnalyticsProcessor', VoiceAnalyticsProcessorConfiguration: { SpeakerSearchStatus: 'Enabled' } },
        { Type: 'KinesisDataStreamSink', KinesisDataStreamSinkConfiguration: { InsightsTarget: KDS } },
      ],
      Tags: [
        { Key: OWNER_TAG_KEY, Value: 'default/support' },
        { Key: 'team', Value: 'voice' },
      ],
      ClientRequestToken: 'cvo-abc',
    });
    expect(actions[0].description).toBe(
      'create call analytics configuration "support" with AmazonTranscribeCallAnalyticsProcessor, VoiceAnalyticsProcessor, KinesisDataStreamSink and 1 real-time alert rule(s)',
    );
  });

  it('creates without alerts when the spec has none', () => {
    expect(plan(desired({ realTimeAlertConfiguration: undefined }), undefined)[0].input).not.toHaveProperty('RealTimeAlertConfiguration');
  });

  it('plans nothing in the steady state', () => {
    expect(plan(desired(), observed())).toEqual([]);
    expect(plan(desired({ realTimeAlertConfiguration: undefined }), observed({ realTimeAlertConfiguration: { disabled: true } }))).toEqual([]);
  });

  const changedElements = () => {
    const e = elements();
    e[0].amazonTranscribeCallAnalyticsProcessorConfiguration!.languageCode = 'de-DE';
    return e;
  };
  it.each<[string, Partial<CallAnalyticsConfigurationDesired>, string[]]>([
    ['the role', { resourceAccessRoleArn: `${ROLE}V2` }, ['resourceAccessRoleArn']],
    ['an element setting', { elements: changedElements() }, ['elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode']],
    ['a nested element setting', { elements: elements().map((e, i) => (i === 0 ? { ...e, amazonTranscribeCallAnalyticsProcessorConfiguration: { ...e.amazonTranscribeCallAnalyticsProcessorConfiguration!, postCallAnalyticsSettings: { outputLocation: 's3://other/', dataAccessRoleArn: ROLE } } } : e)) }, ['elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.postCallAnalyticsSettings.outputLocation']],
    ['the element list', { elements: elements().slice(0, 1).concat(elements().slice(2)) }, ['elements']],
    ['the alert rules', { realTimeAlertConfiguration: { rules: [{ type: 'IssueDetection', issueDetectionConfiguration: { ruleName: 'issues' } }] } }, ['realTimeAlertConfiguration.rules']],
    ['alerts disabled', { realTimeAlertConfiguration: { ...alerts(), disabled: true } }, ['realTimeAlertConfiguration.disabled']],
  ])('updates %s with one UpdateMediaInsightsPipelineConfiguration sending the whole configuration', (_l, d, fixes) => {
    const want = desired(d);
    const actions = plan(want, observed());
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ service: 'mediaPipelines', operation: 'UpdateMediaInsightsPipelineConfiguration', fixes });
    expect(actions[0].input).toEqual({
      Identifier: ARN,
      ResourceAccessRoleArn: want.resourceAccessRoleArn,
      RealTimeAlertConfiguration: toAws(want.realTimeAlertConfiguration),
      Elements: toAws(want.elements),
    });
  });

  it('sends back what the spec does not manage: alerts it omits, and element settings AWS holds that it omits', () => {
    const aws = observed({ realTimeAlertConfiguration: { disabled: true, rules: alerts().rules }, elements: elements() });
    aws.elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration!.vocabularyName = 'set-by-hand';
    const want = desired({ realTimeAlertConfiguration: undefined, resourceAccessRoleArn: `${ROLE}V2` });
    const [a] = plan(want, aws);
    expect(a.input.RealTimeAlertConfiguration).toEqual({ Disabled: true, Rules: toAws(alerts().rules) });
    expect((a.input.Elements as any)[0].AmazonTranscribeCallAnalyticsProcessorConfiguration.VocabularyName).toBe('set-by-hand');
    expect(a.fixes).toEqual(['resourceAccessRoleArn']);
  });

  it('withUnmanaged keeps AWS’s extra members only where the element types line up', () => {
    expect(withUnmanaged({ a: 1 }, { a: 2, b: 3 })).toEqual({ a: 1, b: 3 });
    expect(withUnmanaged([{ type: 'X', c: { a: 1 } }], [{ type: 'X', c: { a: 2, b: 3 } }])).toEqual([{ type: 'X', c: { a: 1, b: 3 } }]);
    expect(withUnmanaged([{ type: 'X', a: 1 }], [{ type: 'Y', b: 2 }])).toEqual([{ type: 'X', a: 1 }]);
    expect(withUnmanaged(['a'], ['a', 'b'])).toEqual(['a']);
  });

  it('tags only the differing tags through the media pipelines API, never untagging', () => {
    const actions = plan(desired({ tags: { ...MARKER, team: 'telephony' } }), observed({ tags: { team: 'voice', other: 'x' } }));
    expect(actions).toEqual([
      expect.objectContaining({
        service: 'mediaPipelines',
        operation: 'TagResource',
        input: {
          ResourceARN: ARN,
          Tags: [
            { Key: OWNER_TAG_KEY, Value: 'default/support' },
            { Key: 'team', Value: 'telephony' },
          ],
        },
        fixes: [`tags.${OWNER_TAG_KEY}`, 'tags.team'],
      }),
    ]);
  });

  it('plans nothing for a name or region change (replacements the engine reports)', () => {
    const d = desired({ name: 'other', region: 'us-west-2' });
    const diffs = diffCallAnalyticsConfiguration(d, observed());
    expect(diffs.map((x) => x.path)).toEqual(['name', 'region']);
    expect(planCallAnalyticsConfiguration(d, observed(), diffs)).toEqual([]);
  });

  it('A3: refuses to plan while consent is missing', () => {
    expect(() => plan(desired({ consentMissing: 'consent please' }), undefined)).toThrow(BlockedError);
    expect(() => plan(desired({ consentMissing: 'consent please' }), observed())).toThrow('consent please');
  });

  it('A1: the warning is independent of the plan (AWS may still refuse the combination)', () => {
    expect(callAnalyticsConfigurationHandler.warnings!(desired({ recordsTwice: true }), observed())).toHaveLength(1);
    expect(callAnalyticsConfigurationHandler.warnings!(desired(), observed())).toEqual([]);
  });
});

describe('CallAnalyticsConfiguration planDelete (A2)', () => {
  const owner = (name: string): ManagedObject => ({ apiVersion: 'chimevoice.io/v1alpha1', kind: 'CallAnalyticsConfiguration', metadata: { name, namespace: 'default' }, spec: {} });
  const vc = (name: string, streaming: Record<string, unknown> | undefined, id?: string, namespace = 'default'): ManagedObject => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name, namespace },
    spec: { region: 'us-east-1', ...(streaming ? { streaming } : {}) },
    ...(id ? { status: { atProvider: { voiceConnectorId: id } } } : {}),
  });

  it('deletes when nothing links it, saying it cannot be undone', () => {
    const p = planCallAnalyticsConfigurationDelete(desired(), observed({ linkedBy: [] }), new MemoryWorld([]), owner('support'));
    expect(p.blockers).toEqual([]);
    expect(p.actions).toEqual([
      expect.objectContaining({ service: 'mediaPipelines', operation: 'DeleteMediaInsightsPipelineConfiguration', input: { Identifier: ARN } }),
    ]);
    expect(p.actions[0].description).toBe(`delete call analytics configuration "support" (${ARN}); this cannot be undone (A2)`);
  });

  it('waits for VoiceConnector objects whose spec links it, by reference or by ARN (managed blockers)', () => {
    const world = new MemoryWorld([
      vc('by-ref', { dataRetentionInHours: 1, callAnalyticsConfigurationRef: { name: 'support' } }, 'vc-1'),
      vc('by-arn', { dataRetentionInHours: 1, callAnalyticsConfigurationArn: ARN }, undefined, 'other'),
      vc('other-ns-ref', { dataRetentionInHours: 1, callAnalyticsConfigurationRef: { name: 'support' } }, undefined, 'elsewhere'),
      vc('unrelated', { dataRetentionInHours: 1, callAnalyticsConfigurationRef: { name: 'sales' } }),
      vc('no-streaming', undefined),
    ]);
    const p = planCallAnalyticsConfigurationDelete(desired(), observed({ linkedBy: [{ voiceConnectorId: 'vc-1', name: 'by-ref' }] }), world, owner('support'));
    expect(p.blockers).toEqual([
      { managed: true, message: 'VoiceConnector default/by-ref to stop linking call analytics configuration "support" (its spec.streaming links it; A2)' },
      { managed: true, message: 'VoiceConnector other/by-arn to stop linking call analytics configuration "support" (its spec.streaming links it; A2)' },
    ]);
  });

  it('reports a connector not managed here that links it, by id and name (managed: false)', () => {
    const p = planCallAnalyticsConfigurationDelete(desired(), observed({ linkedBy: [{ voiceConnectorId: 'vc-9', name: 'pbx' }] }), new MemoryWorld([]), owner('support'));
    expect(p.blockers).toEqual([
      {
        managed: false,
        message:
          'Voice Connector vc-9 ("pbx") streams to call analytics configuration "support"; remove the link from its streaming configuration (PutVoiceConnectorStreamingConfiguration without MediaInsightsConfiguration) before it can be deleted (A2)',
      },
    ]);
  });

  it('reports a managed connector whose spec does not manage the link as a blocker to fix by hand', () => {
    const world = new MemoryWorld([vc('office', undefined, 'vc-2')]);
    const p = planCallAnalyticsConfigurationDelete(desired(), observed({ linkedBy: [{ voiceConnectorId: 'vc-2' }] }), world, owner('support'));
    expect(p.blockers).toEqual([{ managed: false, message: expect.stringContaining('Voice Connector vc-2, managed by VoiceConnector default/office whose spec does not manage the link') }]);
  });

  it('deletes even without consent', () => {
    expect(planCallAnalyticsConfigurationDelete(desired({ consentMissing: 'x' }), observed({ linkedBy: [] }), new MemoryWorld([]), owner('support')).actions).toHaveLength(1);
  });
});
