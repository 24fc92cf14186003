/**
 * The chat WebSocket API (CHAT-1..3), as designed: a Lambda REQUEST authorizer on
 * $connect reading the ticket from the query string; messages relayed through the management API
 * (execute-api:ManageConnections on this API's stage only, with the endpoint in the same binding);
 * CHAT-2's per-chat timer is a delayed SQS message, not a sweep.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { CHAT_TICKET_SOURCE } from '../../lib/constructs/chat-api';
import { built, logicalId, resourcesOf } from './synth';

describe.each(['dev', 'prod'] as const)('chat WebSocket API (%s)', (stage) => {
  const b = () => built(stage);
  const apiRef = () => ({ Ref: logicalId(b().appStack.chat.api) });
  const routes = () =>
    Object.values(resourcesOf(b().appTemplate, 'AWS::ApiGatewayV2::Route')).filter(
      (r) => JSON.stringify(r.Properties.ApiId) === JSON.stringify(apiRef()),
    );
  const env = (fn: 'socketFunction' | 'timerFunction' | 'authorizerFunction') =>
    (
      resourcesOf(b().appTemplate, 'AWS::Lambda::Function')[logicalId(b().appStack.chat[fn])]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
  const statements = (fn: 'socketFunction' | 'timerFunction' | 'authorizerFunction') => {
    const roleId = logicalId(b().appStack.chat[fn].role!);
    return Object.values(resourcesOf(b().appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
      );
  };

  it('is a WebSocket API routing by the `action` field, with $connect, $disconnect and $default', () => {
    b().appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    expect(
      routes()
        .map((r) => r.Properties.RouteKey)
        .sort(),
    ).toEqual(['$connect', '$default', '$disconnect']);
  });

  it('CHAT-1: $connect alone is authorized, by a Lambda REQUEST authorizer reading the ticket from the query string', () => {
    const connect = routes().find((r) => r.Properties.RouteKey === '$connect')!;
    expect(connect.Properties.AuthorizationType).toBe('CUSTOM');
    b().appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: apiRef(),
      AuthorizerType: 'REQUEST',
      IdentitySource: [CHAT_TICKET_SOURCE],
      AuthorizerUri: Match.anyValue(),
    });
    for (const r of routes().filter((x) => x.Properties.RouteKey !== '$connect')) {
      expect(r.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    }
  });

  it('the stage logs access and is throttled', () => {
    b().appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: apiRef(),
      StageName: stage,
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 }),
    });
  });

  it.each(['socketFunction', 'timerFunction'] as const)(
    '%s: CHAT_CONNECTIONS_URL and execute-api:ManageConnections on this API stage only, together',
    (fn) => {
      expect(JSON.stringify(env(fn).CHAT_CONNECTIONS_URL)).toContain(logicalId(b().appStack.chat.api));
      expect(JSON.stringify(env(fn).CHAT_CONNECTIONS_URL)).toContain(`/${stage}`);
      const manage = statements(fn).filter((s) => [s.Action].flat().includes('execute-api:ManageConnections'));
      expect(manage).toHaveLength(1);
      const resource = JSON.stringify(manage[0]!.Resource);
      expect(resource).toContain(logicalId(b().appStack.chat.api));
      expect(resource).toContain(`/${stage}/*/@connections/*`);
    },
  );

  it('the authorizer has no management API, no queue, no mail: it only consumes tickets', () => {
    expect(Object.keys(env('authorizerFunction')).sort()).toEqual([
      'NODE_OPTIONS',
      'POWERTOOLS_SERVICE_NAME',
      'STAGE',
      'TABLE_NAME',
    ]);
    const actions = statements('authorizerFunction').flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('xray:') && !a.startsWith('logs:'))).toEqual([]);
  });

  it('CHAT-2: the timer is an encrypted SQS queue with a dead-letter queue; the socket function may send to it, the timer function consumes it', () => {
    const queueId = logicalId(b().appStack.chat.timers);
    b().appTemplate.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    expect(env('socketFunction').CHAT_TIMER_QUEUE_URL).toEqual({ Ref: queueId });
    expect(env('timerFunction').CHAT_TIMER_QUEUE_URL).toBeUndefined();
    const send = statements('socketFunction').filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(send.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    b().appTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: logicalId(b().appStack.chat.timerFunction) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});
