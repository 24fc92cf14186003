/**
 * `npm run backfill:device-lists -- --table <TableName>`: gives every user who registered a push
 * device before device lists existed their list (NOTE-1, docs/notifications.md "Devices"), then
 * marks the table's lists complete, so delivery stops reading anyone's devices from the person
 * index. Safe to run while the API serves: a user whose list a registration created meanwhile is
 * skipped, and each device seeded is checked to be still theirs in the list's transaction. Safe to
 * run again. Runs with the deployer's AWS credentials (dynamodb:Scan, Query, GetItem,
 * BatchGetItem, PutItem, ConditionCheckItem on the table); a one-off operator task, so the one
 * Scan of the code base lives here, never on a request or schedule path.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../lambdas/data/client';
import { markDeviceListsComplete, seedDeviceList } from '../lambdas/data/notification-repo';

const USAGE = 'Usage: npm run backfill:device-lists -- --table <TableName>';

/** The owners of every device item, read page by page. */
const deviceOwners = async (ref: TableRef): Promise<Set<string>> => {
  const owners = new Set<string>();
  let after: Record<string, unknown> | undefined;
  do {
    const page = await ref.doc.send(
      new ScanCommand({
        TableName: ref.table,
        FilterExpression: '#entity = :device',
        ProjectionExpression: '#userId',
        ExpressionAttributeNames: { '#entity': 'entity', '#userId': 'userId' },
        ExpressionAttributeValues: { ':device': 'device' },
        ExclusiveStartKey: after,
      }),
    );
    for (const item of page.Items ?? []) owners.add(String(item.userId));
    after = page.LastEvaluatedKey;
  } while (after);
  return owners;
};

export const backfillDeviceLists = async (ref: TableRef): Promise<{ users: number; seeded: number }> => {
  const owners = await deviceOwners(ref);
  let seeded = 0;
  for (const userId of owners) if (await seedDeviceList(ref, userId)) seeded++;
  await markDeviceListsComplete(ref);
  return { users: owners.size, seeded };
};

const main = async () => {
  const [flag, table] = process.argv.slice(2);
  if (flag !== '--table' || !table) throw new Error(USAGE);
  const client = new DynamoDBClient({});
  try {
    const ref = { doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), table };
    const { users, seeded } = await backfillDeviceLists(ref);
    console.log(`${users} user(s) with devices; ${seeded} list(s) seeded; the table's device lists are complete`);
  } finally {
    client.destroy();
  }
};

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
