/**
 * Issue 13, limits: per-user rate limits on case creation, updates and outgoing mail, counted in
 * the table (fixed windows, one conditional UpdateItem each) on DynamoDB Local.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lambdas/data/keys';
import { takeRateToken } from '../../lambdas/data/rate-limit-repo';
import { TABLE } from '../../lambdas/data/table';
import { enforceRateLimits, RATE_LIMITS } from '../../lambdas/domain/rate-limits';
import type { Deps } from '../../lambdas/domain/ports';
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

describe('issue 13: per-user rate limits', () => {
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
    await expect(enforceRateLimits(deps, caller({ id: 'u-rate-dave' }), ['cases'])).resolves.toBeUndefined();
    // The next window starts afresh.
    now = new Date(windowEnd);
    await expect(enforceRateLimits(deps, dana, ['cases'])).resolves.toBeUndefined();
  });

  it('updates and mail are limits of their own: exhausting case creation leaves them alone', async () => {
    const rita = caller({ id: 'u-rate-rita' });
    for (let i = 0; i < RATE_LIMITS.cases.limit; i++) await enforceRateLimits(deps, rita, ['cases']);
    await expect(enforceRateLimits(deps, rita, ['cases'])).rejects.toMatchObject({ status: 429 });
    await expect(enforceRateLimits(deps, rita, ['updates', 'mail'])).resolves.toBeUndefined();
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
});
