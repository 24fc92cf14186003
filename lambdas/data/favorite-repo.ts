/**
 * LIST-5 favorites: one exported function per access pattern.
 *
 * | pattern                      | key                                                   |
 * | ---------------------------- | ----------------------------------------------------- |
 * | a user's favorites, in order | Query PK=USER#<userId>, SK begins_with FAV#           |
 * | one favorite                 | GetItem USER#<userId> / FAV#<kind>#<id>               |
 * | how many a user has          | GetItem USER#<userId> / FAVORITE-COUNT (favoriteCount) |
 *
 * The limit holds under any concurrency because every add is one transaction that creates the
 * favorite (it must not exist) and raises the count only while it is below the limit; a remove
 * deletes it and lowers the count in one transaction too. The count has an item of its own in the
 * user's partition rather than an attribute of the profile, so that rewriting a profile (the
 * operator's putUser) can never reset it.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Favorite, FavoriteKind, FavoriteRepo } from '../domain/access/ports';
import type { Page, PageRequest } from '../domain/kernel/ports';
import type { TableRef } from './client';
import { appendPut, cancellation, fromItem } from './items';
import { keys } from './keys';
import { inPartition, queryPage } from './paging';
import { addCaseSourceUpdate, getCaseSubscription } from './subscription-repo';
import { TABLE } from './table';

const failed = (err: unknown, index: number): boolean => cancellation(err)?.failed(index) ?? false;

const conflicted = (err: unknown): boolean => cancellation(err)?.conflicted ?? false;

export const favoriteItem = (f: Favorite) => ({ ...keys.favorite(f.userId, f.kind, f.id), entity: 'favorite', ...f });

/** TransactionConflict (AWS only) is `raced`: the domain's retry policy (kernel/optimistic.ts) decides again. */
export const addFavorite = async (ref: TableRef, f: Favorite, limit: number): Promise<'added' | 'exists' | 'limit' | 'raced'> => {
  const countKey = keys.favoriteCount(f.userId);
  const transactItems = [
    appendPut(ref.table, favoriteItem(f)),
    {
      Update: {
        TableName: ref.table,
        Key: countKey,
        UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one, #entity = :entity',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'favoriteCount', '#entity': 'entity' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':limit': limit, ':entity': 'favorite-count' },
      },
    },
    // LIST-5: favoriting a case subscribes the user to it, in the same transaction.
    ...(f.kind === 'case' && f.subscribed
      ? [{ Update: addCaseSourceUpdate(ref, { caseNumber: f.id, userId: f.userId, orgId: f.orgId }, 'favorite', f.createdAt) }]
      : []),
  ];
  try {
    await ref.doc.send(new TransactWriteCommand({ TransactItems: transactItems }));
    return 'added';
  } catch (err) {
    // An existing favorite answers as such even at the limit: re-adding is idempotent.
    if (failed(err, 0)) return 'exists';
    if (failed(err, 1)) return 'limit';
    if (conflicted(err)) return 'raced';
    throw err;
  }
};

export const getFavorite = async (
  ref: TableRef,
  userId: string,
  kind: FavoriteKind,
  id: string,
  consistent = false,
): Promise<Favorite | undefined> => {
  const out = await ref.doc.send(
    new GetCommand({ TableName: ref.table, Key: keys.favorite(userId, kind, id), ConsistentRead: consistent }),
  );
  return out.Item ? fromItem<Favorite>(out.Item) : undefined;
};

/**
 * Deletes the favorite and lowers the count; if the favorite made a case subscription that still
 * carries its source, that source goes in the same transaction (and the subscription with it when
 * no other source is left). The subscription is read first; should it change before the write,
 * its condition fails and the whole thing is decided again.
 */
export const removeFavorite = async (
  ref: TableRef,
  userId: string,
  kind: FavoriteKind,
  id: string,
): Promise<boolean | 'raced'> => {
  const f = await getFavorite(ref, userId, kind, id, true);
  if (!f) return false;
  const sub = f.kind === 'case' && f.subscribed ? await getCaseSubscription(ref, f.id, userId, true) : undefined;
  const subKey = keys.caseSubscription(f.id, userId);
  const subscriptionItem = !sub?.sources.includes('favorite')
    ? []
    : sub.sources.length === 1
      ? [
          {
            Delete: {
              TableName: ref.table,
              Key: subKey,
              ConditionExpression: 'size(#sources) = :one AND contains(#sources, :favorite)',
              ExpressionAttributeNames: { '#sources': 'sources' },
              ExpressionAttributeValues: { ':one': 1, ':favorite': 'favorite' },
            },
          },
        ]
      : [
          {
            Update: {
              TableName: ref.table,
              Key: subKey,
              UpdateExpression: 'DELETE #sources :favoriteSet',
              ConditionExpression: 'contains(#sources, :favorite)',
              ExpressionAttributeNames: { '#sources': 'sources' },
              ExpressionAttributeValues: { ':favorite': 'favorite', ':favoriteSet': new Set(['favorite']) },
            },
          },
        ];
  try {
    await ref.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: ref.table,
              Key: keys.favorite(userId, kind, id),
              ConditionExpression: 'attribute_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
            },
          },
          {
            Update: {
              TableName: ref.table,
              Key: keys.favoriteCount(userId),
              UpdateExpression: 'SET #count = #count - :one',
              ConditionExpression: '#count > :zero',
              ExpressionAttributeNames: { '#count': 'favoriteCount' },
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          },
          ...subscriptionItem,
        ],
      }),
    );
    return true;
  } catch (err) {
    // Another request removed it first, or the subscription changed under us: decide again.
    if (conflicted(err) || failed(err, 0) || failed(err, 2)) return 'raced';
    throw err;
  }
};

/** In the order of their keys: kind, then id (cases by number, accounts by Org ID). */
export const listFavorites = async (ref: TableRef, userId: string, page: PageRequest): Promise<Page<Favorite>> => {
  const res = await queryPage(ref, inPartition(keys.userPartition(userId), keys.favoritePrefix), page);
  return { items: res.items.map((i) => fromItem<Favorite>(i)), next: res.next };
};

export const countFavorites = async (ref: TableRef, userId: string): Promise<number> => {
  const out = await ref.doc.send(new GetCommand({ TableName: ref.table, Key: keys.favoriteCount(userId), ConsistentRead: true }));
  return Number(out.Item?.favoriteCount ?? 0);
};

export const favoriteRepo = (ref: TableRef): FavoriteRepo => ({
  addFavorite: (f, limit) => addFavorite(ref, f, limit),
  getFavorite: (userId, kind, id) => getFavorite(ref, userId, kind, id),
  removeFavorite: (userId, kind, id) => removeFavorite(ref, userId, kind, id),
  listFavorites: (userId, page) => listFavorites(ref, userId, page),
  countFavorites: (userId) => countFavorites(ref, userId),
});
