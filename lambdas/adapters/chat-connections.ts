/**
 * The API Gateway management API (`@connections`): CHAT_CONNECTIONS_URL is the WebSocket stage's
 * https endpoint in AWS (bindConnections, with execute-api:ManageConnections) and the local
 * WebSocket server's management endpoint locally, so the same client posts in both.
 */
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ChatConnections } from '../domain/chat/ports';
import { config } from './config';

/** 410, whether or not the SDK could name the error (a bare 410 has no error type). */
export const isGone = (err: unknown): boolean =>
  err instanceof GoneException ||
  (err as { name?: string })?.name === 'GoneException' ||
  (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 410;

export const managementConnections = (client?: ApiGatewayManagementApiClient): ChatConnections => {
  let api = client;
  return {
    post: async (connectionId, frame) => {
      api ??= new ApiGatewayManagementApiClient({ endpoint: config.chatConnectionsUrl() });
      try {
        await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(frame)) }));
        return 'sent';
      } catch (err) {
        if (isGone(err)) return 'gone';
        throw err;
      }
    },
  };
};
