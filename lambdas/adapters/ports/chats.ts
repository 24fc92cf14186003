/** Granted chat items (tickets, connections, chats; CHAT-1..3): the chat repository. */
import { chatRepo } from '../../data/chat-repo';
import { installPorts } from '../deps';

installPorts({ chats: chatRepo });
