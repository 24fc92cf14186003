/**
 * FLAG-2 (ACC-6) against DynamoDB Local: the 48-hour flag reads only the pending partition of
 * the sparse waiting index, so its cost follows the requests pending, not all requests; two
 * sweeps at once mail the admins once per request. Clocks are passed in: requests are made and
 * confirmed "50 hours ago", the sweep runs at T0.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mailJobKey } from '../../lambdas/data/keys';
import { systemIds } from '../../lambdas/adapters/ids';
import {
  confirmAccessRequest,
  decideAccessRequest,
  openAccessRequest,
  sweepPendingAccessRequests,
} from '../../lambdas/domain/access/access-requests';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import type { OutboundMail } from '../../lambdas/domain/mail/ports';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { seedDemo } from '../helpers/seed-cache';
import { putUser } from '../../lambdas/data/directory-repo';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { createTable } from '../../local/emulators';
import { instrument, testDeps } from '../helpers/deps';
import { depth } from '../helpers/depth';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const HOUR = 3_600_000;
const T0 = Math.floor(Date.now() / 1000) * 1000;
const CODE = '424242';

let db: TestDynamo;
beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => db?.stop());

/** A fresh seeded table, a meter on its client, and requests made `hours` ago (a source address each). */
const world = async () => {
  const client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const table = `access-${randomUUID().slice(0, 8)}`;
  await createTable(client, table);
  await seedDemo({ now: new Date(T0), ref: { doc, table } });
  const meter = instrument(doc);
  const sent: OutboundMail[] = [];
  const at = (t: number): Deps =>
    testDeps(doc, table, {
      clock: { now: () => new Date(t) },
      ids: { ...systemIds, oneTimeCode: () => CODE },
      mailer: { send: async (m) => void sent.push(m) },
      // The sweep queues its notices; recorded here so its own cost is what is metered.
      mailQueue: { enqueue: async (jobs) => void sent.push(...jobs.flatMap((j) => (j.kind === 'notice' ? [j.mail] : []))) },
    });
  const dana = (await resolveCaller(at(T0), { sub: 'u-dana', client: 'web', scopes: [] }))!;
  let n = 0;
  const pending = async (hours: number) => {
    const i = n++;
    const d = at(T0 - hours * HOUR);
    const made = await openAccessRequest(
      d,
      { email: `person${i}@acme.example`, name: `Person ${i}`, level: 'read_only', combinations: [{ orgId: 'ORG-ACME' }] },
      `10.0.${Math.floor(i / 200)}.${i % 200}`,
    );
    await confirmAccessRequest(d, made.body.requestId, CODE);
    return made.body.requestId;
  };
  const decided = async (hours: number) => {
    const id = await pending(hours);
    await decideAccessRequest(at(T0 - hours * HOUR + 60_000), dana, id, { approve: false });
    return id;
  };
  return { client, doc, table, meter, sent, at, pending, decided };
};

const overdueMails = (sent: OutboundMail[]) => sent.filter((m) => m.subject.includes('pending over 48 hours'));

describe('FLAG-2: access requests pending over 48 hours', () => {
  it('FLAG-2: the sweep costs the same however many requests were decided: one Query of the pending partition, one write per due request', async () => {
    const costs: Record<string, number>[] = [];
    for (const decidedCount of [2, depth(12, 40)]) {
      const w = await world();
      for (let i = 0; i < decidedCount; i++) await w.decided(60);
      const due = [await w.pending(50), await w.pending(49)];
      await w.pending(10);
      w.meter.reset();
      w.sent.length = 0;
      const report = await sweepPendingAccessRequests(w.at(T0));
      expect(report).toEqual({ examined: 2, flagged: 2 });
      expect(overdueMails(w.sent).map((m) => due.find((id) => m.text.includes(id)))).toEqual(due);
      expect(overdueMails(w.sent).every((m) => m.to.includes('adam@vendor.example'))).toBe(true);
      expect(w.meter.scans).toEqual([]);
      costs.push(w.meter.calls);
      w.client.destroy();
    }
    // Few or many decided requests: the same calls (the pending Query, the admins' Query, 2 flags each
    // written with its mail, and one read of the requests' organisation to render the mail for each
    // admin's region).
    expect(costs[1]).toEqual(costs[0]);
    expect(costs[0]).toEqual({ QueryCommand: 2, TransactWriteItemsCommand: 2, BatchGetItemCommand: 1 });
  });

  it('FLAG-2: two sweeps at once, and a third later, mail the admins once per request', async () => {
    const w = await world();
    const due = await w.pending(50);
    const [a, b] = await Promise.all([sweepPendingAccessRequests(w.at(T0)), sweepPendingAccessRequests(w.at(T0))]);
    expect(a.flagged + b.flagged).toBe(1);
    const later = await sweepPendingAccessRequests(w.at(T0 + 4 * HOUR));
    expect(later).toEqual({ examined: 0, flagged: 0 });
    expect(overdueMails(w.sent).filter((m) => m.text.includes(due))).toHaveLength(1);
    w.client.destroy();
  });

  it('FLAG-2: with the mail queue down, the request is flagged and its overdue mail is an intent written with the flag', async () => {
    const w = await world();
    const due = await w.pending(50);
    const down: Deps['mailQueue'] = { enqueue: async () => Promise.reject(new Error('SQS unreachable')) };
    const report = await sweepPendingAccessRequests({ ...w.at(T0), mailQueue: down });
    expect(report).toEqual({ examined: 1, flagged: 1 });
    // adam is the portal admin (API.md demo data): his overdue mail waits in the table for the queue.
    const intent = (
      await w.doc.send(
        new GetCommand({ TableName: w.table, Key: mailJobKey(`access-overdue#${due}#u-adam`), ConsistentRead: true }),
      )
    ).Item;
    expect(JSON.parse(String(intent?.job)).mail).toMatchObject({ to: ['adam@vendor.example'] });
    expect(JSON.parse(String(intent?.job)).mail.subject).toContain('pending over 48 hours');
    // Flagged once: a later run does not flag or mail it again.
    expect(await sweepPendingAccessRequests({ ...w.at(T0 + HOUR), mailQueue: down })).toEqual({ examined: 0, flagged: 0 });
    w.client.destroy();
  });

  it('PRIV-1: the overdue mail names an EU/EEA requester to EU admins only; a portal admin working from the US is mailed neither name nor address, subject line included', async () => {
    const w = await world();
    await putUser(
      { doc: w.doc, table: w.table },
      {
        userId: 'u-uma-admin',
        email: 'usadmin@vendor.example',
        name: 'US Admin',
        timeZone: 'America/New_York',
        termsVersion: CURRENT_TERMS.version,
        staff: { role: 'admin', region: 'US', supportGroups: [] },
        settings: { defaultList: 'all', notifications: {} },
      },
    );
    const d = w.at(T0 - 50 * HOUR);
    const made = await openAccessRequest(
      d,
      {
        email: 'klaus.richter@globex.example',
        name: 'Klaus Richter',
        level: 'read_only',
        combinations: [{ orgId: 'ORG-GLOBEX' }],
      },
      '10.7.7.7',
    );
    await confirmAccessRequest(d, made.body.requestId, CODE);
    expect(await sweepPendingAccessRequests(w.at(T0))).toEqual({ examined: 1, flagged: 1 });
    const to = (address: string) => overdueMails(w.sent).filter((m) => m.to.includes(address));
    expect(to('usadmin@vendor.example')).toHaveLength(1);
    for (const m of to('usadmin@vendor.example')) {
      expect(JSON.stringify(m)).not.toContain('Klaus');
      expect(JSON.stringify(m)).not.toContain('klaus.richter@globex.example');
    }
    // The control: adam works from the EU and reads the requester in full.
    expect(
      to('adam@vendor.example')
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Klaus Richter <klaus.richter@globex.example>');
    w.client.destroy();
  });
});

describe("ACC-6: the approvers' and the decision mail are written with the change", () => {
  it('ACC-6: with the mail queue down, confirm and decide still answer, and both mails are intents in the table, written by their change', async () => {
    const w = await world();
    const down: Deps['mailQueue'] = { enqueue: async () => Promise.reject(new Error('SQS unreachable')) };
    const d = { ...w.at(T0), mailQueue: down };
    const made = await openAccessRequest(
      d,
      { email: 'ivy.intent@acme.example', name: 'Ivy Intent', level: 'read_only', combinations: [{ orgId: 'ORG-ACME' }] },
      '10.9.9.9',
    );
    const id = made.body.requestId;
    await expect(confirmAccessRequest(d, id, CODE)).resolves.toMatchObject({ status: 'pending' });
    const dana = (await resolveCaller(w.at(T0), { sub: 'u-dana', client: 'web', scopes: [] }))!;
    await expect(decideAccessRequest(d, dana, id, { approve: false, comment: 'not now' })).resolves.toMatchObject({
      status: 'rejected',
    });
    const intent = async (key: string) =>
      (await w.doc.send(new GetCommand({ TableName: w.table, Key: mailJobKey(key), ConsistentRead: true }))).Item;
    // Dana is Acme's Designated Approver (API.md demo data): her mail is the admin case's, with its case number.
    const approvers = await intent(`access-approvers#${id}#u-dana`);
    expect(JSON.parse(String(approvers?.job))).toMatchObject({ kind: 'notice', caseNumber: expect.any(String) });
    const decision = await intent(`access-decision#${id}`);
    expect(JSON.parse(String(decision?.job)).mail.text).toContain('declined');
  });
});
