/** What chat needs from outside: its repository, the WebSocket connections, the timers. */
import type { Rendered } from '../kernel/rendered';
import type { OrgEvent, User } from '../kernel/types';
import type { Availability, Chat, ChatClaims, ChatConnection, ChatMessage, ChatTimer } from './chat-types';

/** CHAT-1..3: chats, their connections, tickets and analyst availability. */
export interface ChatRepo {
  /** Stores a single-use ticket (hashed) for `claims`, deleted by TTL if never used. */
  putTicket(ticket: string, claims: ChatClaims, validUntil: string): Promise<void>;
  /** Deletes the ticket and answers its claims, once, if it is still valid at `now`. */
  consumeTicket(ticket: string, now: string): Promise<ChatClaims | undefined>;
  putConnection(c: ChatConnection): Promise<void>;
  getConnection(connectionId: string): Promise<ChatConnection | undefined>;
  setConnectionChat(connectionId: string, chatId: string): Promise<void>;
  deleteConnection(connectionId: string): Promise<void>;
  getChat(chatId: string): Promise<Chat | undefined>;
  /** The chat, its open-chat pointer and (when queued) its queue entry, all or nothing. */
  createChat(chat: Chat): Promise<void>;
  /**
   * Replaces the chat if it is still at `expectedVersion`; keeps its queue entry and pointer in
   * step with its status (dequeued once answered, both gone once ended). False when stale.
   */
  saveChat(next: Chat, expectedVersion: number): Promise<boolean>;
  /** The customer's unfinished chat on a case, if any. */
  openChat(caseNumber: string, userId: string): Promise<string | undefined>;
  appendMessage(m: ChatMessage): Promise<void>;
  /** Oldest first. */
  listMessages(chatId: string): Promise<ChatMessage[]>;
  putAvailability(a: Availability): Promise<void>;
  deleteAvailability(a: Pick<Availability, 'userId' | 'supportGroups'>): Promise<void>;
  getAvailability(userId: string): Promise<Availability | undefined>;
  availableInGroup(supportGroup: string): Promise<Availability[]>;
  /** Chat ids waiting in a group's queue, oldest first. */
  queuedChats(supportGroup: string, limit: number): Promise<string[]>;
  /** CHAT-2: the staff who get callback alerts (managers). */
  managers(): Promise<User[]>;
  /** CHAT-1, NOTE-1: records that a chat waits for an analyst (its organisation's event; once per chat). */
  chatWaiting(e: OrgEvent & { chatId: string }): Promise<void>;
}

/** The API Gateway management API: frames to connected clients. */
export interface ChatConnections {
  /** `gone` when the client has left (410): the caller forgets the connection and carries on. */
  post(connectionId: string, frame: Rendered<object>): Promise<'sent' | 'gone'>;
}

/** CHAT-2 and the dropped-connection grace: one delayed message per timer, carrying the chat's version. */
export interface ChatTimers {
  start(timer: ChatTimer, delaySeconds: number): Promise<void>;
}
