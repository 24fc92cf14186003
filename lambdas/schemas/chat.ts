/** Chat (issue 12): the ticket for the WebSocket API's `$connect?ticket=`. */
import { z } from './common';

export const ChatTicketSchema = z
  .object({
    ticket: z.string().openapi({ description: 'Single use; pass as `?ticket=` when connecting to the chat WebSocket' }),
    expiresAt: z.string().openapi({ description: 'The ticket is refused after this time (60 seconds)' }),
  })
  .openapi('ChatTicket');
