/**
 * `npm run sweep`: runs the scheduled sweep (FLAG-1) once, against the local mode that
 * `npm start` is running (DYNAMODB_PORT, SES_PORT), through the same Lambda handler as AWS, in its
 * own worker with exactly the sweep function's environment (local/functions.ts).
 */
import { randomUUID } from 'node:crypto';
import { SWEEP_FUNCTION } from '../lib/function-specs';
import { localBindings, localRuntime, startFunctionHost } from '../local/functions';
import { LOCAL_MAIL_QUEUE, localQueueUrl } from '../local/mail-queue';

const env = process.env;
env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const main = async () => {
  // FLAG-2's mail goes to the running local mode's mail queue on fauxqs (AWS_PORT).
  const fauxqs = `http://127.0.0.1:${env.AWS_PORT || 4566}`;
  const host = startFunctionHost({
    runtime: localRuntime(`http://127.0.0.1:${env.DYNAMODB_PORT || 8000}`, `http://127.0.0.1:${env.SES_PORT || 8005}`, fauxqs),
    bindings: localBindings({ mailQueueUrl: localQueueUrl(fauxqs, LOCAL_MAIL_QUEUE) }),
  });
  try {
    const report = await host.handler(SWEEP_FUNCTION.name)(
      {},
      { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 300_000 },
    );
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await host.stop();
  }
};

main().catch((err: unknown) => {
  console.error(`The sweep failed (is \`npm start\` running?): ${String(err)}`);
  process.exit(1);
});
