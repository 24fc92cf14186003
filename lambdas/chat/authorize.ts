/**
 * The WebSocket API's `$connect` authorizer (Lambda REQUEST authorizer, identity source
 * `route.request.querystring.ticket`): browsers cannot set headers on a WebSocket, so the
 * client first gets a short-lived single-use ticket from `POST /chat/tickets` (signed in with
 * its bearer token) and connects with `?ticket=`. The ticket is consumed here, once.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { appDeps } from '../adapters/deps';
import { logger } from '../adapters/logger';
import { redeemTicket } from '../domain/chat/chat';

export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const claims = await redeemTicket(appDeps(), event.queryStringParameters?.ticket ?? undefined);
  if (!claims) {
    logger.info('chat connect refused: no valid ticket');
    // API Gateway answers 401 to the upgrade request.
    throw new Error('Unauthorized');
  }
  return {
    principalId: claims.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    // Reaches the $connect integration as requestContext.authorizer.userId / .client.
    context: { userId: claims.userId, client: claims.client },
  };
};
