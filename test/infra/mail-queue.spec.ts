/**
 * In CDK: one mail queue whose failures reach a dead-letter queue whole, an alarm on that
 * queue, a consumer with partial batch failures, and timeouts in the right order.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { SES_TIMEOUTS } from '../../lambdas/adapters/ses-mailer';
import { built, logicalId, resourcesOf } from './synth';

const { appStack, appTemplate } = built('dev');

describe('the mail queue', () => {
  it('what fails every retry goes to a dead-letter queue (the whole message) after ten receipts', () => {
    const queue = resourcesOf(appTemplate, 'AWS::SQS::Queue')[logicalId(appStack.mail.queue)];
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(appStack.mail.dead), 'Arn'] },
      maxReceiveCount: 10,
    });
    // 14 days to redrive, longer than the queue keeps a job (4 days).
    const dead = resourcesOf(appTemplate, 'AWS::SQS::Queue')[logicalId(appStack.mail.dead)];
    expect(dead.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('an alarm fires on the first job in the dead-letter queue', () => {
    appTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(appStack.mail.dead), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('the consumer reports partial batch failures; SES is bounded well inside its timeout, and the visibility timeout outlasts it', () => {
    appTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(appStack.mail.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(appStack.mail.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.mail.function)];
    const timeout = fn.Properties.Timeout as number;
    expect(SES_TIMEOUTS.connectionTimeout + SES_TIMEOUTS.requestTimeout).toBeLessThan(timeout * 1000);
    const queue = resourcesOf(appTemplate, 'AWS::SQS::Queue')[logicalId(appStack.mail.queue)];
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    // The backoff is the consumer's own: it may move a message's visibility.
    appTemplate.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(appStack.mail.function.role!) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:ChangeMessageVisibility']) })]),
      },
    });
  });

  it('mail is isolated from push and inbox: the notifier holds no SES permission and hands mail to the mail queue', () => {
    const roleId = logicalId(appStack.notifier.function.role!);
    const statements = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource?: unknown }[] }).Statement);
    expect(JSON.stringify(statements)).not.toContain('ses:');
    const sends = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'));
    // The mail queue, and the stream's own failure destination.
    expect(sends.map((s) => s.Resource)).toContainEqual({ 'Fn::GetAtt': [logicalId(appStack.mail.queue), 'Arn'] });
  });
});
