// iam/events-queue.yaml, the CloudFormation template of the events queue, against the code: the
// rule matches exactly the event sources the controller accepts, and the controller's role may
// make exactly the SQS calls the consumer makes, on that queue only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHIME_EVENT_SOURCES } from '../../src/aws/cloudtrail-events.js';
import { REPO_ROOT } from '../helpers/cluster.js';

const template = parse(readFileSync(join(REPO_ROOT, 'iam/events-queue.yaml'), 'utf8'));
const resources = template.Resources as Record<string, { Type: string; Properties: any }>;

describe('iam/events-queue.yaml', () => {
  it('routes the CloudTrail writes of every event source the controller accepts, and only writes', () => {
    const rule = resources.ChimeWritesRule;
    expect(rule.Type).toBe('AWS::Events::Rule');
    expect(rule.Properties.EventPattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect([...rule.Properties.EventPattern.detail.eventSource].sort()).toEqual([...CHIME_EVENT_SOURCES].sort());
    expect(rule.Properties.EventPattern.detail.readOnly).toEqual([false]);
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['EventsQueue', 'Arn'] });
  });

  it('lets only that rule send to the queue', () => {
    const statement = resources.EventsQueuePolicy.Properties.PolicyDocument.Statement[0];
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' });
    expect(statement.Condition.ArnEquals['aws:SourceArn']).toEqual({ 'Fn::GetAtt': ['ChimeWritesRule', 'Arn'] });
  });

  it("grants the controller the consumer's SQS calls (ReceiveMessage, DeleteMessageBatch, GetQueueAttributes) on the queue alone", () => {
    const consumer = readFileSync(join(REPO_ROOT, 'src/runtime/events-queue.ts'), 'utf8');
    const calls = [...new Set([...consumer.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]))].sort();
    expect(calls).toEqual(['DeleteMessageBatch', 'GetQueueAttributes', 'ReceiveMessage']);
    const statement = resources.ControllerReadsQueue.Properties.PolicyDocument.Statement[0];
    // DeleteMessageBatch is authorised as sqs:DeleteMessage.
    expect([...statement.Action].sort()).toEqual(['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
    expect(statement.Resource).toEqual({ 'Fn::GetAtt': ['EventsQueue', 'Arn'] });
  });
});
