/**
 * Benchmark 7 (`npm run bench:fanout` alone): SNS calls and wall time per event for 1, 100 and 1,000 publications to
 * the integration topic on fauxqs, batched and bounded exactly as the notifier does it
 * (PublishBatch of PUBLISH_BATCH, PUBLISH_CONCURRENCY in flight). The outbox ledger's DynamoDB
 * writes are not in these figures (see the notifier integration test), nor per-user recipients:
 * push, inbox and email channels come with the subscriptions issue and will add their own calls.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { snsIntegrationTopic } from '../lambdas/adapters/sns-topic';
import { mapLimit, PUBLISH_BATCH, PUBLISH_CONCURRENCY, topicMessage } from '../lambdas/domain/notifier';
import type { NotificationEvent } from '../lambdas/domain/notifications';
import { startFauxqs } from '../lib/local/fauxqs';
import { runAlone, type Section, table } from './lib';

export const runFanout = async (): Promise<Omit<Section, 'seconds'>> => {
  const faux = await startFauxqs({
    port: 0,
    buckets: [],
    topics: ['bench'],
    queues: ['bench-q'],
    subscriptions: [{ topic: 'bench', queue: 'bench-q', rawMessageDelivery: true }],
  });
  const client = new SNSClient({
    endpoint: faux.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  let calls = 0;
  client.middlewareStack.add((next) => async (args) => (calls++, next(args)), { step: 'initialize', name: 'count' });
  const topic = snsIntegrationTopic(faux.topicArns.bench, client);
  try {
    const rows = [];
    for (const n of [1, 100, 1000]) {
      const events: NotificationEvent[] = Array.from({ length: n }, (_, i) => ({
        eventId: `severity-changed#${String(i).padStart(8, '0')}#v2`,
        eventType: 'severity-changed',
        at: new Date().toISOString(),
        orgId: 'ORG-ACME',
        caseNumber: String(i).padStart(8, '0'),
        severity: 'critical',
        from: 'high',
        to: 'critical',
      }));
      const batches: NotificationEvent[][] = [];
      for (let i = 0; i < n; i += PUBLISH_BATCH) batches.push(events.slice(i, i + PUBLISH_BATCH));
      calls = 0;
      const t0 = performance.now();
      await mapLimit(batches, PUBLISH_CONCURRENCY, (b) => topic.publishBatch(b.map((e, i) => topicMessage(e, `m${i}`))));
      const ms = performance.now() - t0;
      rows.push({
        events: n,
        snsCalls: calls,
        callsPerEvent: +(calls / n).toFixed(3),
        wallMs: +ms.toFixed(1),
        msPerEvent: +(ms / n).toFixed(3),
      });
    }
    return {
      title: '7. Fan-out to the integration topic',
      goals: [],
      markdown: [
        `Publications to the integration topic on fauxqs (SNS emulator), batched and bounded exactly as the notifier does it: PublishBatch of ${PUBLISH_BATCH}, ${PUBLISH_CONCURRENCY} in flight. The issue sets no goal here; the figure to watch is SNS calls per event (1/${PUBLISH_BATCH} when batches are full).`,
        '',
        table(
          ['events', 'SNS calls', 'calls per event', 'wall ms', 'ms per event'],
          rows.map((r) => [r.events, r.snsCalls, r.callsPerEvent, r.wallMs, r.msPerEvent]),
          ['r', 'r', 'r', 'r', 'r'],
        ),
      ].join('\n'),
    };
  } finally {
    client.destroy();
    await faux.stop();
  }
};

if (require.main === module) runAlone(runFanout);
