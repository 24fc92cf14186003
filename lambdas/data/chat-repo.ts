/**
 * Chat: tickets, connections, chats with their messages and queue entries, analyst
 * availability. One exported function per access pattern; every list is a Query of one partition.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Availability, Chat, ChatClaims, ChatConnection, ChatMessage } from '../domain/chat/chat-types';
import { CONNECTION_TTL_SECONDS } from '../domain/chat/chat';
import type { ChatRepo } from '../domain/chat/ports';
import type { OrgEvent, User } from '../domain/kernel/types';
import type { TableRef } from './client';
import { staffByRole } from './directory-repo';
import { chatKeys, chatWaitingEventKey } from './keys';
import { appendPut, fromItem, lostRace, ttlIn, versionedPut } from './items';
import { inPartition, queryAll, queryPage } from './paging';
import { TABLE } from './table';

const TTL = TABLE.ttlAttribute;
/** Chats and their messages outlive the chat by a week: the transcript is on the case by then. */
const CHAT_TTL_SECONDS = 7 * 24 * 60 * 60;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const putTicket = async (ref: TableRef, ticket: string, claims: ChatClaims, validUntil: string) => {
  await ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: {
        ...chatKeys.ticket(ticket),
        entity: 'chat-ticket',
        ...claims,
        validUntil,
        // DynamoDB's TTL deletes within days, not seconds: validity is the delete's condition.
        [TTL]: ttlIn(new Date(validUntil), 0),
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
    }),
  );
};

/** Single use: the delete is conditional on the ticket being there and valid; its old image is the claims. */
export const consumeTicket = async (ref: TableRef, ticket: string, now: string): Promise<ChatClaims | undefined> => {
  try {
    const res = await ref.doc.send(
      new DeleteCommand({
        TableName: ref.table,
        Key: chatKeys.ticket(ticket),
        ConditionExpression: 'attribute_exists(#pk) AND #valid > :now',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#valid': 'validUntil' },
        ExpressionAttributeValues: { ':now': now },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const item = res.Attributes;
    return item ? { userId: String(item.userId), client: item.client as ChatClaims['client'] } : undefined;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
};

export const putConnection = async (ref: TableRef, c: ChatConnection) => {
  await ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: {
        ...chatKeys.connection(c.connectionId),
        entity: 'chat-connection',
        ...c,
        [TTL]: ttlIn(new Date(c.connectedAt), CONNECTION_TTL_SECONDS),
      },
    }),
  );
};

export const getConnection = async (ref: TableRef, connectionId: string): Promise<ChatConnection | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: chatKeys.connection(connectionId), ConsistentRead: true }),
  );
  return res.Item ? fromItem<ChatConnection>(res.Item) : undefined;
};

/** Only while the connection is still there: a gone connection is not brought back. */
export const setConnectionChat = async (ref: TableRef, connectionId: string, chatId: string) => {
  try {
    await ref.doc.send(
      new UpdateCommand({
        TableName: ref.table,
        Key: chatKeys.connection(connectionId),
        UpdateExpression: 'SET #chatId = :chatId',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#chatId': 'chatId', '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':chatId': chatId },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
};

export const deleteConnection = async (ref: TableRef, connectionId: string) => {
  await ref.doc.send(new DeleteCommand({ TableName: ref.table, Key: chatKeys.connection(connectionId) }));
};

const chatItem = (c: Chat) => ({
  ...chatKeys.chat(c.chatId),
  entity: 'chat',
  ...c,
  [TTL]: ttlIn(new Date(c.startedAt), CHAT_TTL_SECONDS),
});

/** Every item of one partition (a small one: a group's analysts, a group's queue). */
const wholePartition = (pk: string) => ({
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
  ExpressionAttributeValues: { ':pk': pk },
  ConsistentRead: true,
});

const waiting = (c: Pick<Chat, 'status'>) => c.status === 'queued' || c.status === 'offered';

export const getChat = async (ref: TableRef, chatId: string): Promise<Chat | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: chatKeys.chat(chatId), ConsistentRead: true }));
  return res.Item ? fromItem<Chat>(res.Item) : undefined;
};

const openPut = (ref: TableRef, c: Chat): TransactItem => ({
  Put: {
    TableName: ref.table,
    Item: {
      ...chatKeys.openChat(c.caseNumber, c.customerId),
      entity: 'chat-open',
      chatId: c.chatId,
      [TTL]: ttlIn(new Date(c.startedAt), CONNECTION_TTL_SECONDS),
    },
  },
});

const queuePut = (ref: TableRef, c: Chat): TransactItem => ({
  Put: {
    TableName: ref.table,
    Item: {
      ...chatKeys.queueEntry(c.supportGroup, c.startedAt, c.chatId),
      entity: 'chat-queue',
      chatId: c.chatId,
      [TTL]: ttlIn(new Date(c.startedAt), CONNECTION_TTL_SECONDS),
    },
  },
});

export const createChat = async (ref: TableRef, c: Chat) => {
  await ref.doc.send(
    new TransactWriteCommand({
      TransactItems: [appendPut(ref.table, chatItem(c)), openPut(ref, c), ...(waiting(c) ? [queuePut(ref, c)] : [])],
    }),
  );
};

export const saveChat = async (ref: TableRef, next: Chat, expectedVersion: number): Promise<boolean> => {
  const extra: TransactItem[] = [];
  if (!waiting(next))
    extra.push({ Delete: { TableName: ref.table, Key: chatKeys.queueEntry(next.supportGroup, next.startedAt, next.chatId) } });
  if (next.status === 'ended')
    extra.push({ Delete: { TableName: ref.table, Key: chatKeys.openChat(next.caseNumber, next.customerId) } });
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [versionedPut(ref.table, chatItem(next), expectedVersion), ...extra],
      }),
    );
    return true;
  } catch (err) {
    if (lostRace(err, 0)) return false;
    throw err;
  }
};

export const openChat = async (ref: TableRef, caseNumber: string, userId: string): Promise<string | undefined> => {
  const res = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: chatKeys.openChat(caseNumber, userId), ConsistentRead: true }),
  );
  return res.Item?.chatId as string | undefined;
};

export const appendMessage = async (ref: TableRef, m: ChatMessage) => {
  await ref.doc.send(
    new PutCommand({
      TableName: ref.table,
      Item: {
        ...chatKeys.message(m.chatId, m.messageId),
        entity: 'chat-message',
        ...m,
        [TTL]: ttlIn(new Date(m.at), CHAT_TTL_SECONDS),
      },
    }),
  );
};

export const listMessages = async (ref: TableRef, chatId: string): Promise<ChatMessage[]> =>
  (await queryAll(ref, { ...inPartition(chatKeys.chatPartition(chatId), chatKeys.messagePrefix), ConsistentRead: true })).map(
    (i) => fromItem<ChatMessage>(i),
  );

/** The analyst's item and one per support group, together. */
export const putAvailability = async (ref: TableRef, a: Availability) => {
  const expiresAt = ttlIn(new Date(a.since), CONNECTION_TTL_SECONDS);
  await ref.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: { TableName: ref.table, Item: { ...chatKeys.analyst(a.userId), entity: 'availability', ...a, [TTL]: expiresAt } },
        },
        ...a.supportGroups.map((g) => ({
          Put: {
            TableName: ref.table,
            Item: { ...chatKeys.groupAnalyst(g, a.userId), entity: 'availability', ...a, [TTL]: expiresAt },
          },
        })),
      ],
    }),
  );
};

export const deleteAvailability = async (ref: TableRef, a: Pick<Availability, 'userId' | 'supportGroups'>) => {
  await ref.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: ref.table, Key: chatKeys.analyst(a.userId) } },
        ...a.supportGroups.map((g) => ({ Delete: { TableName: ref.table, Key: chatKeys.groupAnalyst(g, a.userId) } })),
      ],
    }),
  );
};

export const getAvailability = async (ref: TableRef, userId: string): Promise<Availability | undefined> => {
  const res = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: chatKeys.analyst(userId), ConsistentRead: true }));
  return res.Item ? fromItem<Availability>(res.Item) : undefined;
};

export const availableInGroup = async (ref: TableRef, supportGroup: string): Promise<Availability[]> =>
  (await queryAll(ref, wholePartition(chatKeys.groupPartition(supportGroup)))).map((i) => fromItem<Availability>(i));

export const queuedChats = async (ref: TableRef, supportGroup: string, limit: number): Promise<string[]> =>
  (await queryPage(ref, wholePartition(chatKeys.queuePartition(supportGroup)), { limit })).items.map((i) => String(i.chatId));

/**
 * CHAT-1, NOTE-1: a waiting chat as its organisation's event, which the stream carries to the
 * notifier. A put keyed by the chat: writing it again changes nothing the notifier sees as new.
 */
export const putChatWaiting = async (ref: TableRef, e: OrgEvent & { chatId: string }) => {
  await ref.doc
    .send(
      new PutCommand({
        TableName: ref.table,
        Item: {
          ...chatWaitingEventKey(e.orgId, e.chatId),
          entity: 'org-event',
          ...e,
          [TTL]: ttlIn(new Date(e.at), CHAT_TTL_SECONDS),
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      }),
    )
    .catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
};

/** CHAT-2: the managers get callback alerts. */
export const managers = (ref: TableRef): Promise<User[]> => staffByRole(ref, 'manager');

export const chatRepo = (ref: TableRef): ChatRepo => ({
  putTicket: (t, claims, until) => putTicket(ref, t, claims, until),
  consumeTicket: (t, now) => consumeTicket(ref, t, now),
  putConnection: (c) => putConnection(ref, c),
  getConnection: (id) => getConnection(ref, id),
  setConnectionChat: (id, chatId) => setConnectionChat(ref, id, chatId),
  deleteConnection: (id) => deleteConnection(ref, id),
  getChat: (id) => getChat(ref, id),
  createChat: (c) => createChat(ref, c),
  saveChat: (next, expected) => saveChat(ref, next, expected),
  openChat: (n, userId) => openChat(ref, n, userId),
  appendMessage: (m) => appendMessage(ref, m),
  listMessages: (id) => listMessages(ref, id),
  putAvailability: (a) => putAvailability(ref, a),
  deleteAvailability: (a) => deleteAvailability(ref, a),
  getAvailability: (id) => getAvailability(ref, id),
  availableInGroup: (g) => availableInGroup(ref, g),
  queuedChats: (g, limit) => queuedChats(ref, g, limit),
  managers: () => managers(ref),
  chatWaiting: (e) => putChatWaiting(ref, e),
});
