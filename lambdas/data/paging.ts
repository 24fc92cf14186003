import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { TableRef } from './client';
import { TABLE } from './table';

type Key = Record<string, unknown>;

/**
 * The Query input for the items of one partition whose sort key starts with `prefix` (an item
 * collection: a case's updates, an organisation's subscriptions), optionally filtered.
 */
export const inPartition = (
  pk: string,
  prefix: string,
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
) => ({
  KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
  ...(filter ? { FilterExpression: filter.expression } : {}),
  ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey, ...filter?.names },
  ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ...filter?.values },
});

/** The Query input for one partition of a global index (a list), optionally filtered. */
export const inIndexPartition = (
  index: { name: string; partitionKey: string },
  pk: string,
  filter?: { expression?: string; names?: Record<string, string>; values?: Record<string, unknown> },
) => ({
  IndexName: index.name,
  KeyConditionExpression: '#ipk = :ipk',
  ...(filter?.expression ? { FilterExpression: filter.expression } : {}),
  ExpressionAttributeNames: { '#ipk': index.partitionKey, ...filter?.names },
  ExpressionAttributeValues: { ':ipk': pk, ...filter?.values },
});

/** One Query, one page. `after` is the previous LastEvaluatedKey. */
export const queryPage = async (
  ref: TableRef,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
): Promise<Page<Record<string, unknown>>> => {
  const out = await ref.doc.send(
    new QueryCommand({
      ...input,
      TableName: ref.table,
      Limit: page.limit,
      ExclusiveStartKey: page.after as Key | undefined,
    }),
  );
  return { items: out.Items ?? [], next: out.LastEvaluatedKey ?? null };
};

/** Every page of one Query, for small partitions read whole (organisations, members). */
export const queryAll = async (
  ref: TableRef,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> => {
  const out: Record<string, unknown>[] = [];
  let after: Key | undefined;
  do {
    const res = await ref.doc.send(new QueryCommand({ ...input, TableName: ref.table, ExclusiveStartKey: after }));
    out.push(...(res.Items ?? []));
    after = res.LastEvaluatedKey;
  } while (after);
  return out;
};

export interface PartitionQuery {
  /** Stable name of the partition inside the cursor (e.g. the Org ID). */
  id: string;
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
}

/**
 * A page over several partitions of one index (a partner's or a staff member's lists span
 * organisations, the alarm list spans active and closed): one Query per unfinished partition,
 * merged by the index sort key. The cursor keeps each partition's own position, so no item is
 * skipped or repeated between pages.
 *
 * With a filter a partition can stop (LastEvaluatedKey) before it returned `limit` items, and
 * what it has not read yet may sort before the other partitions' items. So only items up to the
 * lowest stopping point of the partitions that stopped are taken; the rest wait for the next
 * page, and nothing is listed out of order.
 */
export const mergedPage = async (
  ref: TableRef,
  partitions: PartitionQuery[],
  keyOf: (item: Record<string, unknown>) => Key,
  sortValue: (item: Record<string, unknown>) => string,
  page: PageRequest,
): Promise<Page<Record<string, unknown>>> => {
  const positions = (page.after ?? {}) as Record<string, Key | null>;
  const live = partitions.filter((p) => positions[p.id] !== null);
  const fetched = await Promise.all(
    live.map(async (p) => ({
      p,
      result: await queryPage(ref, p.input, { limit: page.limit, after: positions[p.id] ?? undefined }),
    })),
  );
  const stops = fetched.flatMap(({ result }) => (result.next ? [sortValue(result.next as Key)] : []));
  const horizon = stops.length ? stops.sort()[0] : undefined;
  const candidates = fetched
    .flatMap(({ p, result }) => result.items.map((item) => ({ id: p.id, item })))
    .filter(({ item }) => horizon === undefined || sortValue(item) <= horizon);
  candidates.sort((a, b) => (sortValue(a.item) < sortValue(b.item) ? -1 : sortValue(a.item) > sortValue(b.item) ? 1 : 0));
  const taken = candidates.slice(0, page.limit);

  const next: Record<string, Key | null> = { ...positions };
  for (const { p, result } of fetched) {
    const mine = taken.filter((t) => t.id === p.id);
    if (mine.length === result.items.length) next[p.id] = (result.next as Key | null) ?? null;
    else if (mine.length > 0) next[p.id] = keyOf(mine[mine.length - 1].item);
    // A partition none of whose items made this page keeps its old position.
  }
  const done = partitions.every((p) => next[p.id] === null);
  return { items: taken.map((t) => t.item), next: done ? null : next };
};
