/**
 * Benchmark 5: what the needs-action sweep (FLAG-1) consumes with the same 50 cases due among
 * 1,000 and 100,000 others, on DynamoDB Local. The others are open, new and closed cases; the 50
 * have waited 25 to 74 hours. The sweep's client goes through the wire tap, which counts calls
 * and sums ReturnConsumedCapacity. Seeding uses BatchWrite, BENCH_SWEEP_PARALLEL batches in
 * flight; if the measured write rate says the large table would not be seeded within
 * BENCH_SWEEP_SEED_SECONDS, the large run falls back to 10,000 and the report says why.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { depsFor } from '../lambdas/adapters/deps-for';
import { caseIndexKeys, keys } from '../lambdas/data/keys';
import { sweepNeedsAction, type SweepReport } from '../lambdas/domain/cases/sweep';
import type { Case, Status } from '../lambdas/domain/kernel/types';
import { startDynamoTap } from '../local/dynamo-tap';
import { createTable, startDynamo } from '../local/emulators';
import { envInt, type Goal, runAlone, type Section, table } from './lib';

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

const batchWrite = async (doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[], parallel: number) => {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (res.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
};

interface Run {
  size: number;
  seedSeconds: number;
  sweepMs: number;
  calls: Record<string, number>;
  capacity: number;
  report: SweepReport;
}

export const runSweepBench = async (): Promise<Omit<Section, 'seconds'>> => {
  const parallel = envInt('BENCH_SWEEP_PARALLEL', 16);
  const seedBudget = envInt('BENCH_SWEEP_SEED_SECONDS', 150);
  const wanted = envInt('BENCH_SWEEP_LARGE', 100_000);
  const dynamo = await startDynamo({ port: 0 });
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
  const runOne = async (size: number): Promise<Run> => {
    const tableName = `sweep-${size}`;
    await createTable(loader.client, tableName);
    const items = [
      ...Array.from({ length: size }, (_, i) => caseItem(generatedCase(i + 1, NOT_WAITING[i % NOT_WAITING.length]!))),
      ...Array.from({ length: DUE }, (_, i) =>
        caseItem(
          generatedCase(
            90_000_000 + i,
            i % 2 ? 'awaiting_info' : 'solution_proposed',
            new Date(T0 - (25 + i) * HOUR).toISOString(),
          ),
        ),
      ),
    ];
    const t0 = performance.now();
    await batchWrite(loader.doc, tableName, items, parallel);
    const seedSeconds = (performance.now() - t0) / 1000;
    meter.calls = {};
    meter.capacity = 0;
    const deps = depsFor(
      { doc: swept.doc, table: tableName },
      { clock: { now: () => new Date(T0) }, mailer: { send: async () => 'never' } },
    );
    const t1 = performance.now();
    const report = await sweepNeedsAction(deps);
    return { size, seedSeconds, sweepMs: performance.now() - t1, calls: { ...meter.calls }, capacity: meter.capacity, report };
  };
  try {
    const small = await runOne(1_000);
    const rate = (1_000 + DUE) / small.seedSeconds;
    const projected = wanted / rate;
    const size = projected <= seedBudget ? wanted : 10_000;
    const large = await runOne(size);
    const why =
      size === wanted
        ? ''
        : `\n\nThe large table has ${size.toLocaleString('en')} cases, not ${wanted.toLocaleString('en')}: DynamoDB Local wrote ${rate.toFixed(0)} items/s at 1,000 (${parallel} BatchWrites in flight), so ${wanted.toLocaleString('en')} would have taken about ${projected.toFixed(0)} s, over this run's budget of ${seedBudget} s (BENCH_SWEEP_SEED_SECONDS). The sweep reads only the sparse waiting index, so its cost does not depend on the table's size; the two runs show it.`;
    const fmt = (r: Run) => [
      r.size.toLocaleString('en'),
      String(DUE),
      Object.entries(r.calls)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
      r.calls.Scan ? String(r.calls.Scan) : '0',
      r.capacity.toFixed(1),
      `${r.report.examined} / ${r.report.flagged}`,
      r.sweepMs.toFixed(0),
      r.seedSeconds.toFixed(1),
    ];
    const same =
      JSON.stringify(small.calls) === JSON.stringify(large.calls) &&
      Math.abs(large.capacity - small.capacity) <= 0.05 * small.capacity;
    const goals: Goal[] = [
      {
        goal: `5. sweep consumes the same at ${small.size.toLocaleString('en')} and ${large.size.toLocaleString('en')} cases (50 due), no Scan`,
        met: same && !small.calls.Scan && !large.calls.Scan,
        figure: `${small.capacity.toFixed(1)} vs ${large.capacity.toFixed(1)} units`,
      },
    ];
    return {
      title: '5. Sweep consumed capacity against table size',
      goals,
      markdown: [
        table(
          [
            'cases in table',
            'due',
            'DynamoDB calls',
            'Scans',
            'consumed capacity (units)',
            'examined / flagged',
            'sweep ms',
            'seeding s',
          ],
          [fmt(small), fmt(large)],
          ['r', 'r', 'l', 'r', 'r', 'r', 'r', 'r'],
        ),
        why,
      ].join(''),
    };
  } finally {
    loader.client.destroy();
    swept.client.destroy();
    await tap.close();
    await dynamo.stop();
  }
};

if (require.main === module) runAlone(runSweepBench);
