import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES, type RouteDef } from '../../lambdas/http/routes';
import { built, logicalId, resourcesOf } from './synth';

const { appStack, appTemplate } = built('dev');

describe('scheduled work and mail', () => {
  it('FLAG-1: EventBridge runs the sweep every 15 minutes', () => {
    appTemplate.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(appStack.schedules.sweep), 'Arn'] } })]),
    });
  });

  const statementsOfRole = (roleId: string) =>
    Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] }).Statement);
  const sesSend = expect.objectContaining({
    Action: ['ses:SendRawEmail', 'ses:SendEmail'],
    Condition: { StringLike: { 'ses:FromAddress': '*@casework.example.com' } },
  });

  it('MAIL-1: the mail queue consumer (which sends every queued mail, FLAG-1 reminders included) may send only from the mail domain, and knows it', () => {
    const fn = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.mail.function)];
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_DOMAIN).toBe(
      'casework.example.com',
    );
    expect(statementsOfRole(logicalId(appStack.mail.function.role!))).toContainEqual(sesSend);
  });

  it('FLAG-2: the notifier queues mail and holds no SES permission; the sweep writes mail intents and holds neither', () => {
    const notifier = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.notifier.function)];
    expect((notifier.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_QUEUE_URL).toEqual({
      Ref: logicalId(appStack.mail.queue),
    });
    const notifierStatements = statementsOfRole(logicalId(appStack.notifier.function.role!));
    expect(notifierStatements).not.toContainEqual(sesSend);
    expect(JSON.stringify(notifierStatements)).toContain('sqs:SendMessage');

    const sweep = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.schedules.sweep)];
    expect((sweep.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_QUEUE_URL).toBeUndefined();
    const sweepStatements = statementsOfRole(logicalId(appStack.schedules.sweep.role!));
    expect(sweepStatements).not.toContainEqual(sesSend);
    // Its only queue is its own failure destination, never the mail queue.
    expect(JSON.stringify(sweepStatements)).not.toContain(logicalId(appStack.mail.queue));
  });

  it('ACC-10: read-only routes may update session items and nothing else', () => {
    const readOnly = (ROUTES as readonly RouteDef[]).filter((r) => r.table === 'read' && r.permission !== 'public');
    expect(readOnly.length).toBeGreaterThan(0);
    const policies = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'));
    for (const route of readOnly) {
      const fn = appStack.httpApi.functions.get(route.handler)!;
      const roleId = logicalId(fn.role!);
      const statements = policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] }).Statement);
      const updates = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:UpdateItem'));
      expect(updates).toEqual([
        expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } } }),
      ]);
    }
  });
});
