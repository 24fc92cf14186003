import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE, indexList } from '../../lambdas/data/table';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The single table, built from lambdas/data/table.ts so that the keys the code writes and the
 * keys the table has cannot drift; local mode builds its table from the same object.
 * It holds every customer's cases, so it is retained and protected however the stack goes away.
 */
export class CaseworkTable extends Construct {
  public readonly table: dynamodb.TableV2;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: stringKey(TABLE.partitionKey),
      sortKey: stringKey(TABLE.sortKey),
      globalSecondaryIndexes: indexList().map((index) => ({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        // Lists render from the index alone; a KEYS_ONLY index would mean a read per row.
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      timeToLiveAttribute: TABLE.ttlAttribute,
      billing: dynamodb.Billing.onDemand(),
      // Notifications (NOTE-1) and the audit trail read changes with both images.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    });
  }
}
