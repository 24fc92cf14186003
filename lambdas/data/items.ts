import { TABLE } from './table';
import { ALL_INDEX_ATTRIBUTES } from './keys';

const STORAGE_ATTRIBUTES = new Set([TABLE.partitionKey, TABLE.sortKey, TABLE.ttlAttribute, 'entity', ...ALL_INDEX_ATTRIBUTES]);

/** Strips keys and bookkeeping so only the domain object leaves the data module. */
export const fromItem = <T>(item: Record<string, unknown>): T => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!STORAGE_ATTRIBUTES.has(k)) out[k] = v;
  return out as T;
};

export const ttlIn = (now: Date, seconds: number): number => Math.floor(now.getTime() / 1000) + seconds;
