/**
 * Per-chat timers (CHAT-2, FLAG-2): one SQS message with DelaySeconds (up to 900 s, to the
 * second), carrying the chat's version, consumed by lambdas/chat/timer.ts. CHAT_TIMER_QUEUE_URL
 * comes with sqs:SendMessage on that queue (bindChatTimers).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ChatTimer } from '../domain/chat/chat-types';
import type { ChatTimers } from '../domain/chat/ports';
import { config } from './config';

export const sqsChatTimers = (client?: SQSClient): ChatTimers => {
  let sqs = client;
  return {
    start: async (timer: ChatTimer, delaySeconds: number) => {
      sqs ??= new SQSClient({});
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: config.chatTimerQueueUrl(),
          MessageBody: JSON.stringify(timer),
          DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
        }),
      );
    },
  };
};

/** A timer message as the consumer reads it back; anything else is dropped (it can never become valid). */
export const parseTimer = (body: string): ChatTimer | undefined => {
  try {
    const t = JSON.parse(body) as Partial<ChatTimer>;
    if (typeof t.chatId === 'string' && Number.isInteger(t.version) && (t.kind === 'queued' || t.kind === 'drop')) {
      return { chatId: t.chatId, version: t.version!, kind: t.kind };
    }
  } catch {
    // not JSON
  }
  return undefined;
};
