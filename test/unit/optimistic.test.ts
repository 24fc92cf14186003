/**
 * CASE-6 (and every optimistic write): a write that loses its race is decided again from a fresh
 * read; one that keeps losing ends in the one "busy" answer of docs/api.md, 503 /problems/busy.
 */
import { gate, mapLimit } from '../../lambdas/domain/kernel/concurrency';
import { Problem } from '../../lambdas/domain/kernel/errors';
import { LOST_RACE, pauseBefore, retryOptimistic, WRITE_ATTEMPTS } from '../../lambdas/domain/kernel/optimistic';

describe('optimistic writes: one retry policy, one busy error', () => {
  it('CASE-6: a write that lost its race is decided again until it lands', async () => {
    const seen: number[] = [];
    const out = await retryOptimistic('case', async (n) => {
      seen.push(n);
      return n < 3 ? LOST_RACE : 'written';
    });
    expect(out).toBe('written');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('CASE-6: a record that keeps changing answers 503 /problems/busy after a bounded number of attempts', async () => {
    let attempts = 0;
    const err = await retryOptimistic('case', async () => {
      attempts++;
      return LOST_RACE;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect(err).toMatchObject({ status: 503, type: '/problems/busy', title: 'Case busy' });
    expect(attempts).toBe(WRITE_ATTEMPTS);
  }, 10_000);

  it('a refusal ends the attempts at once (it is not a lost race)', async () => {
    let attempts = 0;
    const refusal = new Problem(409, '/problems/case-closed', 'Case closed', 'closed');
    await expect(
      retryOptimistic('case', async () => {
        attempts++;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(attempts).toBe(1);
  });

  it('the first attempt does not wait; later ones wait a random share of a ceiling that grows and is capped', () => {
    expect(pauseBefore(0, () => 1)).toBe(0);
    expect(pauseBefore(1, () => 0)).toBe(0);
    const ceilings = [1, 2, 3, 4, 5, 6, 10, 24].map((n) => pauseBefore(n, () => 1));
    for (let i = 1; i < ceilings.length; i++) expect(ceilings[i]).toBeGreaterThanOrEqual(ceilings[i - 1]);
    expect(ceilings[0]).toBeGreaterThan(0);
    expect(Math.max(...ceilings)).toBe(ceilings[ceilings.length - 1]);
    expect(pauseBefore(24, () => 1)).toBe(pauseBefore(40, () => 1));
  });
});

describe('bounded concurrency', () => {
  it('never runs more than the limit at once, and keeps the results in input order', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (ms) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });

  it('a gate hands a finished place to the next waiting call, so the bound holds for late callers too', async () => {
    const run = gate(1);
    const order: string[] = [];
    const task = (name: string) =>
      run(async () => {
        order.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 2));
        order.push(`end ${name}`);
      });
    const first = [task('a'), task('b')];
    await first[0];
    await Promise.all([...first, task('c')]);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
