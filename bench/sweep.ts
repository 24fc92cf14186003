/**
 * Benchmark 5: what the needs-action sweep (FLAG-1) consumes, and how long it takes, with the same
 * 50 cases due among 1,000 and among 100,000 others, on DynamoDB Local. The others are open, new
 * and closed cases; the 50 have waited 25 to 74 hours. The sweep's client goes through the wire
 * tap, which counts calls and sums ReturnConsumedCapacity.
 *
 * Seeding: BatchWriteItem of 25, BENCH_SWEEP_PARALLEL batches in flight, unprocessed items sent
 * again after a short backoff, items marshalled once up front and generated batch by batch. The
 * small table is seeded first (it also warms DynamoDB Local's JVM); the large one is judged on its
 * first 10,000 cases: if the rate they were written at says the rest would not fit in
 * BENCH_SWEEP_SEED_SECONDS, it stays at 10,000 and the report says why.
 *
 * Each size is swept BENCH_SWEEP_ROUNDS times, sizes alternating, after one unmeasured sweep of
 * each table; between rounds the 50 are written back as they were (due, not flagged),
 * so every round sweeps the same cases. Capacity must be the same every round; time is judged on
 * CPU (DynamoDB Local's JVM read from /proc, plus this process), as cold init is, because wall time
 * on shared cores mostly measures waiting for a core; wall medians are reported beside it.
 */
import { type AttributeValue, BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { depsFor } from '../lambdas/adapters/deps-for';
import { caseIndexKeys, keys } from '../lambdas/data/keys';
import { sweepNeedsAction, type SweepReport } from '../lambdas/domain/cases/sweep';
import type { Case, Status } from '../lambdas/domain/kernel/types';
import { startDynamoTap } from '../local/dynamo-tap';
import { createTable, startDynamo } from '../local/emulators';
import { cpuMsOf, dynamoJvm, envInt, type Goal, median, runAlone, type Section, table } from './lib';

const HOUR = 3_600_000;
const T0 = Math.floor(Date.now() / 1000) * 1000;
const DUE = 50;
const ORGS = ['ORG-ACME', 'ORG-GLOBEX', 'ORG-UMBRELLA', 'ORG-INITECH'];
const NOT_WAITING: Status[] = ['new', 'open', 'open', 'closed'];
const SEVERITIES = ['high', 'medium', 'low'] as const;

const caseItem = (c: Case) => ({ ...keys.case(c.caseNumber), ...caseIndexKeys(c), entity: 'case', ...c });

const generatedCase = (n: number, status: Status, waitingSince?: string): Case => {
  const caseNumber = String(n).padStart(8, '0');
  const createdAt = new Date(T0 - 72 * HOUR + n * 1000).toISOString();
  const orgId = ORGS[n % ORGS.length]!;
  return {
    caseNumber,
    referenceId: `LOAD${caseNumber}ABCD`,
    kind: 'support',
    subject: `Load case ${caseNumber}`,
    description: `Generated case ${caseNumber} for the sweep benchmark.`,
    severity: SEVERITIES[n % SEVERITIES.length]!,
    status,
    orgId,
    soldToOrgId: orgId,
    orgName: orgId.slice(4),
    productLine: 'Genesys Cloud CX',
    supportGroup: 'Cloud CX Support',
    ownerId: 'u-eric',
    contactId: 'u-dana',
    contactName: 'Dana Scott',
    contactEmail: 'dana@acme.example',
    createdAt,
    updatedAt: createdAt,
    version: 1,
    needsAction: false,
    ...(waitingSince ? { waitingSince } : {}),
  } as Case;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * BatchWriteItem of 25 with `parallel` batches in flight, taking batches from `next` until it has
 * none; what DynamoDB leaves unprocessed goes again, after a backoff that grows while it keeps
 * doing so. Returns how many items were written.
 */
const batchWrite = async (
  client: DynamoDBClient,
  tableName: string,
  next: () => Record<string, AttributeValue>[] | undefined,
  parallel: number,
): Promise<number> => {
  let written = 0;
  const worker = async () => {
    for (let batch = next(); batch; batch = next()) {
      let requests: WriteRequest[] = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        const left = res.UnprocessedItems?.[tableName] ?? [];
        written += requests.length - left.length;
        requests = left;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return written;
};

/** Batches of 25 marshalled items, cases `from`..`to` (inclusive) of the ones not due, made as they are asked for. */
const otherCases = (from: number, to: number) => {
  let n = from;
  return (): Record<string, AttributeValue>[] | undefined => {
    if (n > to) return undefined;
    const batch: Record<string, AttributeValue>[] = [];
    for (; n <= to && batch.length < 25; n++)
      batch.push(marshall(caseItem(generatedCase(n, NOT_WAITING[n % NOT_WAITING.length]!)), { removeUndefinedValues: true }));
    return batch;
  };
};

/** The 50 due cases as they are before any sweep, in batches of 25. */
const dueBatches = () => {
  const items = Array.from({ length: DUE }, (_, i) =>
    marshall(
      caseItem(
        generatedCase(
          90_000_000 + i,
          i % 2 ? 'awaiting_info' : 'solution_proposed',
          new Date(T0 - (25 + i) * HOUR).toISOString(),
        ),
      ),
      { removeUndefinedValues: true },
    ),
  );
  const batches = [items.slice(0, 25), items.slice(25)];
  return () => batches.shift();
};

interface Seeded {
  size: number;
  tableName: string;
  seedSeconds: number;
  itemsPerSecond: number;
}

interface Round {
  ms: number;
  /** CPU the sweep cost: DynamoDB Local's JVM and this process (client, tap, domain); undefined without /proc. */
  cpuMs?: number;
  /** Of which DynamoDB Local's JVM. */
  jvmMs?: number;
  calls: Record<string, number>;
  capacity: number;
  report: SweepReport;
}

const callsOf = (calls: Record<string, number>) =>
  Object.entries(calls)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

export const runSweepBench = async (): Promise<Omit<Section, 'seconds'>> => {
  const parallel = envInt('BENCH_SWEEP_PARALLEL', 16);
  const seedBudget = envInt('BENCH_SWEEP_SEED_SECONDS', 300);
  const wanted = envInt('BENCH_SWEEP_LARGE', 100_000);
  const rounds = envInt('BENCH_SWEEP_ROUNDS', 21);
  const dynamo = await startDynamo({ port: 0 });
  const jvm = dynamoJvm();
  const meter = { calls: {} as Record<string, number>, capacity: 0 };
  const tap = await startDynamoTap(dynamo.endpoint, {
    onRequest: (operation, input) => {
      meter.calls[operation] = (meter.calls[operation] ?? 0) + 1;
      return { ...input, ReturnConsumedCapacity: 'TOTAL' };
    },
    onResponse: (_op, output) => {
      const cc = (output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })?.ConsumedCapacity;
      for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) meter.capacity += c.CapacityUnits ?? 0;
    },
  });
  const connect = (endpoint: string) => {
    const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    return { client, doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }) };
  };
  const loader = connect(dynamo.endpoint);
  const swept = connect(tap.url);
  /** The table with the 50 due and `size` others; the large one may stop at 10,000 (see the module's comment). */
  const seed = async (size: number, judgeAt?: number): Promise<Seeded & { why?: string }> => {
    const tableName = `sweep-${size}`;
    await createTable(loader.client, tableName);
    const t0 = performance.now();
    let written = await batchWrite(loader.client, tableName, dueBatches(), parallel);
    let seeded = judgeAt ?? size;
    written += await batchWrite(loader.client, tableName, otherCases(1, seeded), parallel);
    let why: string | undefined;
    if (judgeAt !== undefined && judgeAt < size) {
      const rate = written / ((performance.now() - t0) / 1000);
      const projected = (size + DUE) / rate;
      if (projected <= seedBudget) {
        written += await batchWrite(loader.client, tableName, otherCases(judgeAt + 1, size), parallel);
        seeded = size;
      } else
        why = `The large table has ${seeded.toLocaleString('en')} cases, not ${size.toLocaleString('en')}: DynamoDB Local wrote its first ${judgeAt.toLocaleString('en')} at ${rate.toFixed(0)} items/s (${parallel} BatchWrites in flight), so ${size.toLocaleString('en')} would have taken about ${projected.toFixed(0)} s, over this run's budget of ${seedBudget} s (BENCH_SWEEP_SEED_SECONDS).`;
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    if (written !== seeded + DUE) throw new Error(`${tableName}: wrote ${written} items, expected ${seeded + DUE}`);
    return { size: seeded, tableName: `sweep-${size}`, seedSeconds, itemsPerSecond: written / seedSeconds, why };
  };
  const sweep = async (tableName: string): Promise<Round> => {
    meter.calls = {};
    meter.capacity = 0;
    const deps = depsFor(
      { doc: swept.doc, table: tableName },
      { clock: { now: () => new Date(T0) }, mailer: { send: async () => 'never' } },
    );
    const jvm0 = jvm === undefined ? undefined : cpuMsOf(jvm);
    const own0 = process.cpuUsage();
    const t1 = performance.now();
    const report = await sweepNeedsAction(deps);
    const ms = performance.now() - t1;
    const own = process.cpuUsage(own0);
    const jvmMs = jvm0 === undefined ? undefined : cpuMsOf(jvm!) - jvm0;
    const cpuMs = jvmMs === undefined ? undefined : jvmMs + (own.user + own.system) / 1000;
    // The 50 back as they were (due, not flagged), so the next round sweeps the same cases.
    await batchWrite(loader.client, tableName, dueBatches(), parallel);
    return { ms, cpuMs, jvmMs, calls: { ...meter.calls }, capacity: meter.capacity, report };
  };
  try {
    const small = await seed(1_000);
    const large = await seed(wanted, Math.min(10_000, wanted));
    // Code paths, the SDK client's connections and each table's pages in DynamoDB Local warmed by
    // one unmeasured sweep of each.
    for (const t of [small, large]) await sweep(t.tableName);
    const byTable = new Map<string, Round[]>([
      [small.tableName, []],
      [large.tableName, []],
    ]);
    // ABBA order, so a drift in the machine's load falls on both sizes alike.
    for (let i = 0; i < rounds; i++)
      for (const t of i % 2 ? [large, small] : [small, large]) byTable.get(t.tableName)!.push(await sweep(t.tableName));
    const summary = (t: Seeded) => {
      const runs = byTable.get(t.tableName)!;
      const first = runs[0]!;
      return {
        t,
        first,
        steady: runs.every((r) => callsOf(r.calls) === callsOf(first.calls) && r.capacity === first.capacity),
        ms: median(runs.map((r) => r.ms)),
        fastest: Math.min(...runs.map((r) => r.ms)),
        cpuMs: runs.every((r) => r.cpuMs !== undefined) ? runs.reduce((a, r) => a + r.cpuMs!, 0) / runs.length : undefined,
        jvmMs: runs.every((r) => r.jvmMs !== undefined) ? runs.reduce((a, r) => a + r.jvmMs!, 0) / runs.length : undefined,
        runs,
      };
    };
    const s = summary(small);
    const l = summary(large);
    const fmt = (r: ReturnType<typeof summary>) => [
      r.t.size.toLocaleString('en'),
      String(DUE),
      callsOf(r.first.calls),
      r.first.calls.Scan ? String(r.first.calls.Scan) : '0',
      `${r.first.capacity.toFixed(1)}${r.steady ? '' : ' (varied)'}`,
      `${r.first.report.examined} / ${r.first.report.flagged}`,
      r.cpuMs === undefined ? '—' : `${r.cpuMs.toFixed(0)} (${r.jvmMs!.toFixed(0)})`,
      `${r.ms.toFixed(0)} / ${r.fastest.toFixed(0)}`,
      r.runs.map((x) => x.ms.toFixed(0)).join(', '),
      r.t.seedSeconds.toFixed(1),
      r.t.itemsPerSecond.toFixed(0),
    ];
    const capacityRatio = l.first.capacity / s.first.capacity;
    const wallRatio = l.ms / s.ms;
    // Judged on CPU, as cold init is (benchmark 1): on shared cores wall time mostly measures
    // waiting for a core. Wall time is the judge only where /proc is not there to read CPU from.
    const cpuRatio = s.cpuMs !== undefined && l.cpuMs !== undefined ? l.cpuMs / s.cpuMs : undefined;
    const timeRatio = cpuRatio ?? wallRatio;
    const sameCalls = callsOf(s.first.calls) === callsOf(l.first.calls);
    const within = (x: number) => Math.abs(x - 1) <= 0.05;
    // Where a difference in CPU lies: DynamoDB Local's JVM, or this process (client, tap, the sweep's own work).
    const where = (() => {
      if (within(timeRatio) || s.jvmMs === undefined || l.jvmMs === undefined)
        return within(timeRatio) ? ', nor does its time' : '';
      const jvm = l.jvmMs - s.jvmMs;
      const own = l.cpuMs! - l.jvmMs - (s.cpuMs! - s.jvmMs);
      return `; its time does here: of the CPU per sweep, DynamoDB Local's JVM spent ${s.jvmMs.toFixed(0)} vs ${l.jvmMs.toFixed(0)} ms, this process (client, tap, the sweep itself) ${(s.cpuMs! - s.jvmMs).toFixed(0)} vs ${(l.cpuMs! - l.jvmMs).toFixed(0)} ms, so ${Math.abs(jvm) > Math.abs(own) ? `most of the difference is the emulator's (its SQLite tables and indexes hold ${(large.size / small.size).toFixed(0)} times the items)` : 'most of the difference is in this process'}`;
    })();
    const sizes = `${small.size.toLocaleString('en')} and ${large.size.toLocaleString('en')} cases (50 due)`;
    const goals: Goal[] = [
      {
        goal: `5. sweep capacity at ${sizes} within 5%, same calls, no Scan`,
        met: sameCalls && s.steady && l.steady && within(capacityRatio) && !s.first.calls.Scan && !l.first.calls.Scan,
        figure: `${s.first.capacity.toFixed(1)} vs ${l.first.capacity.toFixed(1)} units (${capacityRatio.toFixed(3)}x)`,
      },
      {
        goal: `5. sweep time at ${sizes} within 5%`,
        met: within(timeRatio),
        figure: `${cpuRatio === undefined ? '' : `CPU ${s.cpuMs!.toFixed(0)} vs ${l.cpuMs!.toFixed(0)} ms per sweep (${cpuRatio.toFixed(2)}x); `}wall median ${s.ms.toFixed(0)} vs ${l.ms.toFixed(0)} ms (${wallRatio.toFixed(2)}x), fastest ${s.fastest.toFixed(0)} vs ${l.fastest.toFixed(0)} ms; ${rounds} rounds each on shared cores`,
      },
    ];
    return {
      title: '5. Sweep consumed capacity and time against table size',
      goals,
      markdown: [
        `Each size swept ${rounds} times, sizes alternating (ABBA), after one unmeasured sweep of each table; between rounds the 50 are written back due and unflagged. Capacity and calls are the first round's (every round's were ${s.steady && l.steady ? 'the same' : '**not** the same'}); time is judged on CPU (DynamoDB Local's JVM plus this process: client, tap and the sweep, from /proc and process.cpuUsage, 10 ms ticks), the mean per sweep, because on shared cores wall time mostly measures waiting for a core; wall time is shown too, its median and every round. Seeding: BatchWriteItem of 25, ${parallel} in flight, unprocessed items retried with backoff; the small table is seeded first, on a cold JVM.`,
        '',
        table(
          [
            'cases in table',
            'due',
            'DynamoDB calls',
            'Scans',
            'consumed capacity (units)',
            'examined / flagged',
            'sweep CPU ms, mean (of which the JVM)',
            'sweep wall ms (median / fastest)',
            'sweep wall ms, each round',
            'seeding s',
            'seeding items/s',
          ],
          [fmt(s), fmt(l)],
          ['r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'r', 'r'],
        ),
        '',
        `Large against small: capacity ${capacityRatio.toFixed(3)}x, ${cpuRatio === undefined ? '' : `CPU ${cpuRatio.toFixed(2)}x, `}wall ${wallRatio.toFixed(2)}x (median; fastest rounds ${(l.fastest / s.fastest).toFixed(2)}x). The sweep reads only the sparse waiting index, so its calls and capacity do not depend on the table's size${where}.${large.why ? ` ${large.why}` : ''}`,
      ].join('\n'),
    };
  } finally {
    loader.client.destroy();
    swept.client.destroy();
    await tap.close();
    await dynamo.stop();
  }
};

if (require.main === module) runAlone(runSweepBench);
