/**
 * The "no Scan" assertions elsewhere are only as good as the meter: this proves it sees a Scan
 * when one is issued, by issuing one deliberately against DynamoDB Local.
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { instrument } from '../helpers/deps';
import { startTestDynamo, type TestDynamo } from '../helpers/local-mode';

let db: TestDynamo;
beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => db?.stop());

describe('the DynamoDB meter of the integration tier', () => {
  it('counts and records a Scan issued through an instrumented client, and nothing before one is issued', async () => {
    const meter = instrument(db.doc);
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { PK: 'METER#1', SK: 'METER#1' } }));
    expect(meter.calls.PutItemCommand).toBe(1);
    expect(meter.calls.ScanCommand).toBeUndefined();
    expect(meter.scans).toEqual([]);

    const out = await db.doc.send(new ScanCommand({ TableName: db.tableName }));
    expect(out.Items).toHaveLength(1);
    expect(meter.calls.ScanCommand).toBe(1);
    expect(meter.scans).toEqual([{ command: 'ScanCommand', table: db.tableName }]);

    meter.reset();
    expect(meter.calls.ScanCommand).toBeUndefined();
    expect(meter.scans).toEqual([]);
  });
});
