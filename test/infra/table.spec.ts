import { Match } from 'aws-cdk-lib/assertions';
import { TABLE, indexList } from '../../lambdas/data/table';
import { built, resourcesOf } from './synth';

const keySchema = (pk: string, sk: string) => [
  { AttributeName: pk, KeyType: 'HASH' },
  { AttributeName: sk, KeyType: 'RANGE' },
];

describe.each(['dev', 'prod'] as const)('the single table (%s)', (stage) => {
  const table = () => {
    const tables = resourcesOf(built(stage).dataTemplate, 'AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(1);
    return Object.values(tables)[0]!;
  };

  it('has the key schema of lambdas/data/table.ts', () => {
    expect(table().Properties.KeySchema).toEqual(keySchema(TABLE.partitionKey, TABLE.sortKey));
  });

  it('has exactly the GSIs of lambdas/data/table.ts, projecting ALL', () => {
    const expected = indexList().map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    }));
    expect(table().Properties.GlobalSecondaryIndexes).toEqual(expected);
  });

  it('declares every key attribute as a string, and nothing else', () => {
    const names = [TABLE.partitionKey, TABLE.sortKey, ...indexList().flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(table().Properties.AttributeDefinitions).toEqual(
      names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    );
  });

  it('is on-demand, streams both images, expires items by the TTL attribute, AWS-managed encryption', () => {
    built(stage).dataTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    // AWS-managed, not a customer key: no key to lose or pay for.
    expect(JSON.stringify(table().Properties)).not.toContain('KMSMasterKeyId');
  });

  it('has point-in-time recovery and deletion protection (cdk-nag DDB3 does not see a GlobalTable)', () => {
    built(stage).dataTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('is retained on stack deletion and on replacement', () => {
    expect(table()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
