import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { CaseworkTable } from '../constructs/casework-table';

/**
 * Stateful resources only, so the app stack can be replaced or torn down freely. Buckets that
 * hold customer data (raw inbound mail, attachments) belong here too when they arrive.
 */
export class DataStack extends Stack {
  public readonly table: dynamodb.TableV2;

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.table = new CaseworkTable(this, 'Cases').table;
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'For npm run bootstrap-admin' });
  }
}
