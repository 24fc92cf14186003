import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { INGEST_SCOPE } from '../../lambdas/domain/kernel/policy';
import { ROUTES, type RouteDef } from '../../lambdas/http/routes';
import { httpFunctionSpecs } from '../function-specs';
import { CORS_POLICY, STAGE_CONFIG, type Stage } from '../stage';
import { CaseworkFunction, LOG_RETENTION, logRemovalPolicy, type BindingTargets } from './casework-function';
import type { CaseworkIdentity } from './identity';

export interface CaseworkHttpApiProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** Signs pagination cursors; bound to every function that reads the table. */
  readonly cursorSecret: secretsmanager.ISecret;
  readonly identity: CaseworkIdentity;
  /** Routes marked `sendsMail` send case mail from this domain (MAIL-1). */
  readonly mailDomain: string;
  /** Reply-token keyring, bound to the routes that send case mail (MAIL-1). */
  readonly replyKeys: secretsmanager.ISecret;
  /** The browser origins CORS allows (lib/stage.ts corsOriginsFor). */
  readonly corsOrigins: readonly string[];
  /** SNS platform applications for the device routes (NOTE-1); "" where there is none. @default none */
  readonly push?: { apns: string; fcm: string };
  /** The mail queue the access-request routes queue their notices on. */
  readonly mailQueue?: BindingTargets['mailQueue'];
  /** Cases' files (MAIL-2, CASE-6): the routes that presign uploads and downloads. */
  readonly attachments?: BindingTargets['attachments'];
  /** @default the stage throttle in STAGE_CONFIG (lib/stage.ts) */
  readonly throttle?: apigw.ThrottleSettings;
  /** @default ROUTES, the route table; tests pass others to reach cases it does not have yet */
  readonly routes?: readonly RouteDef[];
}

/** `list-cases` -> `ListCases`: readable construct ids and logical ids. */
const pascal = (handler: string): string =>
  handler.replace(/(^|[-_/])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());

/**
 * The HTTP API, built from the route table in lambdas/http/routes.ts: adding a route there adds
 * its function, its grants and its authorization here, with nothing to remember in this file.
 */
export class CaseworkHttpApi extends Construct {
  public readonly api: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  /** Route functions by handler module name (`get-case`). */
  public readonly functions: ReadonlyMap<string, CaseworkFunction>;

  public constructor(scope: Construct, id: string, props: CaseworkHttpApiProps) {
    super(scope, id);
    const routes: readonly RouteDef[] = props.routes ?? ROUTES;
    const { identity } = props;

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `casework-${props.stage}`,
      description: 'Casework customer-support portal API',
      // Our own stage below: the built-in default stage takes neither access logs nor throttling.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [...new Set(routes.map((r) => r.method))].map((m) => apigw.CorsHttpMethod[m]),
        allowHeaders: [...CORS_POLICY.allowHeaders],
        exposeHeaders: [...CORS_POLICY.exposeHeaders],
        // Bearer tokens, not cookies: the browser never needs to send credentials.
        allowCredentials: false,
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION[props.stage],
      removalPolicy: logRemovalPolicy(props.stage),
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? STAGE_CONFIG[props.stage].throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
            clientId: '$context.authorizer.claims.client_id',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer('Cognito', identity.issuer, {
      authorizerName: 'cognito',
      jwtAudience: identity.audience,
    });
    const noAuth = new apigw.HttpNoneAuthorizer();
    const clients = { web: identity.web.userPoolClientId, mobile: identity.mobile.userPoolClientId };

    const functions = new Map<string, CaseworkFunction>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const [handler, spec] of httpFunctionSpecs(routes)) {
      const fn = new CaseworkFunction(this, pascal(handler), {
        stage: props.stage,
        module: spec.module,
        description: spec.routes
          .map((r) => `${r.method} ${r.path}`)
          .join(', ')
          .slice(0, 256),
      }).bind(spec, {
        table: props.table,
        cursorSecret: props.cursorSecret,
        clients,
        mailDomain: props.mailDomain,
        replyKeys: props.replyKeys,
        push: props.push ?? { apns: '', fcm: '' },
        userPool: identity.userPool,
        mailQueue: props.mailQueue,
        attachments: props.attachments,
      });
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'API Gateway invokes route functions synchronously: a failure is the response (a 5xx, logged), ' +
          'and a dead-letter queue only ever receives failed asynchronous invocations.',
      });
      functions.set(handler, fn);
      integrations.set(handler, new HttpLambdaIntegration(`${pascal(handler)}Integration`, fn));
    }
    this.functions = functions;

    for (const route of routes) {
      const isPublic = route.permission === 'public';
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrations.get(route.handler)!,
        authorizer: isPublic ? noAuth : authorizer,
        // The gateway turns away tokens without the scope before any code runs; the handler's
        // policy check (mayCall) stays as the second lock.
        authorizationScopes: route.permission === 'ingest' ? [INGEST_SCOPE] : undefined,
      });
      if (isPublic) {
        Validations.of(httpRoute!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (route table permission 'public': ${route.summary}).`,
        });
      }
    }
  }

  public get url(): string {
    return this.stage.url;
  }
}
