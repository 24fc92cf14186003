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

  it('MAIL-1: the notifier (which sends the FLAG-1 reminders) may send mail only from the mail domain, and knows it', () => {
    const fn = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.notifier.function)];
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_DOMAIN).toBe(
      'casework.example.com',
    );
    appTemplate.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ses:SendRawEmail', 'ses:SendEmail'],
            Condition: { StringLike: { 'ses:FromAddress': '*@casework.example.com' } },
          }),
        ]),
      },
    });
  });

  it('FLAG-2: the sweep, which mails portal admins about overdue access requests, sends only from the mail domain', () => {
    const fn = resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(appStack.schedules.sweep)];
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_DOMAIN).toBe(
      'casework.example.com',
    );
    const roleId = logicalId(appStack.schedules.sweep.role!);
    const statements = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] }).Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['ses:SendRawEmail', 'ses:SendEmail'],
        Condition: { StringLike: { 'ses:FromAddress': '*@casework.example.com' } },
      }),
    );
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
