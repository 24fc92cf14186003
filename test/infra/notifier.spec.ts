/** The stream notifier's event source, failure queue, integration topic and grants. */
import { Match } from 'aws-cdk-lib/assertions';
import { STREAM_FILTERS } from '../../lambdas/data/stream-records';
import { NOTIFIER_RETRY_ATTEMPTS } from '../../lib/constructs/notifier';
import { built, logicalId, resourcesOf } from './synth';

const { appStack, appTemplate } = built('dev');
const fnId = () => logicalId(appStack.notifier.function);

const statementsOf = (roleId: string) =>
  Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] })
          .Statement,
    );

describe('the stream notifier', () => {
  it('NOTE-1: the table stream drives it with partial batch responses, bisection, bounded retries and an on-failure queue', () => {
    appTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId() },
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: NOTIFIER_RETRY_ATTEMPTS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(appStack.notifier.failures), 'Arn'] } },
      },
    });
    expect(NOTIFIER_RETRY_ATTEMPTS).toBeGreaterThan(0);
    expect(NOTIFIER_RETRY_ATTEMPTS).toBeLessThanOrEqual(10);
  });

  it('NOTE-1: only case, update and organisation-event writes pass the filters; no REMOVE (TTL deletions) does', () => {
    const mapping = Object.values(resourcesOf(appTemplate, 'AWS::Lambda::EventSourceMapping')).find(
      (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: fnId() }),
    )!;
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(filters).toEqual(STREAM_FILTERS);
    for (const f of filters) expect(f.eventName).not.toContain('REMOVE');
  });

  it('ALARM-1, ALARM-2: inserts and changes of alarms, cloud incidents and maintenance alerts pass the deployed filters; at most 5 filters (the Lambda quota)', () => {
    const mapping = Object.values(resourcesOf(appTemplate, 'AWS::Lambda::EventSourceMapping')).find(
      (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: fnId() }),
    )!;
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(filters.length).toBeLessThanOrEqual(5);
    expect(filters).toContainEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { Keys: { PK: { S: [{ prefix: 'MONITOR#' }] }, SK: { S: ['ALARM', 'INCIDENT', 'MAINTENANCE'] } } },
    });
  });

  it('NOTE-1: the integration topic and the failure queue are encrypted with a rotated key and refuse plain HTTP', () => {
    const keyArn = { 'Fn::GetAtt': [logicalId(appStack.notifier.key), 'Arn'] };
    appTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    appTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    appTemplate.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn });
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    appTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
    appTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
  });

  it('NOTE-1: it knows the topic and may publish to that topic only; it writes only its ledger, inbox items (INBOX#, never USER# profiles or staff roles), disabled devices (DEVICE#) and the log entries of the mail it queues (MAILLOG#), and never Scans', () => {
    const fn = resourcesOf(appTemplate, 'AWS::Lambda::Function')[fnId()];
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.NOTIFY_TOPIC_ARN).toEqual({ Ref: logicalId(appStack.notifier.topic) });
    const statements = statementsOf(logicalId(appStack.notifier.function.role!));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).not.toContain('dynamodb:Scan');
    const publish = statements.filter((s) => JSON.stringify(s.Action).includes('sns:Publish'));
    expect(publish).toEqual([expect.objectContaining({ Resource: { Ref: logicalId(appStack.notifier.topic) } })]);
    const writes = statements.filter((s) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(JSON.stringify(s.Action)));
    expect(writes.length).toBeGreaterThan(0);
    const fenced = writes.map((w) => [
      w.Action,
      (w.Condition as Record<string, Record<string, string[]>>)['ForAllValues:StringLike']!['dynamodb:LeadingKeys'],
    ]);
    expect(Object.fromEntries(fenced.map(([a, k]) => [String(a), k]))).toEqual({
      // And the `queued` entry of each case mail it queues, in the case's mail log. Inbox
      // items and devices are the delivery function's (NOTE-1: it tells the recipients).
      'dynamodb:PutItem': ['MAILLOG#*', 'OUTBOX#*'],
      'dynamodb:UpdateItem': ['OUTBOX#*'],
      'dynamodb:DeleteItem': ['OUTBOX#*'],
    });
    // Other functions do not get the topic.
    const sweep = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.schedules.sweep)];
    expect((sweep.Properties.Environment as { Variables: Record<string, unknown> }).Variables.NOTIFY_TOPIC_ARN).toBeUndefined();
  });
});
