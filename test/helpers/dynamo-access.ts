/**
 * DynamoDB requests as IAM authorizes them, from what a tap in front of DynamoDB Local
 * (local/dynamo-tap.ts) saw on the wire, and the set of grants a function holds (its write
 * patterns and its FUNCTION_READS entry, lambdas/data/writes.ts), in the same words, so a test can
 * say which requests fall outside a function's grants.
 */
import { KEY_PREFIX } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import { grantsOf, READ_ACTIONS, type ReadGrant, type WritePattern } from '../../lambdas/data/writes';

/** One DynamoDB request as IAM authorizes it: the action, and the item's leading key prefix. */
export interface Access {
  action: string;
  prefix?: string;
  index?: string;
}

const S = (v: unknown): string => (v && typeof v === 'object' && 'S' in v ? String((v as { S: unknown }).S) : String(v));
const prefixOf = (key: Record<string, unknown> | undefined): string => {
  const pk = S(key?.[TABLE.partitionKey]);
  return Object.values(KEY_PREFIX).find((p) => pk.startsWith(p)) ?? `unknown prefix: ${pk}`;
};

type Item = Record<string, unknown>;
interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}
interface TransactItem {
  Put?: { Item: Item };
  Update?: { Key: Item };
  Delete?: { Key: Item };
  ConditionCheck?: { Key: Item };
}
export interface CommandInput {
  Item?: Item;
  Key?: Item;
  IndexName?: string;
  RequestItems?: Record<string, WriteRequest[] & { Keys?: Item[] }>;
  TransactItems?: (TransactItem & { Get?: { Key: Item } })[];
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

/** The partition a Query reads: the value its key condition gives the table's partition key. */
const queriedPrefix = (input: CommandInput): string => {
  for (const m of (input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const name = m[1]!.startsWith('#') ? input.ExpressionAttributeNames?.[m[1]!] : m[1];
    if (name === TABLE.partitionKey) return prefixOf({ [TABLE.partitionKey]: input.ExpressionAttributeValues?.[m[2]!] });
  }
  return `unknown prefix: ${input.KeyConditionExpression}`;
};

/** Requests as the DynamoDB API receives them (after the document client marshalled them). */
export const accessesOf = (command: string, input: CommandInput): Access[] => {
  switch (command) {
    case 'PutItemCommand':
      return [{ action: 'PutItem', prefix: prefixOf(input.Item) }];
    case 'UpdateItemCommand':
      return [{ action: 'UpdateItem', prefix: prefixOf(input.Key) }];
    case 'DeleteItemCommand':
      return [{ action: 'DeleteItem', prefix: prefixOf(input.Key) }];
    case 'BatchWriteItemCommand':
      return Object.values(input.RequestItems ?? {})
        .flat()
        .map((r) => ({ action: 'BatchWriteItem', prefix: prefixOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key) }));
    // Each item of a transaction is authorized as its own action (DynamoDB developer guide,
    // "Using IAM with DynamoDB transactions").
    case 'TransactWriteItemsCommand':
      return (input.TransactItems ?? []).map((t) =>
        t.Put
          ? { action: 'PutItem', prefix: prefixOf(t.Put.Item) }
          : t.Update
            ? { action: 'UpdateItem', prefix: prefixOf(t.Update.Key) }
            : t.Delete
              ? { action: 'DeleteItem', prefix: prefixOf(t.Delete.Key) }
              : { action: 'ConditionCheckItem', prefix: prefixOf(t.ConditionCheck?.Key) },
      );
    case 'GetItemCommand':
      return [{ action: 'GetItem', prefix: prefixOf(input.Key) }];
    case 'BatchGetItemCommand':
      return Object.values(input.RequestItems ?? {})
        .flatMap((r) => r.Keys ?? [])
        .map((k) => ({ action: 'BatchGetItem', prefix: prefixOf(k) }));
    case 'TransactGetItemsCommand':
      return (input.TransactItems ?? []).map((t) => ({ action: 'GetItem', prefix: prefixOf(t.Get?.Key) }));
    // A Query of the table reads one partition; a Query of an index is granted per index.
    case 'QueryCommand':
      return input.IndexName
        ? [{ action: 'Query', index: input.IndexName }]
        : [{ action: 'Query', prefix: queriedPrefix(input) }];
    default:
      return [{ action: command.replace(/Command$/, '') }];
  }
};

/**
 * What a function may send: its write patterns' actions on their prefixes, GetItem, BatchGetItem
 * and Query on the item prefixes it reads, Query on the indexes it names.
 */
export const grantedBy = (writes: readonly WritePattern[], reads: readonly ReadGrant[]): Set<string> => {
  const grants = grantsOf(writes) as Record<string, readonly string[]>;
  return new Set([
    ...reads.flatMap((r) => READ_ACTIONS.flatMap((a) => r.items.map((p) => `${a} ${p}`))),
    ...reads.flatMap((r) => r.indexes.map((i) => `Query index ${TABLE.indexes[i].name}`)),
    ...Object.entries(grants).flatMap(([action, prefixes]) => prefixes.map((p) => `${action} ${p}`)),
  ]);
};
export const asGrant = (a: Access): string =>
  a.index ? `${a.action} index ${a.index}` : a.prefix ? `${a.action} ${a.prefix}` : a.action;
