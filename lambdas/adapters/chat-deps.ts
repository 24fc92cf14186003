/** The chat functions' ports (issue 12): the app's, plus the chat repository, connections and timers. */
import { chatRepo } from '../data/chat-repo';
import { defaultTable } from '../data/client';
import type { ChatDeps } from '../domain/chat/chat';
import { managementConnections } from './chat-connections';
import { sqsChatTimers } from './chat-timers';
import { appDeps } from './deps';
import { referenceId } from './ids';
import { replyKeyring } from './reply-keys';

let deps: ChatDeps | undefined;

/** One set per container; each port is built when first used (a function gets only its bindings). */
export const chatDeps = (): ChatDeps => {
  if (deps) return deps;
  // Chat sends no mail (issue 23): its transcripts and callback alerts are mail intents written
  // with the change; the alerts are case mail, signed with the reply keys.
  const app = appDeps({ replyKeys: replyKeyring });
  let chats: ChatDeps['chats'] | undefined;
  const connections = managementConnections();
  const timers = sqsChatTimers();
  const built: ChatDeps = {
    clock: app.clock,
    ids: app.ids,
    get directory() {
      return app.directory;
    },
    get cases() {
      return app.cases;
    },
    get mailDomain() {
      return app.mailDomain;
    },
    replyKeys: app.replyKeys,
    get chats() {
      return (chats ??= chatRepo(defaultTable()));
    },
    connections,
    timers,
  };
  return (deps = built);
};

/** POST /chat/tickets: the HTTP function stores tickets, nothing else of chat (it has no chat bindings). */
export const ticketPorts = () => ({
  chats: chatRepo(defaultTable()),
  newTicket: () => `${referenceId()}${referenceId()}`,
});
