/**
 * Per-user rate limits on case creation, updates and outgoing mail, counted in
 * the table (fixed windows, one conditional UpdateItem each) on DynamoDB Local.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lambdas/data/keys';
import { takeRateToken } from '../../lambdas/data/rate-limit-repo';
import { TABLE } from '../../lambdas/data/table';
import { countedRequest, enforceRateLimits, RATE_LIMITS } from '../../lambdas/domain/kernel/rate-limits';
import { forbidden } from '../../lambdas/domain/kernel/errors';
import { findRoute, rateLimitsOf } from '../../lambdas/http/routes';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { caller } from '../helpers/demo-caller';
import { testDeps } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
let now = new Date('2026-11-24T09:10:00.000Z');
let deps: Deps;

beforeAll(async () => {
  db = await startTestDynamo();
  deps = testDeps(db.doc, db.tableName, { clock: { now: () => now } });
});
afterAll(async () => db?.stop());

describe('per-user rate limits', () => {
  it('case creation: the request over the limit in a window is 429 /problems/rate-limited with the seconds to wait', async () => {
    const dana = caller({ id: 'u-rate-dana' });
    const { limit, windowSeconds } = RATE_LIMITS.cases;
    for (let i = 0; i < limit; i++) await enforceRateLimits(deps, dana, ['cases']);
    const refused = await enforceRateLimits(deps, dana, ['cases']).catch((e: unknown) => e);
    const windowEnd = Math.ceil(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000;
    expect(refused).toMatchObject({
      status: 429,
      type: '/problems/rate-limited',
      extensions: { retryAfter: (windowEnd - now.getTime()) / 1000 },
    });
    // Someone else has their own count.
    await expect(enforceRateLimits(deps, caller({ id: 'u-rate-dave' }), ['cases'])).resolves.toHaveLength(1);
    // The next window starts afresh.
    now = new Date(windowEnd);
    await expect(enforceRateLimits(deps, dana, ['cases'])).resolves.toHaveLength(1);
  });

  it('updates and mail are limits of their own: exhausting case creation leaves them alone', async () => {
    const rita = caller({ id: 'u-rate-rita' });
    for (let i = 0; i < RATE_LIMITS.cases.limit; i++) await enforceRateLimits(deps, rita, ['cases']);
    await expect(enforceRateLimits(deps, rita, ['cases'])).rejects.toMatchObject({ status: 429 });
    await expect(enforceRateLimits(deps, rita, ['updates', 'mail'])).resolves.toHaveLength(2);
  });

  it('atomic: of 40 concurrent requests against a limit of 10, exactly 10 pass', async () => {
    const windowStart = new Date('2026-11-24T09:00:00.000Z');
    const window = {
      callerId: 'u-rate-race',
      name: 'cases',
      windowStart,
      limit: 10,
      expiresAt: new Date('2026-11-24T11:00:00.000Z'),
    };
    const results = await Promise.all(
      Array.from({ length: 40 }, () => takeRateToken({ doc: db.doc, table: db.tableName }, window)),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
    const { Item } = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: keys.rateWindow('u-rate-race', 'cases', windowStart.toISOString()) }),
    );
    // The count never passes the limit, and the item carries its TTL (removed by DynamoDB after expiry).
    expect(Item).toMatchObject({ count: 10, [TABLE.ttlAttribute]: Math.floor(window.expiresAt.getTime() / 1000) });
  });

  const countOf = async (callerId: string, name: string, at: Date) => {
    const windowStart = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
    const { Item } = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: keys.rateWindow(callerId, name, windowStart), ConsistentRead: true }),
    );
    return (Item?.count as number | undefined) ?? 0;
  };

  it('a customer update counts once, against the updates limit only: 300 an hour, not the mail limit', async () => {
    now = new Date('2026-11-25T10:05:00.000Z');
    const names = rateLimitsOf(findRoute('POST /cases/{caseNumber}/updates'));
    // A customer's update mails nobody: the route counts updates, and nothing else.
    expect(names).toEqual(['updates']);
    const dave = caller({ id: 'u-rate-updates' });
    let passed = 0;
    for (let i = 0; i < 301; i++) {
      const ok = await countedRequest(deps, dave, names, async () => 'done').then(
        () => true,
        (e: unknown) => {
          expect(e).toMatchObject({ status: 429, type: '/problems/rate-limited' });
          return false;
        },
      );
      if (ok) passed++;
    }
    expect(passed).toBe(300);
    expect(await countOf(dave.id, 'updates', now)).toBe(300);
    expect(await countOf(dave.id, 'mail', now)).toBe(0);
  });

  it('refused requests (4xx) and replays use up nothing; a request that did its work keeps its count', async () => {
    now = new Date('2026-11-25T11:05:00.000Z');
    const mixed = caller({ id: 'u-rate-refused' });
    // 350 refusals (403) in the window: more than the limit, none of them counted.
    for (let i = 0; i < 350; i++) {
      await expect(
        countedRequest(deps, mixed, ['updates'], async () => {
          throw forbidden('read-only');
        }),
      ).rejects.toMatchObject({ status: 403 });
    }
    expect(await countOf(mixed.id, 'updates', now)).toBe(0);
    // An Idempotency-Key replay did nothing new: it is given back too.
    await countedRequest(
      deps,
      mixed,
      ['updates'],
      async () => ({ replayed: true }),
      (r) => r.replayed,
    );
    expect(await countOf(mixed.id, 'updates', now)).toBe(0);
    // A 5xx may have done part of its work: it stays counted, as does a success.
    await expect(
      countedRequest(deps, mixed, ['updates'], async () => {
        throw new Error('DynamoDB went away');
      }),
    ).rejects.toThrow('DynamoDB went away');
    await countedRequest(deps, mixed, ['updates'], async () => 'created');
    expect(await countOf(mixed.id, 'updates', now)).toBe(2);
  });

  it('a request refused by its second limit gives back what its first limit counted (counted once, or not at all)', async () => {
    now = new Date('2026-11-25T12:05:00.000Z');
    const eve = caller({ id: 'u-rate-second' });
    for (let i = 0; i < RATE_LIMITS.mail.limit; i++) await enforceRateLimits(deps, eve, ['mail']);
    await expect(enforceRateLimits(deps, eve, ['updates', 'mail'])).rejects.toMatchObject({ status: 429 });
    expect(await countOf(eve.id, 'updates', now)).toBe(0);
    expect(await countOf(eve.id, 'mail', now)).toBe(RATE_LIMITS.mail.limit);
  });
});
