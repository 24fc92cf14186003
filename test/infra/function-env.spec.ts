/**
 * Every function's environment in the synthesized template is exactly what its spec
 * in lib/function-specs.ts says, the spec that local mode and the handler tests run each function
 * with. A variable a function lacks in AWS is therefore missing locally too.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CaseworkFunction } from '../../lib/constructs/casework-function';
import {
  allFunctionSpecs,
  awsEnvironmentNames,
  CHAT_AUTHORIZER_FUNCTION,
  CHAT_SOCKET_FUNCTION,
  CHAT_TIMER_FUNCTION,
  CHECK_ATTACHMENT_FUNCTION,
  DELIVER_FUNCTION,
  httpFunctionSpecs,
  NOTIFIER_FUNCTION,
  SEND_MAIL_FUNCTION,
  RECEIVE_MAIL_FUNCTION,
  SWEEP_FUNCTION,
} from '../../lib/function-specs';
import { build, built, logicalId, resourcesOf } from './synth';

describe.each(['dev', 'prod'] as const)('function environments (%s)', (stage) => {
  const b = () => built(stage);
  const byLogicalId = () => {
    const specs = new Map<string, string>();
    for (const [name, fn] of b().appStack.httpApi.functions) specs.set(logicalId(fn), name);
    specs.set(logicalId(b().appStack.schedules.sweep), SWEEP_FUNCTION.name);
    specs.set(logicalId(b().appStack.inboundMail.receiveMail), RECEIVE_MAIL_FUNCTION.name);
    specs.set(logicalId(b().appStack.notifier.function), NOTIFIER_FUNCTION.name);
    specs.set(logicalId(b().appStack.mail.function), SEND_MAIL_FUNCTION.name);
    specs.set(logicalId(b().appStack.delivery.function), DELIVER_FUNCTION.name);
    specs.set(logicalId(b().appStack.chat.authorizerFunction), CHAT_AUTHORIZER_FUNCTION.name);
    specs.set(logicalId(b().appStack.chat.socketFunction), CHAT_SOCKET_FUNCTION.name);
    specs.set(logicalId(b().appStack.chat.timerFunction), CHAT_TIMER_FUNCTION.name);
    specs.set(logicalId(b().appStack.attachments.checkAttachment), CHECK_ATTACHMENT_FUNCTION.name);
    return specs;
  };

  it('every Lambda function of the app is one of the specs, and every spec is deployed', () => {
    const functions = Object.keys(resourcesOf(b().appTemplate, 'AWS::Lambda::Function'));
    const names = functions.map((id) => byLogicalId().get(id));
    expect(names).not.toContain(undefined);
    expect(new Set(names)).toEqual(new Set(allFunctionSpecs().keys()));
  });

  it("each function's variables are exactly its spec's names", () => {
    const specs = allFunctionSpecs();
    for (const [id, fn] of Object.entries(resourcesOf(b().appTemplate, 'AWS::Lambda::Function'))) {
      const name = byLogicalId().get(id)!;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect({ name, variables: Object.keys(variables).sort() }).toEqual({
        name,
        variables: awsEnvironmentNames(specs.get(name)!),
      });
    }
  });

  it('the public functions without table access (health, terms, OpenAPI) get no TABLE_NAME and no secret', () => {
    // ACC-6's public access-request routes do use the table, and get it.
    const publicOnly = [...httpFunctionSpecs()].filter(([, s]) =>
      s.routes.every((r) => r.permission === 'public' && r.table === 'none'),
    );
    expect(publicOnly.map(([name]) => name).sort()).toEqual(['get-health', 'get-openapi', 'get-terms']);
    for (const [name] of publicOnly) {
      const fn = b().appTemplate.toJSON().Resources[logicalId(b().appStack.httpApi.functions.get(name)!)];
      const variables = Object.keys(fn.Properties.Environment.Variables);
      expect(variables).not.toContain('TABLE_NAME');
      expect(variables).not.toContain('CURSOR_SECRET_ARN');
    }
  });
});

describe('CaseworkFunction.bind', () => {
  it('refuses a binding whose target the stack did not give', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
    const fn = new CaseworkFunction(stack, 'Sweep', { stage: 'dev', module: SWEEP_FUNCTION.module });
    expect(() => fn.bind(SWEEP_FUNCTION, { mailDomain: 'casework.example.com' })).toThrow(/table/);
  });
});

describe('NOTE-1: the push binding (platform applications from context)', () => {
  const APNS = 'arn:aws:sns:eu-west-1:123456789012:app/APNS/casework';
  const FCM = 'arn:aws:sns:eu-west-1:123456789012:app/GCM/casework';
  const statementsOf = (b: ReturnType<typeof build>, fn: CaseworkFunction) => {
    const roleId = logicalId(fn.role!);
    return Object.values(resourcesOf(b.appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
      )
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('sns:')));
  };
  const envOf = (b: ReturnType<typeof build>, fn: CaseworkFunction) =>
    (b.appTemplate.toJSON().Resources[logicalId(fn)].Properties.Environment as { Variables: Record<string, unknown> }).Variables;

  it('NOTE-1: with both applications, the device routes and the delivery function get their ARNs and SNS endpoint rights on them only', () => {
    const b = build({ stage: 'dev', pushApnsArn: APNS, pushFcmArn: FCM });
    for (const fn of [
      b.appStack.httpApi.functions.get('register-device')!,
      b.appStack.httpApi.functions.get('delete-device')!,
      b.appStack.delivery.function,
    ]) {
      expect(envOf(b, fn)).toMatchObject({ PUSH_APNS_APP_ARN: APNS, PUSH_FCM_APP_ARN: FCM });
      const sns = statementsOf(b, fn).filter(
        (s) => JSON.stringify(s.Resource).includes(':app/') || JSON.stringify(s.Resource).includes(':endpoint/'),
      );
      expect(sns).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Action: 'sns:CreatePlatformEndpoint', Resource: [APNS, FCM] }),
          expect.objectContaining({
            Action: ['sns:Publish', 'sns:SetEndpointAttributes', 'sns:DeleteEndpoint'],
            Resource: [
              'arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/casework/*',
              'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/casework/*',
            ],
          }),
        ]),
      );
    }
    // Functions without the binding have neither the variables nor the rights: the notifier hands recipients to the delivery queue.
    for (const other of [b.appStack.httpApi.functions.get('get-me')!, b.appStack.notifier.function]) {
      expect(Object.keys(envOf(b, other))).not.toContain('PUSH_APNS_APP_ARN');
      expect(JSON.stringify(statementsOf(b, other))).not.toContain('CreatePlatformEndpoint');
    }
  });

  it('NOTE-1: without applications the variables are empty and no SNS endpoint right is granted', () => {
    const b = built('dev');
    const fn = b.appStack.httpApi.functions.get('register-device')!;
    expect(envOf(b, fn)).toMatchObject({ PUSH_APNS_APP_ARN: '', PUSH_FCM_APP_ARN: '' });
    expect(JSON.stringify(statementsOf(b, fn))).not.toMatch(/CreatePlatformEndpoint|DeleteEndpoint/);
  });

  it('NOTE-1: a context value that is not a platform application ARN is refused at synth', () => {
    expect(() => build({ stage: 'dev', pushApnsArn: 'arn:aws:sns:eu-west-1:123456789012:casework-topic' })).toThrow(/APNS/);
    expect(() => build({ stage: 'dev', pushFcmArn: APNS })).toThrow(/GCM/);
  });
});

describe('ACC-6: the userPool binding (approved requesters become Cognito users)', () => {
  const COGNITO_ACTIONS = ['cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminUpdateUserAttributes'];
  const cognitoStatementsOf = (b: ReturnType<typeof built>, fn: CaseworkFunction) => {
    const roleId = logicalId(fn.role!);
    return Object.values(resourcesOf(b.appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
      )
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')));
  };
  const allFunctions = (b: ReturnType<typeof built>) => [
    ...b.appStack.httpApi.functions,
    [SWEEP_FUNCTION.name, b.appStack.schedules.sweep] as const,
    [RECEIVE_MAIL_FUNCTION.name, b.appStack.inboundMail.receiveMail] as const,
    [NOTIFIER_FUNCTION.name, b.appStack.notifier.function] as const,
  ];

  it.each(['dev', 'prod'] as const)(
    'ACC-6 (%s): decide-access-request alone gets USER_POOL_ID and the admin user calls, on that pool’s ARN only',
    (stage) => {
      const b = built(stage);
      const poolId = logicalId(b.appStack.identity.userPool);
      for (const [name, fn] of allFunctions(b)) {
        const variables = (
          b.appTemplate.toJSON().Resources[logicalId(fn)].Properties.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables;
        const statements = cognitoStatementsOf(b, fn as CaseworkFunction);
        if (name === 'decide-access-request') {
          expect(variables.USER_POOL_ID).toEqual({ Ref: poolId });
          expect(statements).toEqual([
            expect.objectContaining({ Action: COGNITO_ACTIONS, Resource: { 'Fn::GetAtt': [poolId, 'Arn'] } }),
          ]);
        } else {
          expect({ name, pool: variables.USER_POOL_ID, statements }).toEqual({ name, pool: undefined, statements: [] });
        }
      }
    },
  );

  it('ACC-6: the binding is set from the route table (grantsAccounts), like the other bindings', () => {
    const bound = [...allFunctionSpecs()].filter(([, s]) => s.userPool).map(([name]) => name);
    expect(bound).toEqual(['decide-access-request']);
  });
});
