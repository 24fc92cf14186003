/** Chat: the ticket for the WebSocket API's `$connect?ticket=`. */
import * as z from 'zod/mini';
import { meta, str } from './common';

export const ChatTicketSchema = meta(
  z.object({
    ticket: meta(str(), { description: 'Single use; pass as `?ticket=` when connecting to the chat WebSocket' }),
    expiresAt: meta(str(), { description: 'The ticket is refused after this time (60 seconds)' }),
  }),
  { id: 'ChatTicket' },
);
