/**
 * A gate that lets at most `limit` calls of the function it returns run at once; the others wait
 * their turn, in the order they came. A finished call hands its place straight to the next.
 */
export const gate = (limit: number) => {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
};

/** Runs `fn` over `items` with at most `limit` in flight; the results in input order. */
export const mapLimit = <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const run = gate(Math.max(1, limit));
  return Promise.all(items.map((item) => run(() => fn(item))));
};
