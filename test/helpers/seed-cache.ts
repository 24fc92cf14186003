/**
 * The demo data for the integration and e2e tiers, seeded through the domain functions once per
 * run and `now`, then copied.
 *
 * `seedDemo` (local/demo-data.ts) opens, updates, escalates and closes cases through the domain
 * functions a request calls: about 340 DynamoDB requests and 2 s of CPU per table, and a run seeds
 * about 40 tables. Here the first seed of a run (for a given `now`) goes through `seedDemo`, its
 * items are read back and kept in the run's folder (`globalSetup`, test/helpers/shared-dynamo.ts),
 * and every later table gets the same items in BatchWriteItem calls. A seed at the wall clock's
 * now is reused for at most MAX_AGE_MS (every seeded time is then that much older, which no rule
 * measured in hours notices) and made again after that.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TableRef } from '../../lambdas/data/client';
import type { seedDemo as SeedDemo } from '../../local/demo-data';
import { SEED_CACHE_ENV } from './shared-dynamo';

// Loaded when first needed: the demo data module reads the environment a local mode sets at start.
const seedThroughDomain: typeof SeedDemo = async (options) => (await import('../../local/demo-data')).seedDemo(options);

const MAX_AGE_MS = 10 * 60_000;

type Item = Record<string, AttributeValue>;
interface Copy {
  seededAt: number;
  items: Item[];
}

/**
 * A low-level client of its own on the table's endpoint: the items stay as DynamoDB wrote them
 * (sets, numbers, binaries, no unmarshalling), and a test's meter on its document client
 * (test/helpers/deps.ts) never sees the copy's Scan or writes.
 */
const rawClientFor = async (ref: TableRef): Promise<DynamoDBClient> => {
  const endpoint = await ref.doc.config.endpoint?.();
  if (!endpoint) throw new Error('Demo data copy: the table has no endpoint (DynamoDB Local only)');
  return new DynamoDBClient({
    endpoint: `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}${endpoint.path}`,
    region: await ref.doc.config.region(),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
};

const readAll = async (client: DynamoDBClient, table: string): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** seedDemo leaves a table that already has the demo data alone; so does the copy. */
const isEmpty = async (client: DynamoDBClient, table: string): Promise<boolean> =>
  !(await client.send(new ScanCommand({ TableName: table, Limit: 1 }))).Items?.length;

const writeAll = async (client: DynamoDBClient, table: string, items: Item[]): Promise<void> => {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const write = async (batch: Item[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`Demo data copy: ${requests.length} items still unprocessed`);
      const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  // A few in flight: DynamoDB Local serialises writes anyway.
  for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map(write));
};

// Binary attributes survive the JSON file as base64.
const replacer = (_key: string, value: unknown) =>
  value instanceof Uint8Array ? { $binary: Buffer.from(value).toString('base64') } : value;
const reviver = (_key: string, value: unknown) =>
  value && typeof value === 'object' && '$binary' in value
    ? new Uint8Array(Buffer.from(String((value as { $binary: string }).$binary), 'base64'))
    : value;

const readCopy = (file: string): Copy | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'), reviver) as Copy;
  } catch {
    return undefined;
  }
};

/** `seedDemo` with the same options and answer, for a new table of the run. */
export const seedDemo = async (options: { now?: Date; ref: TableRef }): Promise<{ seeded: boolean }> => {
  // Without the run's folder (a file run outside jest's setup), every seed goes through the domain.
  const dir = process.env[SEED_CACHE_ENV];
  if (!dir) return seedThroughDomain(options);
  const file = join(dir, options.now ? `at-${options.now.getTime()}.json` : 'now.json');
  const copy = readCopy(file);
  const client = await rawClientFor(options.ref);
  try {
    const { table } = options.ref;
    if (copy && (options.now || Date.now() - copy.seededAt < MAX_AGE_MS) && (await isEmpty(client, table))) {
      await writeAll(client, table, copy.items);
      return { seeded: true };
    }
    const seededAt = (options.now ?? new Date()).getTime();
    const result = await seedThroughDomain({ ...options, now: new Date(seededAt) });
    if (!result.seeded) return result;
    mkdirSync(dir, { recursive: true });
    // Written whole, then renamed: the other worker may be reading it.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify({ seededAt, items: await readAll(client, table) } satisfies Copy, replacer));
    renameSync(partial, file);
    return result;
  } finally {
    client.destroy();
  }
};
