/** The route declaration of create-chat-ticket: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { EmptyBody } from '../../schemas/accounts';
import { ChatTicketSchema } from '../../schemas/chat';

export const route = {
  method: 'POST',
  path: '/chat/tickets',
  handler: 'create-chat-ticket',
  permission: 'signedIn',
  table: 'write',
  writes: ['issueChatTicket'],
  // Chat itself checks the Terms (and everything else) when a chat starts.
  caseData: false,
  summary:
    'A single-use ticket (60 s) for the chat WebSocket: connect with ?ticket= (CHAT-1). Each call issues a new one; ' +
    'Idempotency-Key is not honoured (a ticket is stored only hashed, so it cannot be replayed)',
  request: { body: EmptyBody, bodyOptional: true },
  success: { status: 201, schema: ChatTicketSchema, noPersonalData: true },
} as const satisfies RouteDef;
