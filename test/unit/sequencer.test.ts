/**
 * The test order on a fresh machine (test/helpers/sequencer.js): without jest's durations, the
 * run's longest files start first; with them, jest's own order (longest first by the last run).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require('../helpers/sequencer.js') as {
  new (options: unknown): {
    sort(tests: FakeTest[]): FakeTest[];
    cacheResults(
      tests: FakeTest[],
      results: { testResults: { testFilePath: string; perfStats: { runtime: number }; numFailingTests: number }[] },
    ): void;
  };
  LONGEST: string[];
};

interface FakeTest {
  path: string;
  duration?: number;
  context: {
    config: { rootDir: string; cacheDirectory: string; id: string; haste: object; cache: boolean };
    hasteFS: { getSize(path: string): number };
  };
}

const root = resolve(__dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );

let cacheDirectory: string;
beforeEach(() => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'casework-sequencer-'));
});
afterEach(() => rmSync(cacheDirectory, { recursive: true, force: true }));

const context = () => ({
  config: { rootDir: root, cacheDirectory, id: 'sequencer-test', haste: {}, cache: true },
  hasteFS: { getSize: (path: string) => statSync(path).size },
});
const testsOf = (c: FakeTest['context']): FakeTest[] => files('test').map((f) => ({ path: join(root, f), context: c }));
const sortAll = () => {
  const c = context();
  return new Sequencer({ contexts: [c], globalConfig: {} }).sort(testsOf(c)).map((t) => t.path.slice(root.length + 1));
};

describe('the test order', () => {
  it('names only test files that exist', () => {
    for (const file of Sequencer.LONGEST) expect(existsSync(join(root, file))).toBe(true);
  });

  it('without durations (a fresh machine), the longest files start first, in their order', () => {
    const order = sortAll();
    expect(order.slice(0, Sequencer.LONGEST.length)).toEqual(Sequencer.LONGEST);
    expect(new Set(order).size).toBe(files('test').length);
  });

  it("with durations from an earlier run, jest's order: the longest by those durations first", () => {
    // An earlier run where each file took as many seconds as its place in the list.
    const c = context();
    const earlier = testsOf(c);
    new Sequencer({ contexts: [c], globalConfig: {} }).cacheResults(earlier, {
      testResults: earlier.map((t, i) => ({ testFilePath: t.path, perfStats: { runtime: (i + 1) * 1000 }, numFailingTests: 0 })),
    });
    const order = sortAll();
    expect(order).toEqual([...files('test')].reverse());
  });
});
