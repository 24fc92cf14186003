/** The vocabulary of chat (CHAT-1..3). Pure types. */
import type { Client, StaffProfile } from '../kernel/types';

/** Who a WebSocket connection belongs to: what a ticket (or token) proved at $connect. */
export interface ChatClaims {
  userId: string;
  client: Client;
}

export interface ChatConnection extends ChatClaims {
  connectionId: string;
  connectedAt: string;
  /** The chat this connection takes part in, once it started or took one. */
  chatId?: string;
}

/**
 * queued: nobody has answered yet; offered: 60 seconds passed with nobody, the customer was offered
 * to leave a number (CHAT-2); active: an analyst answered; ended: closed, transcript saved (CHAT-3).
 */
export type ChatStatus = 'queued' | 'offered' | 'active' | 'ended';

export interface Chat {
  chatId: string;
  caseNumber: string;
  orgId: string;
  supportGroup: string;
  customerId: string;
  customerName: string;
  customerEmail: string;
  /** Absent while the customer's connection has dropped (the grace period runs). */
  customerConn?: string;
  analystId?: string;
  analystName?: string;
  analystConn?: string;
  status: ChatStatus;
  /** Bumped by every change: a timer carrying an older version does nothing. */
  version: number;
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  endReason?: ChatEndReason;
}

export type ChatEndReason = 'ended-by-customer' | 'ended-by-analyst' | 'dropped' | 'callback';

export interface ChatMessage {
  chatId: string;
  messageId: string;
  at: string;
  fromId: string;
  fromName: string;
  fromKind: 'customer' | 'staff' | 'system';
  text: string;
}

/** An analyst who said `available`, with the connection chats are offered on. */
export interface Availability {
  userId: string;
  name: string;
  connectionId: string;
  staff: StaffProfile;
  supportGroups: string[];
  since: string;
  /** The client the analyst's socket was opened with (its ticket's): PRIV-2 holds on chat too. */
  client?: Client;
}

/** queued: CHAT-2's 60 seconds; drop: the grace period of a dropped connection. */
export interface ChatTimer {
  chatId: string;
  version: number;
  kind: 'queued' | 'drop';
}
