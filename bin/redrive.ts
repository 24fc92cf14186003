/**
 * `npm run redrive`: moves every mail job in local mode's dead-letter queue back to the
 * mail queue, where send-mail tries it again (each job is sent once whatever happens: its ledger
 * key). The same as `aws sqs start-message-move-task --source-arn <dead-letter queue ARN>` in AWS.
 * `-- --list` only prints what is there. Reaches the fauxqs of a running `npm start` (AWS_PORT).
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { LOCAL_MAIL_DEAD, LOCAL_MAIL_QUEUE, localQueueUrl } from '../local/mail-queue';

const env = process.env;
const endpoint = `http://127.0.0.1:${env.AWS_PORT || 4566}`;
const listOnly = process.argv.includes('--list');

const main = async () => {
  const sqs = new SQSClient({
    endpoint,
    region: env.AWS_REGION || 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const dead = localQueueUrl(endpoint, LOCAL_MAIL_DEAD);
  const queue = localQueueUrl(endpoint, LOCAL_MAIL_QUEUE);
  let moved = 0;
  const seen: Message[] = [];
  try {
    for (;;) {
      const res = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dead, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }),
      );
      const messages = res.Messages ?? [];
      if (!messages.length) break;
      if (listOnly) {
        seen.push(...messages);
        continue;
      }
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue,
          Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
        }),
      );
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dead,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
      moved += messages.length;
    }
  } finally {
    sqs.destroy();
  }
  if (listOnly) {
    for (const m of seen) console.log(m.Body);
    console.log(`${seen.length} job(s) in ${LOCAL_MAIL_DEAD} (they reappear there after 30 s)`);
  } else console.log(`${moved} job(s) moved from ${LOCAL_MAIL_DEAD} back to ${LOCAL_MAIL_QUEUE}`);
};

main().catch((err: unknown) => {
  console.error(`The redrive failed (is \`npm start\` running?): ${String(err)}`);
  process.exit(1);
});
