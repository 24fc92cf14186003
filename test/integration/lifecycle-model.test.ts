/**
 * CASE-4, CASE-7, CASE-8, CASE-9: a model-based test of the case lifecycle on DynamoDB Local.
 * fast-check generates sequences of staff, customer and scheduler actions on one fresh case per
 * run; a small model says what each action should do (from the moves written below, taken from
 * PRODUCT.md and the README, never from lifecycle.ts), and after every action the stored case
 * must match the model and keep its invariants.
 */
import fc from 'fast-check';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys, WAITING_PARTITION } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import { resolveCaller } from '../../lambdas/domain/kernel/caller';
import {
  addUpdate,
  caseHistory,
  decideClosure,
  decideEscalation,
  patchCase,
  reopenCase,
  requestClosure,
  requestEscalation,
} from '../../lambdas/domain/cases/case-changes';
import { createCase } from '../../lambdas/domain/cases/cases';
import { Problem } from '../../lambdas/domain/kernel/errors';
import type { OutboundMail } from '../../lambdas/domain/mail/ports';
import type { Caller } from '../../lambdas/domain/kernel/policy';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { sweepNeedsAction } from '../../lambdas/domain/cases/sweep';
import { STATUSES, type Case, type Status } from '../../lambdas/domain/kernel/types';
import type { HistoryEventView } from '../../lambdas/domain/kernel/views';
import { seedDemo } from '../helpers/seed-cache';
import { testDeps } from '../helpers/deps';
import { depth } from '../helpers/depth';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

const HOUR = 3_600_000;

/**
 * The allowed status moves, written here from the documents rather than read from the code under
 * test. CASE-4: staff move cases through new, open, awaiting_info, solution_proposed and closed,
 * and a customer's reply moves awaiting_info and solution_proposed back to open; CASE-7: a closed
 * case can be reopened. Where PRODUCT.md is silent the README's "Status changes" line fixes the
 * moves: nothing goes back to `new`, and a closed case only reopens (closed → open).
 */
const ALLOWED: Readonly<Record<Status, readonly Status[]>> = {
  new: ['open', 'awaiting_info', 'solution_proposed', 'closed'],
  open: ['awaiting_info', 'solution_proposed', 'closed'],
  awaiting_info: ['open', 'solution_proposed', 'closed'],
  solution_proposed: ['open', 'awaiting_info', 'closed'],
  closed: ['open'],
};
const allowedMove = (from: Status, to: Status) => ALLOWED[from].includes(to);

/** CASE-8: support waits on the customer in these states. */
const WAITING_STATES: readonly Status[] = ['awaiting_info', 'solution_proposed'];
const { waiting } = TABLE.indexes;

let db: TestDynamo;
let deps: Deps;
let dana: Caller;
let eric: Caller;
/** The clock only moves forward: the Sweep command jumps it 25 hours. */
let clockOffset = 0;
const sent: OutboundMail[] = [];

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName, {
    clock: { now: () => new Date(Date.now() + clockOffset) },
    mailer: { send: async (m) => void sent.push(m) },
  });
  await seedDemo({ ref: { doc: db.doc, table: db.tableName } });
  dana = (await resolveCaller(deps, { sub: 'u-dana', client: 'web', scopes: [] }))!;
  eric = (await resolveCaller(deps, { sub: 'u-eric', client: 'web', scopes: [] }))!;
});
afterAll(async () => db?.stop());

interface Model {
  status: Status;
  escalationPending: boolean;
  escalated: boolean;
  closurePending: boolean;
  needsAction: boolean;
}

interface Real {
  caseNumber: string;
  referenceId: string;
}

type Item = Case & Record<string, unknown>;

const isWaiting = (s: Status) => WAITING_STATES.includes(s);

/** The stored item, index attributes included. */
const stored = async (r: Real): Promise<Item> =>
  (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.case(r.caseNumber), ConsistentRead: true })))
    .Item as Item;

const history = async (r: Real): Promise<HistoryEventView[]> => {
  const events: HistoryEventView[] = [];
  let after: unknown;
  do {
    const page = await caseHistory(deps, eric, r.caseNumber, { limit: 100, after });
    events.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return events;
};

/** The model's status change, as withStatus keeps the needs-action flag (CASE-8). */
const moveTo = (m: Model, to: Status) => {
  if (to === m.status) return;
  if (!isWaiting(to) || !isWaiting(m.status)) m.needsAction = false;
  if (to === 'closed') m.closurePending = false;
  m.status = to;
};

/**
 * Runs an action the model allows (it must succeed and write one new version) or refuses (it
 * must reject with a 409 Problem, of the given shape when there is one, and leave the stored case
 * exactly as it was).
 */
const attempt = async (
  r: Real,
  allowed: boolean,
  call: () => Promise<unknown>,
  then?: (before: Item, after: Item) => void,
  refusal?: Record<string, unknown>,
) => {
  const before = await stored(r);
  if (allowed) {
    await call();
    const after = await stored(r);
    expect(after.version).toBe(before.version + 1);
    then?.(before, after);
  } else {
    const err = await call().then(
      () => new Error('expected a 409 Problem, but the call succeeded'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Problem);
    expect(err).toMatchObject({ status: 409, ...refusal });
    expect(await stored(r)).toEqual(before);
  }
};

/** The waiting clock starts when a case enters a waiting state and survives waiting-to-waiting moves. */
const waitingClock = (before: Item, after: Item) => {
  if (!isWaiting(after.status)) return;
  if (isWaiting(before.status)) expect(after.waitingSince).toBe(before.waitingSince);
  else expect(after.waitingSince).toBe(after.updatedAt);
};

/** What must hold of the stored case after every action, whatever the sequence. */
const invariants = async (m: Model, r: Real) => {
  const c = await stored(r);
  expect(STATUSES).toContain(c.status);
  expect({
    status: c.status,
    escalationPending: c.escalation?.status === 'requested',
    escalated: c.escalated === true,
    closurePending: c.closureRequest !== undefined,
    needsAction: c.needsAction,
  }).toEqual(m);
  const waitingNow = isWaiting(c.status);
  // CASE-8: the waiting clock runs only in awaiting_info and solution_proposed; needs-action only then.
  expect(c.waitingSince !== undefined).toBe(waitingNow);
  if (!waitingNow) expect(c.needsAction).toBe(false);
  expect(c.needsActionSince !== undefined).toBe(c.needsAction);
  // FLAG-1: the sparse index holds exactly the waiting, not yet flagged cases.
  expect(c[waiting.partitionKey] === WAITING_PARTITION).toBe(waitingNow && !c.needsAction);
  if (c[waiting.partitionKey] !== undefined) expect(c[waiting.sortKey]).toBe(`${c.waitingSince}#${c.caseNumber}`);

  // CASE-9: status events chain from `new` to the current status along allowed transitions only;
  // needs-action events chain from false to the current flag.
  const events = await history(r);
  // Every history starts with the case's `created` event.
  expect(events[0]?.action).toBe('created');
  let status: Status = 'new';
  for (const e of events.filter((x) => x.field === 'status')) {
    expect(e.from).toBe(status);
    expect(ALLOWED[e.from as Status]).toContain(e.to);
    status = e.to as Status;
  }
  expect(status).toBe(c.status);
  let flag = false;
  for (const e of events.filter((x) => x.field === 'needsAction')) {
    expect(e.from).toBe(flag);
    flag = e.to as boolean;
  }
  expect(flag).toBe(c.needsAction);
};

type Cmd = fc.AsyncCommand<Model, Real>;

/** CASE-4: staff set any status with PATCH; setting the current one is a no-op write. */
class StaffSetStatus implements Cmd {
  constructor(readonly to: Status) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const allowed = this.to === m.status || allowedMove(m.status, this.to);
    // README: an illegal move is 409 /problems/illegal-transition naming from and to.
    await attempt(r, allowed, () => patchCase(deps, eric, r.caseNumber, { status: this.to }), waitingClock, {
      type: '/problems/illegal-transition',
      extensions: expect.objectContaining({ from: m.status, to: this.to }),
    });
    if (allowed) moveTo(m, this.to);
    await invariants(m, r);
  }
  toString = () => `StaffSetStatus(${this.to})`;
}

/**
 * CASE-4, CASE-8: a customer's update hands a waiting case back to support; otherwise it only
 * appends. A closed case takes no updates, 409 case-closed (docs/helpdesk.md).
 */
class CustomerReply implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    await attempt(
      r,
      m.status !== 'closed',
      () => addUpdate(deps, dana, r.caseNumber, { body: 'Here is what you asked for.', visibility: 'public' }),
      waitingClock,
      { type: '/problems/case-closed' },
    );
    if (isWaiting(m.status)) moveTo(m, 'open');
    await invariants(m, r);
  }
  toString = () => 'CustomerReply';
}

/** CASE-7: a Designated Contact asks for escalation, once at a time, never on a closed case. */
class RequestEscalation implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const allowed = m.status !== 'closed' && !m.escalationPending;
    await attempt(r, allowed, () => requestEscalation(deps, dana, r.caseNumber, 'Production is down'));
    if (allowed) m.escalationPending = true;
    await invariants(m, r);
  }
  toString = () => 'RequestEscalation';
}

/** CASE-7: staff accept or decline a pending escalation. */
class DecideEscalation implements Cmd {
  constructor(readonly accept: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const allowed = m.escalationPending;
    await attempt(r, allowed, () =>
      decideEscalation(deps, eric, r.caseNumber, this.accept, this.accept ? 'Raised to duty manager' : 'Within SLA'),
    );
    if (allowed) {
      m.escalationPending = false;
      if (this.accept) m.escalated = true;
    }
    await invariants(m, r);
  }
  toString = () => `DecideEscalation(${this.accept ? 'accept' : 'decline'})`;
}

/** CASE-7: a Designated Contact asks to close an open case, once; staff close it with PATCH. */
class RequestClosure implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const allowed = m.status !== 'closed' && !m.closurePending;
    await attempt(r, allowed, () => requestClosure(deps, dana, r.caseNumber, 'Fixed on our side'));
    if (allowed) m.closurePending = true;
    await invariants(m, r);
  }
  toString = () => 'RequestClosure';
}

/** CASE-7: staff accept (the case closes) or decline (it stays as it is) a pending closure request. */
class DecideClosure implements Cmd {
  constructor(readonly accept: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const allowed = m.closurePending;
    await attempt(
      r,
      allowed,
      () => decideClosure(deps, eric, r.caseNumber, this.accept, this.accept ? undefined : 'Still failing here'),
      undefined,
      { type: '/problems/no-closure-pending' },
    );
    if (allowed) {
      m.closurePending = false;
      if (this.accept) moveTo(m, 'closed');
    }
    await invariants(m, r);
  }
  toString = () => `DecideClosure(${this.accept ? 'accept' : 'decline'})`;
}

/** CASE-7: a Designated Contact reopens a closed case, and only a closed one. */
class Reopen implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const allowed = m.status === 'closed';
    // Reopening a case that is not closed says so (409 not-closed).
    await attempt(r, allowed, () => reopenCase(deps, dana, r.caseNumber, 'It is back'), undefined, {
      type: '/problems/not-closed',
    });
    if (allowed) moveTo(m, 'open');
    await invariants(m, r);
  }
  toString = () => 'Reopen';
}

/**
 * CASE-8, FLAG-1: 25 hours pass and the sweep runs: a waiting, unflagged case is flagged once. The
 * sweep itself sends nothing: the flag's stream record drives the reminder (notifier.test.ts).
 */
class Sweep implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const before = await stored(r);
    const mailsBefore = sent.filter((x) => x.subject.includes(`[ref:${r.referenceId}]`)).length;
    clockOffset += 25 * HOUR;
    await sweepNeedsAction(deps);
    const after = await stored(r);
    const reminders = sent.filter((x) => x.subject.includes(`[ref:${r.referenceId}]`)).length - mailsBefore;
    if (isWaiting(m.status) && !m.needsAction) {
      m.needsAction = true;
      expect(after.version).toBe(before.version + 1);
      expect(reminders).toBe(0);
    } else {
      expect(after).toEqual(before);
      expect(reminders).toBe(0);
    }
    await invariants(m, r);
  }
  toString = () => 'Sweep(+25h)';
}

const staffSetStatus = fc.constantFrom(...STATUSES).map((to) => new StaffSetStatus(to));
const commands = fc.commands(
  [
    // Listed twice: status changes are what moves the case through every state.
    staffSetStatus,
    staffSetStatus,
    fc.constant(new CustomerReply()),
    fc.constant(new RequestEscalation()),
    fc.boolean().map((accept) => new DecideEscalation(accept)),
    fc.constant(new RequestClosure()),
    fc.boolean().map((accept) => new DecideClosure(accept)),
    fc.constant(new Reopen()),
    fc.constant(new Sweep()),
  ],
  // 'max': lengths range up to maxCommands, not fast-check's small default.
  { maxCommands: 15, size: 'max' },
);

/** Always run as well: the long paths random sequences of this length reach only now and then. */
const examples: Cmd[][] = [
  [
    new StaffSetStatus('awaiting_info'),
    new Sweep(),
    new StaffSetStatus('solution_proposed'),
    new Sweep(),
    new CustomerReply(),
    new RequestClosure(),
    new StaffSetStatus('closed'),
    new RequestEscalation(),
    new Reopen(),
    new Reopen(),
    new RequestEscalation(),
    new DecideEscalation(true),
    new StaffSetStatus('solution_proposed'),
    new Sweep(),
    new StaffSetStatus('open'),
  ],
  [
    new StaffSetStatus('solution_proposed'),
    new Sweep(),
    new StaffSetStatus('closed'),
    new CustomerReply(),
    new StaffSetStatus('awaiting_info'),
    new Reopen(),
    new StaffSetStatus('new'),
    new RequestClosure(),
    new RequestClosure(),
    new DecideClosure(false),
    new RequestClosure(),
    new DecideClosure(true),
    new Reopen(),
    new StaffSetStatus('awaiting_info'),
    new StaffSetStatus('awaiting_info'),
    new Sweep(),
    new Sweep(),
    new CustomerReply(),
    new DecideEscalation(false),
  ],
];

describe('the case lifecycle against a model', () => {
  it('CASE-4, CASE-7, CASE-8, CASE-9: any sequence of staff, customer and sweep actions follows the documented moves, refuses the rest with 409, and keeps the waiting invariants', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const created = await createCase(deps, dana, {
          kind: 'support',
          subject: 'Agents hear one-way audio',
          description: 'Since the upgrade',
          severity: 'high',
          orgId: 'ORG-ACME',
          productLine: 'Genesys Cloud CX',
        });
        const real: Real = { caseNumber: created.body.caseNumber, referenceId: created.body.referenceId };
        const model: Model = {
          status: 'new',
          escalationPending: false,
          escalated: false,
          closurePending: false,
          needsAction: false,
        };
        await invariants(model, real);
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: depth(10, 25), examples: examples.map((cmds) => [cmds] as [Iterable<Cmd>]) },
    );
  });
});
