/** Binding `chatTimers` (CHAT-2, CHAT-3): the chat timer queue. */
import { sqsChatTimers } from '../chat-timers';
import { installPorts } from '../deps';

installPorts({ timers: () => sqsChatTimers() });
