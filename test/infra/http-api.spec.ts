import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { INGEST_SCOPE } from '../../lambdas/domain/kernel/policy';
import { ROUTES, routeKey, type RouteDef } from '../../lambdas/http/routes';
import { CaseworkTable } from '../../lib/constructs/casework-table';
import { CaseworkHttpApi } from '../../lib/constructs/http-api';
import { CaseworkIdentity } from '../../lib/constructs/identity';
import { STAGE_CONFIG } from '../../lib/stage';
import { SYNTH_CONTEXT, PROD_CONTEXT, PROD_PORTAL_ORIGIN, build, built, logicalId, resourcesOf } from './synth';

const routes: readonly RouteDef[] = ROUTES;

const routeResource = (key: string) => {
  const found = Object.entries(resourcesOf(built().appTemplate, 'AWS::ApiGatewayV2::Route')).filter(
    ([, r]) => r.Properties.RouteKey === key,
  );
  expect(found).toHaveLength(1);
  return found[0]![1];
};

describe('the JWT authorizer', () => {
  it('trusts the Cognito user pool as issuer', () => {
    const { appStack, appTemplate } = built();
    appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: Match.objectLike({
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: logicalId(appStack.identity.userPool) }],
          ],
        },
      }),
    });
  });

  it('accepts tokens of exactly the web, mobile and monitoring clients', () => {
    const { appStack, appTemplate } = built();
    const { web, mobile, monitoring } = appStack.identity;
    const ids = [web, mobile, monitoring].map((c) => ({ Ref: logicalId(c) }));
    appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: Match.objectLike({ Audience: ids }),
    });
  });
});

describe('routes, from the route table', () => {
  it('the API has exactly the routes of lambdas/http/routes.ts', () => {
    // The chat WebSocket API's routes are its own (test/infra/chat-api.spec.ts).
    const httpApiId = { Ref: logicalId(built().appStack.httpApi.api) };
    const keys = Object.values(resourcesOf(built().appTemplate, 'AWS::ApiGatewayV2::Route'))
      .filter((r) => JSON.stringify(r.Properties.ApiId) === JSON.stringify(httpApiId))
      .map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: authorization as its permission says', (key, route) => {
    const { Properties: props } = routeResource(key);
    if (route.permission === 'public') {
      expect(props.AuthorizationType).toBe('NONE');
      expect(props.AuthorizerId).toBeUndefined();
    } else {
      expect(props.AuthorizationType).toBe('JWT');
      expect(props.AuthorizerId).toBeDefined();
    }
    if (route.permission === 'ingest') expect(props.AuthorizationScopes).toEqual([INGEST_SCOPE]);
    else expect(props.AuthorizationScopes).toBeUndefined();
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: integrates its own handler module', (key, route) => {
    const { appStack, appTemplate } = built();
    const target = routeResource(key).Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integrationId = target['Fn::Join'][1][1].Ref;
    const integration = appTemplate.toJSON().Resources[integrationId];
    const fn = appStack.httpApi.functions.get(route.handler)!;
    expect(integration.Properties.IntegrationUri).toEqual({
      'Fn::GetAtt': [logicalId(fn), 'Arn'],
    });
    expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
  });
});

describe('the default stage', () => {
  it('auto-deploys, throttles by default and writes JSON access logs with the request id', () => {
    built().appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
  });

  it.each(['dev', 'prod'] as const)('limits: the stage throttle is the stage configuration (%s)', (stage) => {
    const { rateLimit, burstLimit } = STAGE_CONFIG[stage].throttle;
    built(stage).appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: burstLimit, ThrottlingRateLimit: rateLimit },
    });
  });

  it.each(['dev', 'prod'] as const)('access logs are kept for a set time (%s)', (stage) => {
    const { appTemplate } = built(stage);
    const stageRes = Object.values(resourcesOf(appTemplate, 'AWS::ApiGatewayV2::Stage'))[0]!;
    const [logGroupId] = (stageRes.Properties.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string] } }).DestinationArn[
      'Fn::GetAtt'
    ];
    const logGroup = appTemplate.toJSON().Resources[logGroupId];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(stage === 'prod' ? 180 : 30);
  });
});

describe('CORS', () => {
  it('allows the local portal by default, with the headers the API reads', () => {
    built().appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['http://localhost:5173'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key', 'if-match']),
        AllowCredentials: false,
      }),
    });
  });

  it('takes the portal origin from context', () => {
    build({ portalOrigin: 'https://support.example.com' }).appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://support.example.com'] }),
    });
  });

  it('limits: the CORS allowlist takes more origins from configuration, and exposes Retry-After', () => {
    build({
      portalOrigin: 'https://support.example.com',
      corsOrigins: 'https://staging.example.com, http://localhost:3001',
    }).appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://support.example.com', 'https://staging.example.com', 'http://localhost:3001'],
        ExposeHeaders: Match.arrayWith(['retry-after']),
      }),
    });
    expect(() => build({ corsOrigins: 'https://a.example/path' })).toThrow(/no path or wildcard/);
    expect(() => build({ corsOrigins: '*' })).toThrow(/no path or wildcard/);
    expect(() => build({ stage: 'prod', ...PROD_CONTEXT, corsOrigins: 'http://staging.example.com' })).toThrow(
      /https CORS origins only/,
    );
  });

  it('prod refuses to synthesize without an explicit portal origin (no localhost default)', () => {
    expect(() => build({ stage: 'prod' })).toThrow(/Stage prod needs the portal origin: .*-c portalOrigin=/);
    expect(() => build({ stage: 'prod', portalOrigin: '' })).toThrow(/Stage prod needs the portal origin/);
    expect(() => build({ stage: 'prod', portalOrigin: 'http://support.example.com' })).toThrow(/https/);
    expect(() => build({ portalOrigin: 'https://support.example.com/portal' })).toThrow(/no path/);
  });

  it('prod: CORS allows exactly the portal origin given, and Cognito redirects there', () => {
    const { appTemplate } = built('prod');
    appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [PROD_PORTAL_ORIGIN] }),
    });
    expect(JSON.stringify(appTemplate.toJSON())).not.toContain('localhost');
    appTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web',
      CallbackURLs: [`${PROD_PORTAL_ORIGIN}/auth/callback`],
    });
  });
});

describe('route kinds the table does not have yet', () => {
  // Real handler modules stand in; what is under test is how permission and table access map.
  const extra: RouteDef[] = [
    {
      method: 'POST',
      path: '/ingest/alarms',
      handler: 'get-health',
      permission: 'ingest',
      table: 'none',
      caseData: false,
      summary: 'ingest',
      success: { status: 202 },
    },
    {
      method: 'GET',
      path: '/shared',
      handler: 'get-me',
      permission: 'signedIn',
      table: 'read',
      caseData: false,
      summary: 'reads',
      success: { status: 200 },
    },
    {
      method: 'PUT',
      path: '/shared',
      handler: 'get-me',
      permission: 'signedIn',
      table: 'write',
      writes: ['saveCase'],
      caseData: false,
      summary: 'writes',
      success: { status: 200 },
    },
  ];
  const synth = () => {
    const app = new App({ context: SYNTH_CONTEXT });
    const stack = new Stack(app, 'Routes');
    const { table } = new CaseworkTable(stack, 'Table');
    const http = new CaseworkHttpApi(stack, 'Http', {
      stage: 'dev',
      table,
      cursorSecret: new secretsmanager.Secret(stack, 'Key'),
      identity: new CaseworkIdentity(stack, 'Identity', { stage: 'dev', domainPrefix: 'x', portalOrigin: 'http://x' }),
      corsOrigins: ['http://x'],
      mailDomain: 'casework.example.com',
      replyKeys: new secretsmanager.Secret(stack, 'ReplyKeys'),
      routes: extra,
    });
    return { http, template: Template.fromStack(stack) };
  };

  it('ingest routes need a JWT carrying the casework/ingest scope', () => {
    synth().template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /ingest/alarms',
      AuthorizationType: 'JWT',
      AuthorizationScopes: [INGEST_SCOPE],
    });
  });

  it('routes sharing a handler share one function, with the widest access and the writes any of them needs', () => {
    const { http, template } = synth();
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(2);
    expect([...http.functions.keys()].sort()).toEqual(['get-health', 'get-me']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:PutItem',
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CALLER#*', 'CASE#*'] } },
          }),
        ]),
      },
    });
  });

  it('an ingest route (machines only) gets no ACC-10 session grant', () => {
    const { http, template } = synth();
    const roleId = logicalId(http.functions.get('get-health')!.role!);
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleId),
    );
    expect(JSON.stringify(policies)).not.toContain('dynamodb:');
  });
});
