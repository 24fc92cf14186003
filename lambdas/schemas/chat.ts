/** Chat: the ticket for the WebSocket API's `$connect?ticket=`. */
import * as z from 'zod';
import { str } from './common';

export const ChatTicketSchema = z
  .object({
    ticket: str().meta({ description: 'Single use; pass as `?ticket=` when connecting to the chat WebSocket' }),
    expiresAt: str().meta({ description: 'The ticket is refused after this time (60 seconds)' }),
  })
  .meta({ id: 'ChatTicket' });
