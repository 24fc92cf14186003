import { chatTicket } from '../adapters/ids';
import { issueTicket } from '../domain/chat/chat';
import { httpRoute } from './middleware';
import { route } from './routes/create-chat-ticket';

/** CHAT-1: a single-use ticket for `$connect?ticket=` of the chat WebSocket API (60 s). */
export const handler = httpRoute(route, async (req) => {
  const res = await issueTicket({ clock: req.deps.clock, chats: req.deps.chats, newTicket: chatTicket }, req.caller);
  return { status: 201, body: res, headers: { 'cache-control': 'no-store' } };
});
