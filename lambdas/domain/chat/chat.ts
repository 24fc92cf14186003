/**
 * Chat with the case owner (CHAT-1..3), over ports: the chat repository, the
 * management API of the WebSocket API (frames to connections) and the per-chat timers.
 *
 * - CHAT-1: a Designated Contact `start`s a chat on an open case of a product line that offers
 *   chat; it goes to the case owner when the owner is available, otherwise to an available
 *   analyst of the case's support group. Staff who may not see the case's personal data (PRIV-1:
 *   US staff on an EU/EEA case) are never offered it.
 * - CHAT-2: a chat nobody answered is offered a callback 60 seconds after it was queued (a
 *   delayed timer carrying the chat's version: a stale or repeated timer does nothing); the
 *   number is saved on the case and management is alerted by email with it.
 * - CHAT-3: whichever way a chat ends (either side, a dropped connection after its grace period,
 *   a callback left), its transcript is saved to the case as a `chat` update and mailed to the
 *   customer.
 *
 * Every answer to a client is a frame posted through the management API, never a return value:
 * API Gateway sends nothing back from a $default route without a route response.
 */
import { productLine } from '../kernel/catalogue';
import { closedCaseRefusal } from '../cases/lifecycle';
import { actorOf, auditEvent, changeTime, nextVersion, SYSTEM_ACTOR, updateBy } from '../cases/case-changes';
import { LOST_RACE, retryOptimistic } from '../kernel/optimistic';
import { loadCase } from '../cases/cases';
import { resolveCaller } from '../kernel/caller';
import type { Availability, Chat, ChatClaims, ChatConnection, ChatEndReason, ChatMessage, ChatTimer } from './chat-types';
import { conflict, forbidden, Problem, validation } from '../kernel/errors';
import { composeCaseMail } from '../mail/compose';
import type { MailJob } from '../mail/ports';
import { renderFor, type Rendered } from '../kernel/rendered';
import { viewCase } from '../kernel/views';
import { staffAccess, staffAccessOn, staffOf, type Caller } from '../kernel/policy';
import type { ChatConnections, ChatRepo, ChatTimers } from './ports';
import type { Deps } from '../kernel/deps';
import type { Case, Org } from '../kernel/types';

/** Chat sends no mail itself: transcripts and callback alerts are intents written with their change. */
export type ChatDeps = Pick<Deps, 'clock' | 'ids' | 'directory' | 'cases' | 'mailDomain' | 'replyKeys'> & {
  chats: ChatRepo;
  connections: ChatConnections;
  timers: ChatTimers;
};

/** CHAT-2: how long a chat waits for an analyst before the customer is offered a callback. */
export const QUEUE_TIMEOUT_SECONDS = 60;
/** How long a dropped side has to come back before the chat ends (CHAT-3). */
export const DROP_GRACE_SECONDS = 30;
/** API Gateway closes a WebSocket connection after 2 hours at most; its item lives no longer. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60;
/** A ticket is for connecting now, not for later. */
export const TICKET_TTL_SECONDS = 60;
/** API Gateway's frame limit is 32 KB; a chat line is far shorter. */
export const MAX_TEXT_LENGTH = 4000;

export const CHAT_ACTIONS = ['start', 'send', 'leaveNumber', 'end', 'available', 'unavailable'] as const;
export type ChatAction = (typeof CHAT_ACTIONS)[number];

const isoIn = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** POST /chat/tickets: a single-use ticket for `$connect?ticket=` (browsers cannot set headers). */
export const issueTicket = async (
  deps: Pick<ChatDeps, 'clock' | 'chats'> & { newTicket: () => string },
  caller: Caller,
): Promise<{ ticket: string; expiresAt: string }> => {
  if (caller.kind !== 'user') throw forbidden('Chat is for people, not machine clients.');
  const ticket = deps.newTicket();
  const expiresAt = isoIn(deps.clock.now(), TICKET_TTL_SECONDS);
  await deps.chats.putTicket(ticket, { userId: caller.id, client: caller.client }, expiresAt);
  return { ticket, expiresAt };
};

/** $connect's authorizer: the ticket's claims, once; undefined for a used, expired or unknown one. */
export const redeemTicket = (deps: Pick<ChatDeps, 'clock' | 'chats'>, ticket: string | undefined) =>
  ticket ? deps.chats.consumeTicket(ticket, deps.clock.now().toISOString()) : Promise.resolve(undefined);

/** $connect: the connection is an item with a TTL (API Gateway's 2-hour maximum). */
export const connect = async (deps: Pick<ChatDeps, 'clock' | 'chats'>, connectionId: string, claims: ChatClaims) =>
  deps.chats.putConnection({ connectionId, ...claims, connectedAt: deps.clock.now().toISOString() });

/** The frame a Problem becomes on the socket. */
export const errorFrame = (action: string | undefined, p: Problem) => ({
  type: 'error',
  ...(action ? { action } : {}),
  problem: { type: p.type, title: p.title, status: p.status, detail: p.detail, ...(p.errors ? { errors: p.errors } : {}) },
});

/**
 * A chat frame is rendered for the party it goes to: the analyst was admitted by
 * `staffAccessOn` for this socket's client (`staff`), the customer at `start` as a Designated
 * Contact (`write`). Anything else on the socket is the caller's own (`self`).
 */
const forParty = <T extends object>(chat: Chat, connectionId: string | undefined, frame: T): Rendered<T> =>
  renderFor('chat', connectionId !== undefined && connectionId === chat.analystConn ? 'staff' : 'write', frame);

/** Posts a frame; a connection that is gone (410) is forgotten, and the caller carries on. */
const post = async (deps: Pick<ChatDeps, 'connections' | 'chats'>, connectionId: string | undefined, frame: Rendered<object>) => {
  if (!connectionId) return 'gone' as const;
  const res = await deps.connections.post(connectionId, frame);
  if (res === 'gone') await deps.chats.deleteConnection(connectionId);
  return res;
};

const chatFrame = (chat: Chat, extra: Record<string, unknown> = {}) => ({
  type: 'chat',
  chatId: chat.chatId,
  caseNumber: chat.caseNumber,
  status: chat.status,
  ...extra,
});

const callerOf = async (deps: ChatDeps, conn: ChatConnection): Promise<Caller> => {
  const caller = await resolveCaller(deps, { sub: conn.userId, client: conn.client, scopes: [] });
  if (!caller) throw new Problem(401, '/problems/unauthorized', 'Unauthorized', 'This connection belongs to no known user.');
  // ACC-9: no case data before the current Terms are accepted.
  if (!caller.termsAccepted) {
    throw new Problem(
      403,
      '/problems/terms-not-accepted',
      'Terms not accepted',
      'Accept the current Terms and Conditions (GET /terms, POST /me/terms) before chatting.',
    );
  }
  return caller;
};

/** PRIV-1: may this analyst see (and so chat on) a case of `org`? */
/** CHAT-1 under PRIV-1 and PRIV-2: who may be offered a chat depends on their region and their socket's client. */
const mayTake = (a: Pick<Availability, 'staff' | 'client'>, org: Pick<Org, 'gdpr' | 'fedramp'>) =>
  staffAccessOn(a.staff, a.client, org) === 'staff';

const orgOfChat = async (deps: ChatDeps, chat: Pick<Chat, 'orgId'>): Promise<Org | undefined> =>
  (await deps.directory.getOrgs([chat.orgId]))[0];

/**
 * CHAT-1: who answers: the owner if available (and allowed, PRIV-1), else an available analyst
 * of the case's support group who is allowed, longest available first.
 */
const pickAnalyst = async (deps: ChatDeps, c: Case, org: Org): Promise<Availability | undefined> => {
  if (c.ownerId) {
    const owner = await deps.chats.getAvailability(c.ownerId);
    if (owner && mayTake(owner, org) && !(await busy(deps, owner))) return owner;
  }
  const group = await deps.chats.availableInGroup(c.supportGroup);
  for (const a of group.filter((g) => g.userId !== c.ownerId && mayTake(g, org)).sort((x, y) => x.since.localeCompare(y.since))) {
    if (!(await busy(deps, a))) return a;
  }
  return undefined;
};

/**
 * One chat at a time per analyst connection. An availability whose connection is gone (its
 * $disconnect was lost) is stale: it is removed, as a 410 would remove it.
 */
const busy = async (deps: ChatDeps, a: Availability): Promise<boolean> => {
  const conn = await deps.chats.getConnection(a.connectionId);
  if (!conn) {
    await deps.chats.deleteAvailability(a);
    return true;
  }
  if (!conn.chatId) return false;
  const chat = await deps.chats.getChat(conn.chatId);
  return !!chat && chat.status !== 'ended' && chat.analystConn === a.connectionId;
};

/** An available, idle analyst takes the oldest chat waiting in their groups that they may see (PRIV-1). */
const takeNext = async (deps: ChatDeps, a: Availability): Promise<void> => {
  if (await busy(deps, a)) return;
  for (const group of a.supportGroups) {
    for (const chatId of await deps.chats.queuedChats(group, 25)) {
      const chat = await deps.chats.getChat(chatId);
      if (!chat || (chat.status !== 'queued' && chat.status !== 'offered')) continue;
      const org = await orgOfChat(deps, chat);
      if (!org || !mayTake(a, org)) continue;
      if (await answer(deps, chat, a)) return;
    }
  }
};

/** Re-reads and retries a chat change until it lands at the version read; undefined when `decide` declines. */
const changeChat = async (
  deps: ChatDeps,
  chatId: string,
  decide: (chat: Chat) => Chat | undefined,
): Promise<{ before: Chat; after: Chat } | undefined> =>
  retryOptimistic('chat', async () => {
    const before = await deps.chats.getChat(chatId);
    if (!before) return undefined;
    const decided = decide(before);
    if (!decided) return undefined;
    const after = { ...decided, version: before.version + 1 };
    return (await deps.chats.saveChat(after, before.version)) ? { before, after } : LOST_RACE;
  });

/** The analyst joins: both sides are told, and the analyst gets what the customer wrote meanwhile. */
const answer = async (deps: ChatDeps, chat: Chat, analyst: Availability): Promise<Chat | undefined> => {
  const now = deps.clock.now().toISOString();
  const res = await changeChat(deps, chat.chatId, (current) =>
    current.status === 'queued' || current.status === 'offered'
      ? {
          ...current,
          status: 'active',
          analystId: analyst.userId,
          analystName: analyst.name,
          analystConn: analyst.connectionId,
          answeredAt: now,
        }
      : undefined,
  );
  if (!res) return undefined;
  const joined = res.after;
  await deps.chats.setConnectionChat(analyst.connectionId, joined.chatId);
  const c = await deps.cases.getCase(joined.caseNumber);
  await post(
    deps,
    analyst.connectionId,
    forParty(
      joined,
      analyst.connectionId,
      chatFrame(joined, {
        customer: { name: joined.customerName },
        ...(c ? { subject: c.subject, productLine: c.productLine } : {}),
        messages: (await deps.chats.listMessages(joined.chatId)).map(messageFrame),
      }),
    ),
  );
  await post(
    deps,
    joined.customerConn,
    forParty(joined, joined.customerConn, chatFrame(joined, { analyst: { name: joined.analystName } })),
  );
  return joined;
};

const messageFrame = (m: ChatMessage) => ({
  type: 'message',
  chatId: m.chatId,
  messageId: m.messageId,
  from: { name: m.fromName, kind: m.fromKind },
  text: m.text,
  at: m.at,
});

/** CHAT-1: a Designated Contact starts (or, after a dropped connection, rejoins) a chat on a case. */
const start = async (deps: ChatDeps, conn: ChatConnection, caller: Caller, caseNumber: unknown) => {
  if (typeof caseNumber !== 'string' || !/^\d{1,12}$/.test(caseNumber)) {
    throw validation([{ path: 'caseNumber', message: 'must be a case number' }]);
  }
  const { c, org, access } = await loadCase(deps, caller, caseNumber);
  if (access === 'staff' || access === 'restricted') throw forbidden("Chats are started by the customer's Designated Contacts.");
  if (access !== 'write') throw forbidden('Your access to this case is read-only: only Designated Contacts may chat.');
  const closed = closedCaseRefusal(c);
  if (closed) throw closed;
  if (!productLine(c.productLine)?.offersChat) {
    throw conflict('/problems/chat-not-offered', 'Chat not offered', `${c.productLine} does not offer chat support.`);
  }

  // Rejoining after a dropped connection: the same chat, on this connection.
  const openId = await deps.chats.openChat(caseNumber, caller.id);
  if (openId) {
    const res = await changeChat(deps, openId, (current) =>
      current.status === 'ended' ? undefined : { ...current, customerConn: conn.connectionId },
    );
    if (res) {
      await deps.chats.setConnectionChat(conn.connectionId, openId);
      await post(deps, conn.connectionId, forParty(res.after, conn.connectionId, chatFrame(res.after, { rejoined: true })));
      await post(
        deps,
        res.after.analystConn,
        forParty(res.after, res.after.analystConn, { type: 'rejoined', chatId: openId, who: 'customer' }),
      );
      return;
    }
  }

  const now = deps.clock.now().toISOString();
  const chat: Chat = {
    chatId: deps.ids.next(),
    caseNumber,
    orgId: c.orgId,
    supportGroup: c.supportGroup,
    customerId: caller.id,
    customerName: caller.user?.name ?? caller.id,
    customerEmail: caller.user?.email ?? '',
    customerConn: conn.connectionId,
    status: 'queued',
    version: 1,
    startedAt: now,
  };
  await deps.chats.createChat(chat);
  await deps.chats.setConnectionChat(conn.connectionId, chat.chatId);
  const analyst = await pickAnalyst(deps, c, org);
  if (analyst && (await answer(deps, chat, analyst))) return;
  // CHAT-2: nobody there: the customer waits, and the 60-second timer carries this version.
  const queued = (await deps.chats.getChat(chat.chatId)) ?? chat;
  if (queued.status !== 'queued') return;
  await deps.timers.start({ chatId: chat.chatId, version: queued.version, kind: 'queued' }, QUEUE_TIMEOUT_SECONDS);
  // NOTE-1: the case's owner and support group hear that a chat waits (the notifier tells them).
  await deps.chats.chatWaiting({
    orgId: chat.orgId,
    eventId: `chat-waiting#${chat.chatId}`,
    at: now,
    type: 'chat-waiting',
    actorId: caller.id,
    caseNumber,
    chatId: chat.chatId,
  });
  await post(
    deps,
    conn.connectionId,
    forParty(queued, conn.connectionId, chatFrame(queued, { waitSeconds: QUEUE_TIMEOUT_SECONDS })),
  );
};

/** The chat a connection takes part in, and which side the caller is on. */
const chatOfConnection = async (deps: ChatDeps, conn: ChatConnection, caller: Caller) => {
  const chat = conn.chatId ? await deps.chats.getChat(conn.chatId) : undefined;
  if (!chat || chat.status === 'ended') {
    throw conflict('/problems/no-chat', 'No chat', 'This connection is in no chat: send `start` first.');
  }
  const side = chat.customerId === caller.id ? 'customer' : chat.analystId === caller.id ? 'analyst' : undefined;
  if (!side) throw conflict('/problems/no-chat', 'No chat', 'This connection is in no chat: send `start` first.');
  return { chat, side } as const;
};

/**
 * Chat text as a person typed it: terminal escape sequences (a key like End arrives as
 * `\u001b[4~`) and other control characters are dropped; line breaks and tabs stay. The text is
 * stored, mailed in the transcript and shown in other people's browsers.
 */
export const chatText = (raw: string): string =>
  raw
    .replace(/\u001b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])?/g, '')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .trim();

/** `send`: relays text both ways; the customer may write while waiting (the analyst reads it on joining). */
const send = async (deps: ChatDeps, conn: ChatConnection, caller: Caller, raw: unknown) => {
  const text = typeof raw === 'string' ? chatText(raw) : '';
  if (!text) throw validation([{ path: 'text', message: 'must be non-empty text' }]);
  if (text.length > MAX_TEXT_LENGTH)
    throw validation([{ path: 'text', message: `must be at most ${MAX_TEXT_LENGTH} characters` }]);
  const { chat, side } = await chatOfConnection(deps, conn, caller);
  const actor = actorOf(caller);
  const m: ChatMessage = {
    chatId: chat.chatId,
    messageId: deps.ids.next(),
    at: deps.clock.now().toISOString(),
    fromId: actor.id,
    fromName: actor.name,
    fromKind: side === 'customer' ? 'customer' : 'staff',
    text,
  };
  await deps.chats.appendMessage(m);
  const other = side === 'customer' ? chat.analystConn : chat.customerConn;
  if (chat.status === 'active') await post(deps, other, forParty(chat, other, messageFrame(m)));
  await post(
    deps,
    conn.connectionId,
    renderFor('chat', 'self', { type: 'sent', chatId: chat.chatId, messageId: m.messageId, at: m.at }),
  );
};

/** A plausible phone number: digits with the usual separators, 6 to 20 digits. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{4,28}[0-9]$/;
const phoneDigits = (phone: string) => phone.replace(/\D/g, '').length;

/** CHAT-2: the number goes on the case (with its audit event) and to management; the chat ends. */
const leaveNumber = async (deps: ChatDeps, conn: ChatConnection, caller: Caller, phone: unknown) => {
  if (typeof phone !== 'string' || !PHONE_PATTERN.test(phone.trim()) || phoneDigits(phone) < 6 || phoneDigits(phone) > 20) {
    throw validation([{ path: 'phone', message: 'must be a phone number (6 to 20 digits, optionally +, spaces, dashes)' }]);
  }
  const { chat, side } = await chatOfConnection(deps, conn, caller);
  if (side !== 'customer') throw forbidden('The customer leaves a number, not the analyst.');
  if (chat.status !== 'offered') {
    throw conflict(
      '/problems/callback-not-offered',
      'Callback not offered',
      chat.status === 'active'
        ? 'An analyst is in this chat.'
        : `A number can be left once nobody has answered for ${QUEUE_TIMEOUT_SECONDS} seconds.`,
    );
  }
  const number = phone.trim();
  const actor = actorOf(caller);
  const org = await orgOfChat(deps, chat);
  await retryOptimistic('case', async () => {
    const { c } = await loadCase(deps, caller, chat.caseNumber);
    const when = changeTime(deps, c);
    const next = nextVersion(c, { ...c, callbackPhone: number, callbackRequestedAt: when }, when);
    const event = auditEvent(deps, actor, c.caseNumber, when, {
      action: 'chat-callback-requested',
      field: 'callbackPhone',
      from: c.callbackPhone ?? null,
      to: number,
    });
    // Management's alert is written with the number it carries, in one transaction.
    const mail = await alertManagement(deps, next, chat, number, org, when);
    return (await deps.cases.saveCase(next, c.version, { events: [event], mail })) || LOST_RACE;
  });
  await post(
    deps,
    conn.connectionId,
    renderFor('chat', 'self', { type: 'callback-saved', chatId: chat.chatId, caseNumber: chat.caseNumber, phone: number }),
  );
  await endChat(deps, chat.chatId, 'callback');
};

/**
 * CHAT-2: management's alert. PRIV-1: a manager who may not see an EU/EEA case's personal data
 * is told a callback is waiting, without the number or the customer's name.
 */
const alertManagement = async (
  deps: ChatDeps,
  c: Case,
  chat: Chat,
  phone: string,
  org: Org | undefined,
  at: string,
): Promise<MailJob[]> => {
  const managers = await deps.chats.managers();
  if (!managers.length) return [];
  const keyring = await deps.replyKeys();
  const allowed = managers.filter((m) => m.staff && org && staffAccess(m.staff, org) === 'staff');
  const others = managers.filter((m) => !allowed.includes(m));
  // The subject line is the case's view for the recipients' access too
  // (restricted managers read no EU/EEA subject there, as in the body).
  const job = (to: string[], text: string, access: 'staff' | 'restricted'): MailJob[] => {
    if (!to.length) return [];
    const shown = { ...c, subject: (viewCase(c, access) as { subject?: string }).subject ?? `Case ${c.caseNumber}` };
    return [
      {
        kind: 'notice',
        // One alert per chat and access (a chat is offered a callback once).
        key: `chat-callback#${chat.chatId}#${access}`,
        at,
        caseNumber: c.caseNumber,
        mail: renderFor(
          'mail',
          access,
          composeCaseMail(shown, deps.mailDomain, keyring, { to, subjectPrefix: 'Chat callback requested: ', text }),
        ),
      },
    ];
  };
  const waited = `${QUEUE_TIMEOUT_SECONDS} seconds`;
  return [
    ...job(
      allowed.map((m) => m.email),
      `No analyst of ${c.supportGroup} answered a chat on case ${c.caseNumber} within ${waited}.\n\n` +
        `${chat.customerName} (${chat.customerEmail}) asks to be called back on ${phone}.\n` +
        `Organisation: ${c.orgName}. Product line: ${c.productLine}.`,
      'staff',
    ),
    ...job(
      others.map((m) => m.email),
      `No analyst of ${c.supportGroup} answered a chat on case ${c.caseNumber} within ${waited}, and the customer ` +
        `left a number to be called back on. The case's personal data is not shown to staff working from your ` +
        `region (PRIV-1): ask an analyst of ${c.supportGroup} who may see it to call back.`,
      'restricted',
    ),
  ];
};

/** CHAT-3: the transcript, as text. */
export const transcriptText = (chat: Chat, messages: ChatMessage[]): string =>
  [
    `Chat on case ${chat.caseNumber}, started ${chat.startedAt} by ${chat.customerName}` +
      (chat.analystName ? `, answered by ${chat.analystName}` : ', not answered by an analyst') +
      '.',
    '',
    ...(messages.length ? messages.map((m) => `[${m.at}] ${m.fromName}: ${m.text}`) : ['(no messages)']),
    '',
    `Ended ${chat.endedAt ?? ''} (${END_TEXT[chat.endReason ?? 'ended-by-customer']}).`,
  ].join('\n');

const END_TEXT: Record<ChatEndReason, string> = {
  'ended-by-customer': 'ended by the customer',
  'ended-by-analyst': 'ended by the analyst',
  dropped: 'the connection dropped and did not come back',
  callback: 'the customer left a number to be called back on',
};

/**
 * CHAT-3: ends the chat once (a conditional write), then saves the transcript on the case as a
 * public `chat` update and mails it to the customer. Only the run that ended it does that.
 */
export const endChat = async (deps: ChatDeps, chatId: string, reason: ChatEndReason, onlyAtVersion?: number) => {
  const now = deps.clock.now().toISOString();
  const res = await changeChat(deps, chatId, (current) =>
    current.status === 'ended' || (onlyAtVersion !== undefined && current.version !== onlyAtVersion)
      ? undefined
      : { ...current, status: 'ended', endedAt: now, endReason: reason },
  );
  if (!res) return undefined;
  const chat = res.after;
  const messages = await deps.chats.listMessages(chatId);
  const text = transcriptText(chat, messages);
  // CHAT-3: saved on the case, and mailed to the customer by the mail queue (the
  // transcript's mail intent is written with the update, rendered for the customer when sent).
  await saveTranscript(deps, chat, text);
  const frame = { type: 'ended', chatId, caseNumber: chat.caseNumber, reason };
  await post(deps, chat.customerConn, forParty(chat, chat.customerConn, frame));
  await post(deps, chat.analystConn, forParty(chat, chat.analystConn, frame));
  // The analyst is free again: the oldest waiting chat is theirs, if they are still available.
  const analyst = chat.analystId ? await deps.chats.getAvailability(chat.analystId) : undefined;
  if (analyst) await takeNext(deps, analyst);
  return chat;
};

const saveTranscript = async (deps: ChatDeps, chat: Chat, text: string): Promise<Case | undefined> => {
  const update = updateBy(
    deps,
    chat.caseNumber,
    { ...SYSTEM_ACTOR, name: 'Chat transcript' },
    {
      channel: 'chat',
      visibility: 'public',
      subject: `Chat with ${chat.analystName ?? 'support'}`,
      body: text,
      attachments: [],
      createdAt: '',
    },
  );
  return retryOptimistic('case', async () => {
    const c = await deps.cases.getCase(chat.caseNumber);
    if (!c) return undefined;
    update.createdAt = changeTime(deps, c);
    const mail: MailJob[] = chat.customerId
      ? [
          {
            kind: 'chat-transcript',
            key: `chat-transcript#${chat.chatId}`,
            at: update.createdAt,
            caseNumber: chat.caseNumber,
            updateId: update.updateId,
            userId: chat.customerId,
          },
        ]
      : [];
    return (await deps.cases.appendUpdate(update, c, undefined, mail)) ?? LOST_RACE;
  });
};

/** `end`: either side. */
const end = async (deps: ChatDeps, conn: ChatConnection, caller: Caller) => {
  const { chat, side } = await chatOfConnection(deps, conn, caller);
  await endChat(deps, chat.chatId, side === 'customer' ? 'ended-by-customer' : 'ended-by-analyst');
};

/** `available`: an analyst is ready for chats of their support groups, and takes the oldest waiting one. */
const available = async (deps: ChatDeps, conn: ChatConnection, caller: Caller) => {
  const staff = staffOf(caller);
  if (!staff || staff.role !== 'analyst' || !staff.supportGroups.length) {
    throw forbidden('Only analysts of a support group take chats.');
  }
  const a: Availability = {
    userId: caller.id,
    name: caller.user?.name ?? caller.id,
    connectionId: conn.connectionId,
    staff,
    supportGroups: staff.supportGroups,
    since: deps.clock.now().toISOString(),
    client: conn.client,
  };
  await deps.chats.putAvailability(a);
  await post(
    deps,
    conn.connectionId,
    renderFor('chat', 'self', { type: 'availability', available: true, supportGroups: a.supportGroups }),
  );
  await takeNext(deps, a);
};

const unavailable = async (deps: ChatDeps, conn: ChatConnection, caller: Caller) => {
  const staff = staffOf(caller);
  if (!staff) throw forbidden('Only analysts of a support group take chats.');
  await deps.chats.deleteAvailability({ userId: caller.id, supportGroups: staff.supportGroups });
  await post(deps, conn.connectionId, renderFor('chat', 'self', { type: 'availability', available: false }));
};

/** $default: one frame `{ action, ... }` from a connection; every outcome is a frame back. */
export const onMessage = async (deps: ChatDeps, connectionId: string, raw: string | undefined | null): Promise<void> => {
  let action: string | undefined;
  try {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw ?? '') as Record<string, unknown>;
    } catch {
      throw validation([{ path: 'body', message: 'is not valid JSON' }]);
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      throw validation([{ path: 'body', message: 'must be a JSON object' }]);
    }
    action = typeof msg.action === 'string' ? msg.action : undefined;
    if (!action || !(CHAT_ACTIONS as readonly string[]).includes(action)) {
      throw validation([{ path: 'action', message: `must be one of ${CHAT_ACTIONS.join(', ')}` }]);
    }
    const conn = await deps.chats.getConnection(connectionId);
    if (!conn) throw new Problem(401, '/problems/unauthorized', 'Unauthorized', 'This connection is not known; reconnect.');
    const caller = await callerOf(deps, conn);
    switch (action as ChatAction) {
      case 'start':
        return await start(deps, conn, caller, msg.caseNumber);
      case 'send':
        return await send(deps, conn, caller, msg.text);
      case 'leaveNumber':
        return await leaveNumber(deps, conn, caller, msg.phone);
      case 'end':
        return await end(deps, conn, caller);
      case 'available':
        return await available(deps, conn, caller);
      case 'unavailable':
        return await unavailable(deps, conn, caller);
    }
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    await post(deps, connectionId, renderFor('chat', 'self', errorFrame(action, err)));
  }
};

/**
 * $disconnect (best effort: TTL and 410 Gone clean up the rest): an analyst is no longer
 * available; a side of a live chat has DROP_GRACE_SECONDS to come back before the chat ends.
 */
export const disconnect = async (deps: ChatDeps, connectionId: string): Promise<void> => {
  const conn = await deps.chats.getConnection(connectionId);
  if (!conn) return;
  const avail = await deps.chats.getAvailability(conn.userId);
  if (avail?.connectionId === connectionId) await deps.chats.deleteAvailability(avail);
  if (conn.chatId) {
    const res = await changeChat(deps, conn.chatId, (current) => {
      if (current.status === 'ended') return undefined;
      if (current.customerConn === connectionId) return { ...current, customerConn: undefined };
      if (current.analystConn === connectionId) return { ...current, analystConn: undefined };
      return undefined;
    });
    if (res) {
      // The timer first: whoever hears of the drop can count on the chat ending if nobody comes back.
      await deps.timers.start({ chatId: conn.chatId, version: res.after.version, kind: 'drop' }, DROP_GRACE_SECONDS);
      const other = res.before.customerConn === connectionId ? res.after.analystConn : res.after.customerConn;
      await post(
        deps,
        other,
        forParty(res.after, other, { type: 'dropped', chatId: conn.chatId, graceSeconds: DROP_GRACE_SECONDS }),
      );
    }
  }
  await deps.chats.deleteConnection(connectionId);
};

/**
 * A chat timer fired. It carries the version the chat had when it was set: if the chat changed
 * since (answered, rejoined, ended), or the timer is delivered again, it does nothing.
 */
export const onTimer = async (deps: ChatDeps, timer: ChatTimer): Promise<'offered' | 'ended' | 'stale'> => {
  if (timer.kind === 'drop') return (await endChat(deps, timer.chatId, 'dropped', timer.version)) ? 'ended' : 'stale';
  const res = await changeChat(deps, timer.chatId, (current) =>
    current.status === 'queued' && current.version === timer.version ? { ...current, status: 'offered' } : undefined,
  );
  if (!res) return 'stale';
  await post(
    deps,
    res.after.customerConn,
    forParty(res.after, res.after.customerConn, {
      ...chatFrame(res.after),
      type: 'callback-offer',
      detail:
        `No analyst has answered within ${QUEUE_TIMEOUT_SECONDS} seconds. Leave a number ({"action":"leaveNumber","phone":"..."}) ` +
        'and we will call you back, or keep waiting.',
    }),
  );
  return 'offered';
};
