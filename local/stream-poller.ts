/**
 * The local stand-in for Lambda's DynamoDB event source: polls DynamoDB Local's
 * stream and hands the notifier handler DynamoDBStreamEvent-shaped batches, with the same
 * filters as CDK's FilterCriteria (lambdas/data/stream-records.ts). Like the event source it
 * honours batchItemFailures (the failed records are retried; a batch that fails whole is
 * bisected), retries a bounded number of times and then gives the records to `onFailure` (local
 * mode sends them to an SQS queue on fauxqs, as the on-failure destination does in AWS).
 *
 * DynamoDB Local's stream quirks survived here: TrimmedDataAccessException (the position fell
 * off the 24-hour window: restart the shard at TRIM_HORIZON), ExpiredIteratorException (an
 * iterator is good for 15 minutes: get a new one after the last sequence number seen) and a
 * missing NextShardIterator (the shard is closed: drop it and look for its children).
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesStreamFilters } from '../lambdas/data/stream-records';

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: { getRemainingTimeInMillis(): number },
) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  /** Like the event source's retryAttempts: tries after the first. Default 3. */
  retryAttempts?: number;
  batchSize?: number;
  /** Pause after a poll that found nothing, while the table may still be written. Default 250 ms. */
  idleMs?: number;
  /**
   * Empty polls double the pause up to this (default 2 s); `nudge()` brings it back to `idleMs`.
   * An idle shard still costs DynamoDB Local a few milliseconds of CPU per poll.
   */
  maxIdleMs?: number;
  /** The handler's time budget per batch, as Lambda's timeout. Default 30 s. */
  timeoutMs?: number;
  /** What still fails after every retry (the on-failure destination). */
  onFailure: (records: DynamoDBRecord[], error: string) => Promise<void>;
  log?: (message: string) => void;
}

export interface StreamPoller {
  /** Resolves once every record written before the call has been handled (or given up on). */
  drain(): Promise<void>;
  /** Something may have written to the table (a function ran): the next poll comes within `idleMs`. */
  nudge(): void;
  stop(): Promise<void>;
}

interface Shard {
  shardId: string;
  iterator?: string;
  lastSequence?: string;
}

/** The SDK's record as Lambda delivers it (epoch seconds, the stream's ARN as eventSourceARN). */
const toLambdaRecord = (r: StreamRecord, streamArn: string): DynamoDBRecord =>
  ({
    ...r,
    eventSourceARN: streamArn,
    dynamodb: {
      ...r.dynamodb,
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
        : undefined,
    },
  }) as unknown as DynamoDBRecord;

export const startStreamPoller = async (opts: StreamPollerOptions): Promise<StreamPoller> => {
  const region = process.env.AWS_REGION ?? 'eu-west-1';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const ddb = new DynamoDBClient({ endpoint: opts.endpoint, region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: opts.endpoint, region, credentials });
  const log = opts.log ?? (() => undefined);
  const retryAttempts = opts.retryAttempts ?? 3;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const table = await ddb.send(new DescribeTableCommand({ TableName: opts.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${opts.tableName} has no stream`);

  const shards = new Map<string, Shard>();
  const closed = new Set<string>();
  let firstDiscovery = true;
  const discover = async () => {
    const res = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const s of res.StreamDescription?.Shards ?? []) {
      if (!s.ShardId || shards.has(s.ShardId) || closed.has(s.ShardId)) continue;
      // Shards open at start begin at LATEST, as the event source's StartingPosition; shards born later from the start.
      const type = firstDiscovery ? 'LATEST' : 'TRIM_HORIZON';
      const it = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: s.ShardId, ShardIteratorType: type }),
      );
      shards.set(s.ShardId, { shardId: s.ShardId, iterator: it.ShardIterator });
    }
    firstDiscovery = false;
  };

  const reposition = async (shard: Shard, type: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER') => {
    const after = type === 'AFTER_SEQUENCE_NUMBER' && shard.lastSequence;
    const it = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    shard.iterator = it.ShardIterator;
  };

  /** One invocation of the handler; the records it reports failed (all of them if it throws). */
  const invoke = async (records: DynamoDBRecord[]): Promise<{ failed: DynamoDBRecord[]; error: string }> => {
    const deadline = Date.now() + timeoutMs;
    try {
      const res = await opts.handler(
        { Records: records },
        { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) },
      );
      const ids = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      return { failed: records.filter((r) => ids.has(r.dynamodb?.SequenceNumber ?? '')), error: 'reported in batchItemFailures' };
    } catch (err) {
      return { failed: records, error: String(err) };
    }
  };

  /** The event source's retry loop: failed records again, a whole failure bisected, then onFailure. */
  const deliver = async (records: DynamoDBRecord[], attempt = 0): Promise<void> => {
    if (records.length === 0) return;
    const { failed, error } = await invoke(records);
    if (failed.length === 0) return;
    if (attempt >= retryAttempts) {
      log(`notifier: ${failed.length} stream record(s) failed ${attempt + 1} times, sent to the failure queue: ${error}`);
      await opts.onFailure(failed, error);
      return;
    }
    if (failed.length === records.length && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      await deliver(records.slice(0, half), attempt + 1);
      await deliver(records.slice(half), attempt + 1);
      return;
    }
    await deliver(failed, attempt + 1);
  };

  const pollShard = async (shard: Shard): Promise<number> => {
    if (!shard.iterator) return 0;
    let res;
    try {
      res = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: opts.batchSize ?? 100 }));
    } catch (err) {
      if (err instanceof TrimmedDataAccessException) {
        log(`stream: shard ${shard.shardId} trimmed; restarting at TRIM_HORIZON`);
        await reposition(shard, 'TRIM_HORIZON');
        return 0;
      }
      if (err instanceof ExpiredIteratorException) {
        await reposition(shard, 'AFTER_SEQUENCE_NUMBER');
        return 0;
      }
      throw err;
    }
    const records = (res.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
    if (records.length) shard.lastSequence = records[records.length - 1].dynamodb?.SequenceNumber;
    shard.iterator = res.NextShardIterator;
    if (!shard.iterator) {
      shards.delete(shard.shardId);
      closed.add(shard.shardId);
    }
    await deliver(records.filter(matchesStreamFilters));
    return records.length;
  };

  // Positioned before the poller is handed out: a write right after start is not missed.
  await discover();
  let stopped = false;
  let round = 1;
  let waiters: { after: number; resolve: () => void }[] = [];
  // A drain cuts the idle wait short: it resolves after two rounds, not after two idle pauses.
  let wake: (() => void) | undefined;
  const idleMs = opts.idleMs ?? 250;
  const maxIdleMs = Math.max(idleMs, opts.maxIdleMs ?? 2000);
  let pause = idleMs;
  // When the pause under way ends, and how to end it sooner (a nudge during a long pause).
  let pauseEnds = 0;
  let shorten: ((ms: number) => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let seen = 0;
      try {
        // DynamoDB Local opens new shards as it goes: while someone waits for a drain, every round
        // looks for them first, or an empty round could be declared while records sit in a shard
        // not yet known (a reminder's flag was handled seconds after a drain had resolved).
        if (shards.size === 0 || round % 20 === 0 || waiters.length > 0) await discover();
        for (const shard of [...shards.values()]) seen += await pollShard(shard);
      } catch (err) {
        log(`stream poller: ${String(err)}`);
      }
      round++;
      // A round that read nothing means every record written before it began has been handled.
      if (seen === 0) {
        const done = waiters.filter((w) => round > w.after + 1);
        waiters = waiters.filter((w) => round <= w.after + 1);
        for (const w of done) w.resolve();
        // While someone waits for a drain, the next round follows at once.
        const ms = waiters.length > 0 ? 0 : pause;
        pause = Math.min(pause * 2, maxIdleMs);
        await new Promise<void>((r) => {
          let timer = setTimeout(r, ms);
          pauseEnds = Date.now() + ms;
          wake = () => {
            clearTimeout(timer);
            r();
          };
          shorten = (soon) => {
            if (pauseEnds - Date.now() <= soon) return;
            clearTimeout(timer);
            timer = setTimeout(r, soon);
            pauseEnds = Date.now() + soon;
          };
        });
        wake = undefined;
        shorten = undefined;
      } else pause = idleMs;
    }
    for (const w of waiters) w.resolve();
  })();

  return {
    drain: () =>
      new Promise<void>((resolve) => {
        waiters.push({ after: round, resolve });
        wake?.();
      }),
    nudge: () => {
      pause = idleMs;
      shorten?.(idleMs);
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      ddb.destroy();
      streams.destroy();
    },
  };
};
