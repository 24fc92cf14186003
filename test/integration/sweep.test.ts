/**
 * FLAG-1 / CASE-8: the scheduled needs-action sweep against DynamoDB Local. Each scenario gets a
 * fresh table (seeded with the demo data) on one DynamoDB Local, and its own clock: cases are
 * opened and put on hold "hours ago" by passing a clock in the past, and the sweep runs at T0.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { caseIndexKeys, keys, WAITING_PARTITION } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import { addUpdate, patchCase } from '../../lambdas/domain/cases/case-changes';
import { createCase } from '../../lambdas/domain/cases/cases';
import type { OutboundMail, Mailer } from '../../lambdas/domain/mail/ports';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { sweepNeedsAction, type SweepReport } from '../../lambdas/domain/cases/sweep';
import type { AuditEvent, Case, Status } from '../../lambdas/domain/kernel/types';
import { seedDemo } from '../helpers/seed-cache';
import { createTable } from '../../local/emulators';
import { instrument, testDeps } from '../helpers/deps';
import { depth } from '../helpers/depth';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** "Now" for every sweep in this file (whole seconds, so ISO strings are stable). */
const T0 = Math.floor(Date.now() / 1000) * 1000;
const { waiting } = TABLE.indexes;

let db: TestDynamo;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await db?.stop();
});

/** A client of its own, as another Lambda container would have (and a middleware stack of its own for the meter). */
const connect = () => {
  const client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  clients.push(client);
  return { client, doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }) };
};

const newTable = async (client: DynamoDBClient, prefix: string) => {
  const table = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTable(client, table);
  return table;
};

/** A Mailer that keeps what it sends; `failOnce` makes the first matching send throw. */
const recordingMailer = (failOnce?: (m: OutboundMail) => boolean): Mailer & { sent: OutboundMail[]; failed: OutboundMail[] } => {
  const sent: OutboundMail[] = [];
  const failed: OutboundMail[] = [];
  return {
    sent,
    failed,
    send: async (m) => {
      if (failOnce && failed.length === 0 && failOnce(m)) {
        failed.push(m);
        throw new Error('SES: Throttling (simulated)');
      }
      sent.push(m);
    },
  };
};

const mailsFor = (mailer: { sent: OutboundMail[] }, referenceId: string) =>
  mailer.sent.filter((m) => m.subject.includes(`[ref:${referenceId}]`));

const supportCase = {
  kind: 'support' as const,
  subject: 'Recordings missing',
  description: 'Since Monday',
  severity: 'medium' as const,
  orgId: 'ORG-ACME',
  productLine: 'Genesys Cloud CX',
};

interface Opened {
  caseNumber: string;
  referenceId: string;
}

/** A fresh table with the demo data, clocks at any time, and dana (Designated Contact) and eric (EU analyst). */
const world = async () => {
  const { client, doc } = connect();
  const table = await newTable(client, 'sweep');
  await seedDemo({ now: new Date(T0), ref: { doc, table } });
  const at = (t: number, overrides: Partial<Deps> = {}): Deps =>
    testDeps(doc, table, { clock: { now: () => new Date(t) }, ...overrides });
  const base = at(T0);
  const as = async (sub: string): Promise<Caller> => (await resolveCaller(base, { sub, client: 'web', scopes: [] }))!;
  const dana = await as('u-dana');
  const eric = await as('u-eric');
  return {
    doc,
    table,
    at,
    dana,
    eric,
    /** A case dana opened an hour before support began waiting on her `hours` hours ago. */
    waitingCase: async (hours: number, status: Status = 'awaiting_info'): Promise<Opened> => {
      const created = await createCase(at(T0 - (hours + 1) * HOUR), dana, supportCase);
      await patchCase(at(T0 - hours * HOUR), eric, created.body.caseNumber, { status });
      return { caseNumber: created.body.caseNumber, referenceId: created.body.referenceId };
    },
    /** The stored item, keys and index attributes included. */
    item: async (caseNumber: string) =>
      (await doc.send(new GetCommand({ TableName: table, Key: keys.case(caseNumber), ConsistentRead: true }))).Item!,
    events: async (caseNumber: string): Promise<AuditEvent[]> => (await base.cases.listEvents(caseNumber, { limit: 1000 })).items,
    /** Case numbers in the waiting index for over 24 h at `t` (the demo data holds some too), read straight from the index. */
    due: async (t = T0): Promise<string[]> => {
      const res = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: waiting.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': waiting.partitionKey, '#sk': waiting.sortKey },
          ExpressionAttributeValues: { ':pk': WAITING_PARTITION, ':before': new Date(t - 24 * HOUR).toISOString() },
        }),
      );
      return (res.Items ?? []).map((i) => i.caseNumber as string);
    },
    sweep: (mailer: Mailer, t = T0, deps?: Deps): Promise<SweepReport> => sweepNeedsAction(deps ?? at(t, { mailer })),
  };
};

describe('FLAG-1: the 24-hour needs-action sweep', () => {
  it('FLAG-1, CASE-8: a case waiting over 24 h is flagged (the sweep itself sends nothing: the notifier reminds); one waiting 3 h is not', async () => {
    const w = await world();
    const late = await w.waitingCase(30);
    const recent = await w.waitingCase(3, 'solution_proposed');
    const lateBefore = await w.item(late.caseNumber);
    const recentBefore = await w.item(recent.caseNumber);
    expect(lateBefore).toMatchObject({ needsAction: false, [waiting.partitionKey]: WAITING_PARTITION });

    const due = await w.due();
    expect(due).toContain(late.caseNumber);
    expect(due).not.toContain(recent.caseNumber);

    const mailer = recordingMailer();
    const report = await w.sweep(mailer);

    const flagged = await w.item(late.caseNumber);
    expect(flagged).toMatchObject({
      status: 'awaiting_info',
      needsAction: true,
      needsActionSince: new Date(T0).toISOString(),
      waitingSince: lateBefore.waitingSince,
      version: lateBefore.version + 1,
    });
    // Out of the sparse index: no later sweep reads it again in this waiting period.
    expect(flagged).not.toHaveProperty(waiting.partitionKey);
    expect(flagged).not.toHaveProperty(waiting.sortKey);

    // The reminder is the notifier's, driven by this flag's stream record (notifier.test.ts).
    expect(mailer.sent).toEqual([]);

    // CASE-9: the flag is audited, by the system.
    expect(await w.events(late.caseNumber)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'needsAction', from: false, to: true, actorKind: 'system', action: 'needs-action' }),
      ]),
    );

    // Three hours on hold is not 24: untouched, still in the index, no mail.
    expect(await w.item(recent.caseNumber)).toEqual(recentBefore);
    expect(mailsFor(mailer, recent.referenceId)).toHaveLength(0);

    // Every due case (the demo data's among them) was flagged.
    expect(report).toEqual({ examined: due.length, flagged: due.length });
    expect(await w.due()).toEqual([]);
  });

  it('FLAG-1: running the sweep a second time changes nothing', async () => {
    const w = await world();
    const late = await w.waitingCase(30);
    const recent = await w.waitingCase(3);
    const mailer = recordingMailer();
    await w.sweep(mailer);
    const sentAfterFirst = mailer.sent.length;
    const lateAfterFirst = await w.item(late.caseNumber);
    const recentAfterFirst = await w.item(recent.caseNumber);
    const eventsAfterFirst = await w.events(late.caseNumber);

    const second = await w.sweep(mailer, T0 + MINUTE);
    expect(second).toEqual({ examined: 0, flagged: 0 });
    expect(mailer.sent).toHaveLength(sentAfterFirst);
    expect(await w.item(late.caseNumber)).toEqual(lateAfterFirst);
    expect(await w.item(recent.caseNumber)).toEqual(recentAfterFirst);
    expect(await w.events(late.caseNumber)).toEqual(eventsAfterFirst);

    // One flag per waiting period: a day later the flagged case is left alone, while the case
    // that was recent is now due and is flagged.
    const third = await w.sweep(mailer, T0 + 24 * HOUR);
    // (The demo data has cases of its own that come due by then.)
    expect(third.flagged).toBe(third.examined);
    expect(await w.item(late.caseNumber)).toEqual(lateAfterFirst);
    expect(await w.item(recent.caseNumber)).toMatchObject({ needsAction: true });
  });

  it('FLAG-1: two sweeps at once flag each case once', async () => {
    const w = await world();
    const opened: Opened[] = [];
    for (let i = 0; i < 20; i++) opened.push(await w.waitingCase(25 + i, i % 2 ? 'awaiting_info' : 'solution_proposed'));
    const due = await w.due();
    expect(due).toEqual(expect.arrayContaining(opened.map((o) => o.caseNumber)));
    const mailer = recordingMailer();
    // Two invocations, each with its own client, as two Lambda containers would run them.
    const second = connect().doc;
    const [a, b] = await Promise.all([
      w.sweep(mailer),
      w.sweep(mailer, T0, testDeps(second, w.table, { clock: { now: () => new Date(T0) }, mailer })),
    ]);

    // Every due case (these 20 and the demo data's) once, between the two runs.
    expect(a.flagged + b.flagged).toBe(due.length);
    expect(mailer.sent).toEqual([]);
    for (const o of opened) {
      expect(await w.item(o.caseNumber)).toMatchObject({ needsAction: true, needsActionSince: new Date(T0).toISOString() });
      expect((await w.events(o.caseNumber)).filter((e) => e.field === 'needsAction')).toHaveLength(1);
    }
  });

  it("CASE-8, CASE-4, CASE-9: the contact's update on a flagged case clears needs-action, moves it to open, and is audited", async () => {
    const w = await world();
    const late = await w.waitingCase(30);
    const mailer = recordingMailer();
    await w.sweep(mailer);
    expect(await w.item(late.caseNumber)).toMatchObject({ needsAction: true });

    const replyAt = T0 + 5 * MINUTE;
    await addUpdate(w.at(replyAt), w.dana, late.caseNumber, { body: 'Here are the logs you asked for.', visibility: 'public' });

    const after = await w.item(late.caseNumber);
    expect(after).toMatchObject({ status: 'open', needsAction: false, updatedAt: new Date(replyAt).toISOString() });
    expect(after).not.toHaveProperty('needsActionSince');
    expect(after).not.toHaveProperty('waitingSince');
    expect(after).not.toHaveProperty(waiting.partitionKey);
    const events = await w.events(late.caseNumber);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'status',
          from: 'awaiting_info',
          to: 'open',
          actorId: 'u-dana',
          actorKind: 'customer',
          action: 'customer-response',
        }),
        expect.objectContaining({ field: 'needsAction', from: true, to: false, actorId: 'u-dana', action: 'customer-response' }),
      ]),
    );
    // Nothing left to remind her of.
    const later = recordingMailer();
    await w.sweep(later, T0 + 48 * HOUR);
    expect(await w.item(late.caseNumber)).toMatchObject({ status: 'open', needsAction: false });
    expect(mailsFor(later, late.referenceId)).toHaveLength(0);
  });
  // The reminder's failure and retry are the notifier's now (test/integration/notifier.test.ts).
});

/* ------------------------------------------------------------------------------------------------
 * FLAG-1 cost: the sweep reads the sparse waiting index only, so the same 50 due cases cost the
 * same whether the table holds few or many other cases (1,000 and 5,000 at the long depth (CASEWORK_SWEEP_LARGE=20000 for more; `npm run
 * bench` runs 1,000 against 100,000).
 * ---------------------------------------------------------------------------------------------- */

const DUE = 50;
const ORGS = ['ORG-ACME', 'ORG-GLOBEX', 'ORG-UMBRELLA', 'ORG-INITECH'];
const NOT_WAITING: Status[] = ['new', 'open', 'open', 'closed'];
const SEVERITIES = ['high', 'medium', 'low'] as const;

/** A case as case-repo stores it: the same shape as its (private) caseItem. */
const caseItem = (c: Case) => ({ ...keys.case(c.caseNumber), ...caseIndexKeys(c), entity: 'case', ...c });

const generatedCase = (n: number, status: Status, waitingSince?: string): Case => {
  const caseNumber = String(n).padStart(8, '0');
  const createdAt = new Date(T0 - 72 * HOUR + n * 1000).toISOString();
  const orgId = ORGS[n % ORGS.length];
  return {
    caseNumber,
    referenceId: `LOAD${caseNumber}ABCD`,
    kind: 'support',
    subject: `Load case ${caseNumber}`,
    description: `Generated case ${caseNumber} for the sweep cost test.`,
    severity: SEVERITIES[n % SEVERITIES.length],
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
  };
};

/** The 50 due cases, identical in every table: numbers 90000000.., waiting 25 h to 74 h. */
const dueCases = (): Case[] =>
  Array.from({ length: DUE }, (_, i) =>
    generatedCase(90_000_000 + i, i % 2 ? 'awaiting_info' : 'solution_proposed', new Date(T0 - (25 + i) * HOUR).toISOString()),
  );

/** BatchWrite in 25s, `parallel` batches in flight, retrying unprocessed items. */
const batchWrite = async (doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], parallel = 8) => {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let nextBatch = 0;
  const worker = async () => {
    while (nextBatch < batches.length) {
      let requests = batches[nextBatch++].map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
};

interface CostRun {
  size: number;
  writeMs: number;
  sweepMs: number;
  calls: Record<string, number>;
  capacity: number;
  report: SweepReport;
  mails: number;
}

const costOfSweep = async (size: number): Promise<CostRun> => {
  const loader = connect();
  const table = await newTable(loader.client, `cost${size}`);
  const items = [
    ...Array.from({ length: size }, (_, i) => caseItem(generatedCase(i + 1, NOT_WAITING[i % NOT_WAITING.length]))),
    ...dueCases().map(caseItem),
  ];
  const writeStart = performance.now();
  await batchWrite(loader.doc, table, items);
  const writeMs = performance.now() - writeStart;

  // A fresh client carries only the meter, so only the sweep's own calls are counted.
  const { doc } = connect();
  const meter = instrument(doc);
  const mailer = recordingMailer();
  const sweepStart = performance.now();
  const report = await sweepNeedsAction(testDeps(doc, table, { clock: { now: () => new Date(T0) }, mailer }));
  const sweepMs = performance.now() - sweepStart;
  return { size, writeMs, sweepMs, calls: { ...meter.calls }, capacity: meter.capacity, report, mails: mailer.sent.length };
};

describe('FLAG-1: the sweep costs in proportion to the cases waiting, not to all cases', () => {
  const SMALL = depth(300, 1_000);
  const LARGE = Number(process.env.CASEWORK_SWEEP_LARGE ?? depth(1_500, 5_000));
  it(`FLAG-1: 50 due cases among ${SMALL} or ${LARGE} others cost the same calls and capacity, with no Scan`, async () => {
    const small = await costOfSweep(SMALL);
    const large = await costOfSweep(LARGE);
    if (process.env.CASEWORK_SWEEP_FIGURES) {
      process.stdout.write(`${JSON.stringify({ small, large })}\n`);
    }

    for (const run of [small, large]) {
      // The meter counts a Scan like any other call: these are the sweep's only calls, and none is a Scan.
      expect(run.calls.ScanCommand).toBeUndefined();
      expect(Object.keys(run.calls).sort()).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
      expect(run.calls.QueryCommand).toBe(1);
      expect(run.calls.TransactWriteItemsCommand).toBe(DUE);
      // The Query returned exactly the due cases: nothing else was read.
      expect(run.report).toEqual({ examined: DUE, flagged: DUE });
      expect(run.mails).toBe(0);
      expect(run.capacity).toBeGreaterThan(0);
    }
    expect(large.calls).toEqual(small.calls);
    expect(Math.abs(large.capacity - small.capacity) / small.capacity).toBeLessThanOrEqual(0.05);
  }, 600_000);
});
