/**
 * The chat timer queue locally (CHAT-2, the dropped-connection grace): an SQS queue on fauxqs
 * and the stand-in for Lambda's SQS event source, which receives its messages and invokes the
 * chat-timer function with an SQS event, deleting what it did not report as failed.
 *
 * fauxqs honours DelaySeconds (per message, on its own wall clock: see its SqsStore.createMessage),
 * so `npm start` behaves as AWS does: the callback is offered 60 real seconds after a chat was
 * queued. Tests cannot wait on a wall clock, so with `clock: 'manual'` the functions' SQS
 * endpoint is a delay gate in front of fauxqs: it accepts SendMessage (the SQS JSON protocol the
 * SDK speaks), holds each message until the test's clock passes its DelaySeconds, then sends it
 * to fauxqs undelayed, and `advance()` returns once the consumer has run on everything due.
 * Everything but the delay is fauxqs and the real function.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listenOn, readText } from './http-server';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalHandler } from './functions';
import { onEndpoint, receiveAndInvoke } from './sqs-event-source';

export const LOCAL_CHAT_TIMER_QUEUE = 'casework-chat-timers';

export interface ChatTimerQueue {
  /** The SQS endpoint and queue URL the chat functions are given. */
  endpoint: string;
  queueUrl: string;
  /** Manual clock only: moves the clock on, and resolves once every timer now due has been consumed. */
  advance(seconds: number): Promise<void>;
  /** Manual clock only: timers sent and not yet due. */
  pending(): number;
  stop(): Promise<void>;
}

interface Held {
  body: string;
  dueAt: number;
}

export const startChatTimerQueue = async (opts: {
  fauxqsEndpoint: string;
  /** The queue on fauxqs. */
  queueUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The chat-timer function. */
  consume: LocalHandler;
  clock: 'wall' | 'manual';
  /** The manual clock's gate, which the functions reach as their SQS endpoint. @default a free port */
  port?: number;
  log?: (m: string) => void;
}): Promise<ChatTimerQueue> => {
  const log = opts.log ?? (() => {});
  const fauxqsQueueUrl = onEndpoint(opts.fauxqsEndpoint, opts.queueUrl);
  const path = new URL(fauxqsQueueUrl).pathname;
  const sqs = new SQSClient({ endpoint: opts.fauxqsEndpoint, region: opts.region, credentials: opts.credentials });
  let stopped = false;

  const stopping = new AbortController();
  /** One receive, as Lambda's event source polls: invoke with the batch, delete the successes. */
  const receiveOnce = async (waitSeconds: number): Promise<number> => {
    return receiveAndInvoke(sqs, {
      abortSignal: stopping.signal,
      queueUrl: fauxqsQueueUrl,
      queueName: LOCAL_CHAT_TIMER_QUEUE,
      region: opts.region,
      waitSeconds,
      visibilityTimeoutSeconds: 30,
      timeoutMs: 30_000,
      consume: opts.consume,
      onFunctionError: (err) => log(`chat-timer failed: ${String(err)}`),
    });
  };

  if (opts.clock === 'wall') {
    // The event source: long polls for as long as local mode runs.
    const loop = (async () => {
      while (!stopped) {
        try {
          // A long poll, as the event source makes; stopping aborts it.
          await receiveOnce(20);
        } catch (err) {
          if (stopped) return;
          log(`chat timer poll failed: ${String(err)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
    return {
      endpoint: opts.fauxqsEndpoint,
      queueUrl: fauxqsQueueUrl,
      advance: () => Promise.reject(new Error('The chat timers run on the wall clock; start local mode with the manual clock')),
      pending: () => 0,
      stop: async () => {
        stopped = true;
        stopping.abort();
        await loop;
        sqs.destroy();
      },
    };
  }

  // Manual clock: the delay gate.
  let now = 0;
  const held: Held[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readText(req);
      const input = JSON.parse(body || '{}') as { MessageBody: string; DelaySeconds?: number; QueueUrl?: string };
      // The gate is the functions' whole SQS endpoint: calls on other queues (the mail queue)
      // pass through to fauxqs unchanged (the signature covers no host: fauxqs does not check it).
      if (target !== 'AmazonSQS.SendMessage' || !String(input.QueueUrl ?? '').endsWith(path)) {
        const upstream = await fetch(`${opts.fauxqsEndpoint}${req.url ?? '/'}`, {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length'].includes(k)),
          ) as Record<string, string>,
          body,
        });
        res.writeHead(
          upstream.status,
          Object.fromEntries(
            [...upstream.headers.entries()].filter(
              ([k]) => !['transfer-encoding', 'content-encoding', 'content-length'].includes(k),
            ),
          ),
        );
        res.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      held.push({ body: input.MessageBody, dueAt: now + (input.DelaySeconds ?? 0) * 1000 });
      const out = JSON.stringify({
        MessageId: randomUUID(),
        MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(out);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  const port = await listenOn(server, opts.port ?? 0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}${path}`,
    pending: () => held.length,
    advance: async (seconds) => {
      now += seconds * 1000;
      const due = held.filter((h) => h.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
      for (const h of due) held.splice(held.indexOf(h), 1);
      for (const h of due) await sqs.send(new SendMessageCommand({ QueueUrl: fauxqsQueueUrl, MessageBody: h.body }));
      let left = due.length;
      // Consumed through fauxqs as the event source would; a timer's own work may set new timers (held).
      // A receive may come back empty before fauxqs shows a message just sent: a few more tries.
      for (let empty = 0; left > 0 && empty < 10;) {
        const n = await receiveOnce(1);
        if (n === 0) empty++;
        left -= n;
      }
      if (left > 0) log(`chat timers: ${left} due timer(s) not consumed`);
    },
    stop: async () => {
      stopped = true;
      await new Promise<void>((r) => server.close(() => r()));
      sqs.destroy();
    },
  };
};
