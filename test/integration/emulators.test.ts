/**
 * The emulators local mode stands on: DynamoDB Local with the table built from TABLE,
 * aws-ses-v2-local taking mail through the same SDK calls as SES, and fauxqs's reset, which a
 * jest worker's kept fauxqs goes through between test files.
 */
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE, indexList } from '../../lambdas/data/table';
import { createTable, startDynamo, startSesLocal } from '../../local/emulators';
import { startFauxqs } from '../../local/fauxqs';
import { startTestDynamo } from '../helpers/local-mode';
import type { TestDynamo } from '../helpers/local-mode';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('DynamoDB Local with the Casework table', () => {
  let db: TestDynamo;
  beforeAll(async () => {
    db = await startTestDynamo();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('creates the table exactly as TABLE describes it', async () => {
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: db.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });

    const gsis = (Table?.GlobalSecondaryIndexes ?? [])
      .map((g) => ({ name: g.IndexName, keys: g.KeySchema, projection: g.Projection?.ProjectionType }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    const expected = indexList()
      .map((i) => ({
        name: i.name,
        keys: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(gsis).toEqual(expected);

    const ttl = await db.client.send(new DescribeTimeToLiveCommand({ TableName: db.tableName }));
    expect(ttl.TimeToLiveDescription).toEqual({ AttributeName: TABLE.ttlAttribute, TimeToLiveStatus: 'ENABLED' });
  });

  it('is idempotent: a second createTable keeps the table and its data', async () => {
    const Key = { PK: { S: 'ITEM#1' }, SK: { S: 'ITEM#1' } };
    // A transaction, because DynamoDB Local supporting them is what local mode relies on.
    await db.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: db.tableName, Item: Key } }] }));
    await expect(createTable(db.client, db.tableName)).resolves.toEqual({ created: false });
    const { Item } = await db.client.send(new GetItemCommand({ TableName: db.tableName, Key }));
    expect(Item).toEqual(Key);
  });
});

describe('DynamoDB Local in persist mode', () => {
  it('keeps the table across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casework-ddb-'));
    try {
      const first = await startDynamo({ port: 0, persistDir: dir });
      const c1 = new DynamoDBClient({ endpoint: first.endpoint, region: 'eu-west-1', credentials });
      await expect(createTable(c1, 'persisted')).resolves.toEqual({ created: true });
      c1.destroy();
      await first.stop();

      const second = await startDynamo({ port: 0, persistDir: dir });
      // Another access key on purpose: sharedDb makes the data visible whatever the credentials.
      const c2 = new DynamoDBClient({
        endpoint: second.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'other', secretAccessKey: 'x' },
      });
      const { TableNames } = await c2.send(new ListTablesCommand({}));
      expect(TableNames).toContain('persisted');
      await expect(createTable(c2, 'persisted')).resolves.toEqual({ created: false });
      c2.destroy();
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('aws-ses-v2-local', () => {
  it('stores mail sent through the SES v1 API and lists it at GET /store', async () => {
    const ses = await startSesLocal({ port: 0 });
    try {
      const client = new SESClient({ endpoint: ses.endpoint, region: 'eu-west-1', credentials });
      await client.send(
        new SendEmailCommand({
          Source: 'support@casework.test',
          Destination: { ToAddresses: ['dana@acme.example'] },
          Message: { Subject: { Data: '[Case 00001234] Hello' }, Body: { Text: { Data: 'Body' } } },
        }),
      );
      client.destroy();
      const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
        emails: { subject: string; destination: { to: string[] } }[];
      };
      expect(store.emails).toHaveLength(1);
      expect(store.emails[0].subject).toBe('[Case 00001234] Hello');
    } finally {
      await ses.stop();
    }
  });
});

describe('fauxqs, reset for the next user of a kept one', () => {
  it('empties every queue and bucket, keeps the queues, topics, subscriptions and buckets, and still reports later uploads', async () => {
    const created: string[] = [];
    const faux = await startFauxqs({
      port: 0,
      buckets: ['casework-reset-test'],
      topics: ['casework-reset-topic'],
      queues: ['casework-reset-queue'],
      subscriptions: [{ topic: 'casework-reset-topic', queue: 'casework-reset-queue', rawMessageDelivery: true }],
      notify: [{ bucket: 'casework-reset-test', prefix: 'uploads/' }],
      onObjectCreated: (_bucket, key) => created.push(key),
    });
    const aws = { endpoint: faux.endpoint, region: 'eu-west-1', credentials };
    const s3 = new S3Client({ ...aws, forcePathStyle: true });
    const sqs = new SQSClient(aws);
    const sns = new SNSClient(aws);
    const queueUrl = faux.queueUrls['casework-reset-queue']!;
    const upload = (key: string) =>
      s3.send(new PutObjectCommand({ Bucket: 'casework-reset-test', Key: key, Body: 'x', ContentType: 'text/plain' }));
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      await sns.send(new PublishCommand({ TopicArn: faux.topicArns['casework-reset-topic'], Message: 'before' }));
      await upload('uploads/before.txt');
      await until(() => created.length === 1);
      expect(created).toEqual(['uploads/before.txt']);

      await faux.reset();

      const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
      expect(left.Messages ?? []).toEqual([]);
      const objects = await s3.send(new ListObjectsV2Command({ Bucket: 'casework-reset-test' }));
      expect(objects.Contents ?? []).toEqual([]);
      // The topic's subscription and the bucket's notification still work.
      await sns.send(new PublishCommand({ TopicArn: faux.topicArns['casework-reset-topic'], Message: 'after' }));
      const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
      expect((after.Messages ?? []).map((m) => m.Body)).toEqual(['after']);
      await upload('uploads/after.txt');
      await until(() => created.length === 2);
      expect(created).toEqual(['uploads/before.txt', 'uploads/after.txt']);
    } finally {
      s3.destroy();
      sqs.destroy();
      sns.destroy();
      await faux.stop();
    }
  });
});
