/**
 * NOTE-1, NOTE-2 in CDK: fan-out through the delivery queue. The notifier may only send to it; its
 * consumer reports partial batch failures, outlives its timeout in visibility, and what fails every
 * retry reaches a dead-letter queue whole, with an alarm.
 */
import { DELIVERY_MAX_RECEIVES } from '../../lambdas/domain/notifications/delivery';
import { built, logicalId, resourcesOf } from './synth';

const { appStack, appTemplate } = built('dev');

const statementsOf = (roleId: string) =>
  Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource?: unknown }[] }).Statement);

describe('NOTE-1, NOTE-2: the delivery queue', () => {
  it('NOTE-1: a chunk that fails every retry goes whole to a dead-letter queue, whose first message raises an alarm', () => {
    const queue = resourcesOf(appTemplate, 'AWS::SQS::Queue')[logicalId(appStack.delivery.queue)];
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(appStack.delivery.dead), 'Arn'] },
      maxReceiveCount: DELIVERY_MAX_RECEIVES,
    });
    appTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(appStack.delivery.dead), 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('NOTE-1: the delivery function reports partial batch failures, and the visibility timeout outlasts it', () => {
    appTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(appStack.delivery.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(appStack.delivery.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.delivery.function)];
    const queue = resourcesOf(appTemplate, 'AWS::SQS::Queue')[logicalId(appStack.delivery.queue)];
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (fn.Properties.Timeout as number));
  });

  it('NOTE-1: the notifier may send to the delivery queue, and only its consumer may receive from it', () => {
    const sends = statementsOf(logicalId(appStack.notifier.function.role!)).filter((s) =>
      JSON.stringify(s.Action).includes('sqs:SendMessage'),
    );
    expect(sends.map((s) => s.Resource)).toContainEqual({ 'Fn::GetAtt': [logicalId(appStack.delivery.queue), 'Arn'] });
    const queueArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(appStack.delivery.queue), 'Arn'] });
    const receivers = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy')).filter((p) =>
      (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource?: unknown }[] }).Statement.some(
        (s) => JSON.stringify(s.Action).includes('sqs:ReceiveMessage') && JSON.stringify(s.Resource) === queueArn,
      ),
    );
    expect(receivers.map((p) => p.Properties.Roles)).toEqual([[{ Ref: logicalId(appStack.delivery.function.role!) }]]);
  });
});
