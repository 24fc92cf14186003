import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHAT_AUTHORIZER_FUNCTION, CHAT_SOCKET_FUNCTION, CHAT_TIMER_FUNCTION } from '../function-specs';
import type { Stage } from '../stage';
import { CaseworkFunction, LOG_RETENTION, logRemovalPolicy } from './casework-function';
import { deadLetterQueue } from './dead-letters';

export interface ChatApiProps {
  readonly stage: Stage;
  readonly table: dynamodb.ITable;
  /** Transcripts (CHAT-3) and callback alerts (CHAT-2) are case mail from this domain. */
  readonly mailDomain: string;
  readonly replyKeys: secretsmanager.ISecret;
  /** @default burst 100, rate 50 messages per second */
  readonly throttle?: { burstLimit: number; rateLimit: number };
}

/** The identity source of the $connect authorizer: the single-use ticket of POST /chat/tickets. */
export const CHAT_TICKET_SOURCE = 'route.request.querystring.ticket';

/**
 * CHAT-1..3: the chat WebSocket API. `$connect` is authorized by a Lambda REQUEST
 * authorizer that consumes the ticket in the query string (browsers cannot set headers on a
 * WebSocket); one function serves $connect, $disconnect and $default (routed by the frame's
 * `action` in the domain) and relays through the stage's management API; the chat timers are
 * delayed SQS messages consumed by their own function.
 */
export class ChatApi extends Construct {
  public readonly api: apigw.WebSocketApi;
  public readonly stage: apigw.WebSocketStage;
  public readonly authorizerFunction: CaseworkFunction;
  public readonly socketFunction: CaseworkFunction;
  public readonly timerFunction: CaseworkFunction;
  /** CHAT-2: one delayed message per chat timer. */
  public readonly timers: sqs.Queue;
  public readonly timerFailures: sqs.Queue;

  public constructor(scope: Construct, id: string, props: ChatApiProps) {
    super(scope, id);

    this.timerFailures = deadLetterQueue(this, 'TimerFailures', 'chat timer messages that failed every receive');
    this.timers = new sqs.Queue(this, 'Timers', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the consumer's timeout, as Lambda's SQS event source asks.
      visibilityTimeout: Duration.seconds(180),
      // A timer is worth nothing after the 2 hours a connection can live.
      retentionPeriod: Duration.hours(2),
      deadLetterQueue: { queue: this.timerFailures, maxReceiveCount: 5 },
    });

    this.api = new apigw.WebSocketApi(this, 'Api', {
      apiName: `casework-chat-${props.stage}`,
      description: 'Casework chat with the case owner (CHAT-1..3)',
      // Every frame goes to $default; the domain dispatches on `action` (API.md).
      routeSelectionExpression: '$request.body.action',
    });
    const callbackUrl = `https://${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${props.stage}`;
    const connections = { apiId: this.api.apiId, stageName: props.stage, callbackUrl };

    this.authorizerFunction = new CaseworkFunction(this, 'Authorize', {
      stage: props.stage,
      module: CHAT_AUTHORIZER_FUNCTION.module,
      description: 'Chat $connect authorizer: consumes the single-use ticket of POST /chat/tickets',
    }).bind(CHAT_AUTHORIZER_FUNCTION, { table: props.table });
    this.socketFunction = new CaseworkFunction(this, 'Socket', {
      stage: props.stage,
      module: CHAT_SOCKET_FUNCTION.module,
      description: 'Chat $connect, $disconnect and $default (start, send, leaveNumber, end, available, unavailable)',
      timeout: Duration.seconds(29),
    }).bind(CHAT_SOCKET_FUNCTION, {
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: props.replyKeys,
      connections,
      chatTimers: this.timers,
    });
    this.timerFunction = new CaseworkFunction(this, 'Timer', {
      stage: props.stage,
      module: CHAT_TIMER_FUNCTION.module,
      description: 'Chat timers: the CHAT-2 callback offer, the end of a dropped chat (CHAT-3)',
      timeout: Duration.seconds(30),
    }).bind(CHAT_TIMER_FUNCTION, {
      table: props.table,
      mailDomain: props.mailDomain,
      replyKeys: props.replyKeys,
      connections,
    });
    this.timerFunction.addEventSource(new SqsEventSource(this.timers, { batchSize: 10, reportBatchItemFailures: true }));
    // Serverless-LambdaEventSourceMappingDestination: SQS event sources take no on-failure
    // destination; the timer queue's redrive policy moves a timer that failed every receive to
    // TimerFailures. The WebSocket functions are invoked synchronously by API Gateway.
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source has no on-failure destination: the timer queue's redrive policy sends a timer that failed maxReceiveCount times to TimerFailures.",
    });
    for (const fn of [this.authorizerFunction, this.socketFunction, this.timerFunction]) {
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously (API Gateway WebSocket routes and authorizer) or by an SQS event source whose queue has a ' +
          'dead-letter queue; a function DLQ only receives failed asynchronous invocations.',
      });
    }

    const integration = new WebSocketLambdaIntegration('Socket', this.socketFunction);
    this.api.addRoute('$connect', {
      integration,
      authorizer: new WebSocketLambdaAuthorizer('Ticket', this.authorizerFunction, {
        authorizerName: 'chat-ticket',
        identitySource: [CHAT_TICKET_SOURCE],
      }),
    });
    this.api.addRoute('$disconnect', { integration });
    this.api.addRoute('$default', { integration });
    for (const route of ['$disconnect', '$default']) {
      const node = this.api.node.tryFindChild(`${route}-Route`);
      if (node)
        Validations.of(node).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'WebSocket APIs authorize at $connect only (the ticket authorizer); every later frame belongs to a connection ' +
            'that was authorized, and the function checks its user on every frame.',
        });
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION[props.stage],
      removalPolicy: logRemovalPolicy(props.stage),
    });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stage,
      autoDeploy: true,
      throttle: props.throttle ?? { burstLimit: 100, rateLimit: 50 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            connectionId: '$context.connectionId',
            status: '$context.status',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            principalId: '$context.authorizer.principalId',
          }),
        ),
      },
    });
  }

  /** `wss://…/<stage>`: where clients connect, with `?ticket=`. */
  public get url(): string {
    return this.stage.url;
  }
}
