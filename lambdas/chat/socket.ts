/**
 * The WebSocket API's routes: `$connect` (after the authorizer) records the
 * connection, `$disconnect` lets it go, `$default` runs the action named by the frame's `action`
 * field (API.md: start, send, leaveNumber, end, available, unavailable). Replies go out through
 * the management API as frames.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { connect, disconnect, onMessage } from '../domain/chat/chat';
import type { ChatClaims } from '../domain/chat/chat-types';
import { renderFor } from '../domain/kernel/rendered';

/** The parts of API Gateway's WebSocket event this function reads. */
export interface WebSocketEvent {
  requestContext: {
    routeKey: string;
    eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
    connectionId: string;
    /** From the $connect authorizer's context. */
    authorizer?: { principalId?: string; userId?: string; client?: string };
  };
  body?: string | null;
  isBase64Encoded?: boolean;
}

const CLIENTS: readonly ChatClaims['client'][] = ['web', 'mobile'];

export const handler = async (event: WebSocketEvent): Promise<APIGatewayProxyResultV2> => {
  const { eventType, connectionId, authorizer } = event.requestContext;
  const deps = appDeps();
  if (eventType === 'CONNECT') {
    const userId = authorizer?.userId;
    const client = CLIENTS.find((c) => c === authorizer?.client);
    if (!userId || !client) return { statusCode: 401 };
    await connect(deps, connectionId, { userId, client });
    return { statusCode: 200 };
  }
  if (eventType === 'DISCONNECT') {
    await disconnect(deps, connectionId);
    return { statusCode: 200 };
  }
  const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    await onMessage(deps, connectionId, body);
  } catch (err) {
    logger.error('chat message failed', { error: err as Error });
    await deps.connections
      .post(
        connectionId,
        renderFor('chat', 'self', {
          type: 'error',
          problem: { type: '/problems/internal', title: 'Internal error', status: 500, detail: 'The message was not processed.' },
        }),
      )
      .catch(() => undefined);
  }
  return { statusCode: 200 };
};
