/**
 * Chat's pure rules: the version a timer carries (CHAT-2), the transcript (CHAT-3),
 * frames for bad input. The whole flow runs end to end in test/e2e/chat.test.ts.
 */
import {
  onMessage,
  onTimer,
  PHONE_PATTERN,
  QUEUE_TIMEOUT_SECONDS,
  transcriptText,
  type ChatDeps,
} from '../../lambdas/domain/chat/chat';
import type { Chat, ChatMessage } from '../../lambdas/domain/chat/chat-types';

const aChat = (extra: Partial<Chat> = {}): Chat => ({
  chatId: 'c1',
  caseNumber: '00001234',
  orgId: 'ORG-ACME',
  supportGroup: 'Cloud CX Support',
  customerId: 'u-dana',
  customerName: 'Dana',
  customerEmail: 'dana@acme.example',
  customerConn: 'conn-dana',
  status: 'queued',
  version: 3,
  startedAt: '2026-12-01T09:00:00.000Z',
  ...extra,
});

/** Just the ports these rules touch: a chat store with conditional saves, and the frames posted. */
const depsWith = (chat: Chat) => {
  const store = { chat };
  const frames: { to: string; frame: Record<string, unknown> }[] = [];
  const deps = {
    clock: { now: () => new Date('2026-12-01T09:01:00.000Z') },
    chats: {
      getChat: async () => store.chat,
      saveChat: async (next: Chat, expected: number) => {
        if (store.chat.version !== expected) return false;
        store.chat = next;
        return true;
      },
      getConnection: async () => undefined,
      deleteConnection: async () => undefined,
    },
    connections: {
      post: async (to: string, frame: unknown) => {
        frames.push({ to, frame: frame as Record<string, unknown> });
        return 'sent' as const;
      },
    },
  } as unknown as ChatDeps;
  return { deps, store, frames };
};

describe('CHAT-2: the per-chat timer', () => {
  it("CHAT-2: a timer at the chat's version offers the queued customer a callback", async () => {
    const { deps, store, frames } = depsWith(aChat());
    expect(await onTimer(deps, { chatId: 'c1', version: 3, kind: 'queued' })).toBe('offered');
    expect(store.chat.status).toBe('offered');
    expect(frames).toEqual([{ to: 'conn-dana', frame: expect.objectContaining({ type: 'callback-offer', chatId: 'c1' }) }]);
  });

  it('CHAT-2: a stale timer (the chat changed since) or the same timer delivered twice does nothing', async () => {
    const { deps, frames } = depsWith(aChat());
    expect(await onTimer(deps, { chatId: 'c1', version: 2, kind: 'queued' })).toBe('stale');
    expect(await onTimer(deps, { chatId: 'c1', version: 3, kind: 'queued' })).toBe('offered');
    expect(await onTimer(deps, { chatId: 'c1', version: 3, kind: 'queued' })).toBe('stale');
    expect(frames).toHaveLength(1);
  });

  it('CHAT-2: an answered chat is never offered a callback', async () => {
    const { deps, frames } = depsWith(aChat({ status: 'active', analystId: 'u-alice', analystConn: 'conn-alice' }));
    expect(await onTimer(deps, { chatId: 'c1', version: 3, kind: 'queued' })).toBe('stale');
    expect(frames).toEqual([]);
  });

  it('CHAT-2: the wait is 60 seconds', () => {
    expect(QUEUE_TIMEOUT_SECONDS).toBe(60);
  });

  it('CHAT-3: a drop timer for a chat that moved on (the customer came back) does not end it', async () => {
    const { deps, store } = depsWith(aChat({ status: 'active', version: 5 }));
    expect(await onTimer(deps, { chatId: 'c1', version: 4, kind: 'drop' })).toBe('stale');
    expect(store.chat.status).toBe('active');
  });
});

describe('CHAT-3: the transcript', () => {
  it('CHAT-3: names the case, both sides, every message in order and how it ended', () => {
    const messages: ChatMessage[] = [
      {
        chatId: 'c1',
        messageId: '1',
        at: '2026-12-01T09:00:10.000Z',
        fromId: 'u-dana',
        fromName: 'Dana',
        fromKind: 'customer',
        text: 'Phones are down',
      },
      {
        chatId: 'c1',
        messageId: '2',
        at: '2026-12-01T09:00:20.000Z',
        fromId: 'u-alice',
        fromName: 'Alice',
        fromKind: 'staff',
        text: 'Looking now',
      },
    ];
    const text = transcriptText(
      aChat({ status: 'ended', analystName: 'Alice', endedAt: '2026-12-01T09:05:00.000Z', endReason: 'ended-by-analyst' }),
      messages,
    );
    expect(text).toContain('case 00001234');
    expect(text).toContain('answered by Alice');
    expect(text.indexOf('Dana: Phones are down')).toBeLessThan(text.indexOf('Alice: Looking now'));
    expect(text).toContain('ended by the analyst');
  });

  it('CHAT-3: an unanswered chat says so', () => {
    expect(transcriptText(aChat({ status: 'ended', endReason: 'callback' }), [])).toContain('not answered by an analyst');
  });
});

describe('frames in', () => {
  it('bad JSON and unknown actions answer an error frame naming the field, to the sender only', async () => {
    const { deps, frames } = depsWith(aChat());
    await onMessage(deps, 'conn-x', 'not json');
    await onMessage(deps, 'conn-x', JSON.stringify({ action: 'dance' }));
    expect(frames).toEqual([
      {
        to: 'conn-x',
        frame: expect.objectContaining({
          type: 'error',
          problem: expect.objectContaining({ status: 400, errors: [{ path: 'body', message: 'is not valid JSON' }] }),
        }),
      },
      {
        to: 'conn-x',
        frame: expect.objectContaining({
          type: 'error',
          problem: expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'action' })] }),
        }),
      },
    ]);
  });

  it('a frame from a connection the table does not know is 401', async () => {
    const { deps, frames } = depsWith(aChat());
    await onMessage(deps, 'conn-x', JSON.stringify({ action: 'end' }));
    expect(frames[0]!.frame).toMatchObject({ type: 'error', action: 'end', problem: { status: 401 } });
  });

  it('CHAT-2: phone numbers: digits with the usual separators', () => {
    for (const ok of ['+1 555 0100', '+49 (30) 1234-5678', '0301234567']) expect(PHONE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['call me', '12', '', '+1 555 0100; DROP']) expect(PHONE_PATTERN.test(bad)).toBe(false);
  });
});
