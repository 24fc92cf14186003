import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { ROUTES, routeKey, type RouteDef } from '../../lambdas/http/routes';
import { CaseworkFunction } from '../../lib/constructs/casework-function';
import { built, logicalId, resourcesOf, type Built } from './synth';

const routes: readonly RouteDef[] = ROUTES;
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
  Condition?: unknown;
}

const statementsOf = (b: Built, handler: string): Statement[] => {
  const fn = b.appStack.httpApi.functions.get(handler)!;
  const roleId = logicalId(fn.role!);
  return Object.values(resourcesOf(b.appTemplate, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => [s.Action].flat());
const envOf = (b: Built, handler: string): Record<string, unknown> => {
  const fn = b.appStack.httpApi.functions.get(handler)!;
  const res = b.appTemplate.toJSON().Resources[logicalId(fn)];
  return res.Properties.Environment.Variables;
};

describe.each(['dev', 'prod'] as const)('every function (%s)', (stage) => {
  // Route functions; the scheduled sweep has its own timeout and its own tests (schedules.test.ts).
  const functions = () => {
    const b = built(stage);
    const ids = new Set([...b.appStack.httpApi.functions.values()].map((f) => logicalId(f)));
    return Object.entries(resourcesOf(b.appTemplate, 'AWS::Lambda::Function')).filter(([id]) => ids.has(id));
  };

  it('there is one function per handler module of the route table', () => {
    expect(functions()).toHaveLength(new Set(routes.map((r) => r.handler)).size);
  });

  it('runs Node.js 24 on arm64, 512 MB, 10 s, traced, with source maps', () => {
    for (const [, fn] of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'casework',
            STAGE: stage,
          }),
        },
      });
    }
  });

  it(`logs to its own log group, kept ${stage === 'prod' ? '6 months and retained' : '1 month'}`, () => {
    const resources = built(stage).appTemplate.toJSON().Resources;
    const seen = new Set<string>();
    for (const [, fn] of functions()) {
      const ref = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(seen.has(ref)).toBe(false);
      seen.add(ref);
      expect(resources[ref]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: stage === 'prod' ? 180 : 30 },
        DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
      });
    }
  });

  it('roles carry no AWS-managed policies, and only X-Ray gets Resource "*" (besides the one raw-mail prefix)', () => {
    const { appTemplate, appStack } = built(stage);
    // receive-mail reads keys SES chooses, under one prefix (test/infra/inbound-mail.test.ts).
    const rawMailPrefix = JSON.stringify({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(appStack.inboundMail.bucket), 'Arn'] }, `/${appStack.inboundMail.prefix}*`]],
    });
    for (const [, role] of Object.entries(resourcesOf(appTemplate, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const starred = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => JSON.stringify(s.Resource).includes('*') && JSON.stringify(s.Resource) !== rawMailPrefix);
    expect(new Set(actionsOf(starred))).toEqual(new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });
});

describe('least privilege, per route (table access from the route table)', () => {
  const cases = routes.map((r) => [routeKey(r), r.table, r] as const);

  it.each(cases)('%s (table: %s)', (_key, access, route) => {
    const b = built();
    const statements = statementsOf(b, route.handler);
    const actions = actionsOf(statements);
    const env = envOf(b, route.handler);
    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    const secretRef = { Ref: logicalId(b.appStack.cursorSecret) };

    if (access === 'none') {
      expect(dynamo).toEqual([]);
      expect(env.TABLE_NAME).toBeUndefined();
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
      return;
    }
    expect(env.TABLE_NAME).toBeDefined();
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    // A read route's only write is the ACC-10 session touch, fenced to SESSION# items (schedules.test.ts).
    const unfenced = actionsOf(statements.filter((s) => !s.Condition));
    if (access === 'read') for (const a of WRITE_ACTIONS) expect(unfenced).not.toContain(a);
    else expect(actions).toEqual(expect.arrayContaining(WRITE_ACTIONS));
    expect(actions).not.toContain('dynamodb:*');

    // Indexes are named one by one; nothing may touch "<table>/index/*".
    expect(JSON.stringify(statements)).not.toContain('/index/*');

    // Every function that reads the table signs or checks cursors: the key, and only the key;
    // routes that send case mail also sign reply tokens (MAIL-1): that keyring as well.
    expect(env.CURSOR_SECRET_ARN).toEqual(secretRef);
    const replyKeysRef = { Ref: logicalId(b.appStack.replyKeys) };
    const secretStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
    expect(secretStatements.map((s) => s.Resource)).toEqual(route.sendsMail ? [secretRef, replyKeysRef] : [secretRef]);
    expect(env.REPLY_TOKEN_SECRET_ARN).toEqual(route.sendsMail ? replyKeysRef : undefined);
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: knows the web and mobile client ids (PRIV-2)', (_k, route) => {
    const b = built();
    const env = envOf(b, route.handler);
    expect(env.WEB_CLIENT_ID).toEqual({ Ref: logicalId(b.appStack.identity.web) });
    expect(env.MOBILE_CLIENT_ID).toEqual({ Ref: logicalId(b.appStack.identity.mobile) });
  });
});

describe('bundling', () => {
  it('bundles a handler with the AWS SDK inside, minified, with a source map', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': ['**'] } });
    const stack = new Stack(app, 'Bundle');
    new CaseworkFunction(stack, 'GetMe', { stage: 'dev', module: 'http/get-me' });
    const dir = app.synth().directory;
    const [asset] = fs.readdirSync(dir).filter((d) => d.startsWith('asset.'));
    const files = fs.readdirSync(path.join(dir, asset!));
    expect(files.sort()).toEqual(['index.js', 'index.js.map']);
    const code = fs.readFileSync(path.join(dir, asset!, 'index.js'), 'utf8');
    // Inside the bundle, not resolved from the runtime's own copy of the SDK.
    expect(code).toContain('DynamoDBClient');
    expect(code.includes('require("@aws-sdk/client-dynamodb")')).toBe(false);
    expect(code.includes('require("@aws-sdk/lib-dynamodb")')).toBe(false);
  }, 60_000);
});
