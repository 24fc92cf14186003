/**
 * The caller snapshot's reader (lambdas/data/directory-repo.ts getCallerSource), with the SDK
 * mocked: a warm snapshot is one GetItem; a rebuild is stored only under the generation it read,
 * so a write that invalidated the caller meanwhile (ACC-4, ACC-5, ACC-9: access changes take
 * effect on the next request) is never overwritten by what was read before it.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { getCallerSource, SNAPSHOT_FORMAT, SNAPSHOT_MAX_AGE_MS } from '../../lambdas/data/directory-repo';
import { ACME_COMBINATION_ITEM, ACME_ORG_ITEM } from '../helpers/directory-items';

const ddb = mockClient(DynamoDBDocumentClient);
const ref = { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), table: 'casework-test' };

const profile = (level: 'designated' | 'read_only') => [
  {
    PK: 'USER#u-dana',
    SK: 'PROFILE',
    userId: 'u-dana',
    email: 'dana@acme.example',
    name: 'Dana',
    timeZone: 'UTC',
    termsVersion: '2026-10-01',
    settings: { defaultList: 'all', notifications: {} },
  },
  {
    PK: 'USER#u-dana',
    SK: 'MEMBER#ORG-ACME#ORG-ACME',
    userId: 'u-dana',
    orgId: 'ORG-ACME',
    soldToOrgId: 'ORG-ACME',
    level,
    via: 'direct',
  },
];

/** The sources as DynamoDB holds them now: dana at `level`. */
const sourcesAt = (level: 'designated' | 'read_only') => {
  ddb.on(QueryCommand).resolves({ Items: profile(level) });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const keys = Object.values(input.RequestItems)[0] as { Keys: { SK: string }[] };
    return { Responses: { 'casework-test': keys.Keys.map((k) => (k.SK === 'ORG' ? ACME_ORG_ITEM : ACME_COMBINATION_ITEM)) } };
  });
};

const levelOf = async () => (await getCallerSource(ref, 'u-dana'))?.memberships[0]?.level;

beforeEach(() => ddb.reset());

describe('caller snapshot: the generation race', () => {
  it('ACC-5: a rebuild a level change overtook is used for its own request only, and the next request reads the change', async () => {
    // The snapshot was invalidated (generation 4), so this request rebuilds from the sources...
    ddb.on(GetCommand).resolvesOnce({ Item: { PK: 'CALLER#u-dana', SK: 'CALLER', gen: 4 } });
    sourcesAt('designated');
    // ...and, before it stores what it read, a level change commits and bumps the generation to 5.
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'gen moved', $metadata: {} }));
    expect(await levelOf()).toBe('designated');
    const put = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(put.Item?.PK).toBe('CALLER#u-dana');
    expect(put.ConditionExpression).toContain('#gen = :gen');
    expect(put.ExpressionAttributeValues).toMatchObject({ ':gen': 4 });
    expect(put.Item?.gen).toBe(4);

    // The stale rebuild was not cached: the next request finds no snapshot and reads the change.
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { PK: 'CALLER#u-dana', SK: 'CALLER', gen: 5 } });
    sourcesAt('read_only');
    ddb.on(PutCommand).resolves({});
    expect(await levelOf()).toBe('read_only');
    expect(ddb.commandCalls(PutCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ':gen': 5 });
  });

  it('a user seen for the first time is stored only if no write created the item meanwhile', async () => {
    ddb.on(GetCommand).resolves({});
    sourcesAt('designated');
    ddb.on(PutCommand).resolves({});
    expect(await levelOf()).toBe('designated');
    const put = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(#pk)');
  });

  it('every source of a rebuild is read strongly consistently (a bumped generation is never paired with older sources)', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'CALLER#u-dana', SK: 'CALLER', gen: 1 } });
    sourcesAt('designated');
    ddb.on(PutCommand).resolves({});
    await levelOf();
    expect(ddb.commandCalls(GetCommand)[0].args[0].input.ConsistentRead).toBe(true);
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input.ConsistentRead).toBe(true);
    for (const c of ddb.commandCalls(BatchGetCommand)) {
      expect(Object.values(c.args[0].input.RequestItems!)[0].ConsistentRead).toBe(true);
    }
  });

  it('a warm snapshot is one GetItem and nothing else', async () => {
    sourcesAt('read_only'); // what a rebuild would find: the snapshot must be what is served
    ddb.on(GetCommand).resolves({
      Item: {
        PK: 'CALLER#u-dana',
        SK: 'CALLER',
        gen: 2,
        builtAt: Date.now(),
        snapshot: JSON.stringify({
          format: SNAPSHOT_FORMAT,
          user: { userId: 'u-dana', settings: {} },
          memberships: [{ userId: 'u-dana', orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' }],
          orgs: [],
          combinations: [],
        }),
      },
    });
    expect(await levelOf()).toBe('designated');
    expect(ddb.calls()).toHaveLength(1);
  });

  it('a snapshot older than the age limit, or marked pending by a bulk write, is not served; a pending one is not stored either', async () => {
    const stored = (extra: Record<string, unknown>) => ({
      Item: {
        PK: 'CALLER#u-dana',
        SK: 'CALLER',
        gen: 2,
        builtAt: Date.now(),
        snapshot: JSON.stringify({ format: SNAPSHOT_FORMAT, user: {}, memberships: [], orgs: [], combinations: [] }),
        ...extra,
      },
    });
    sourcesAt('read_only');
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves(stored({ builtAt: Date.now() - SNAPSHOT_MAX_AGE_MS - 1 }));
    expect(await levelOf()).toBe('read_only');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);

    ddb.resetHistory();
    ddb.on(GetCommand).resolves(stored({ pending: 1 }));
    expect(await levelOf()).toBe('read_only');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});
