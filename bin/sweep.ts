/**
 * `npm run sweep`: runs the scheduled sweep (FLAG-1) once, against the local mode that
 * `npm start` is running (DYNAMODB_PORT, SES_PORT), through the same Lambda handler as AWS.
 */
const env = process.env;
env.AWS_REGION ??= 'eu-west-1';
env.AWS_ACCESS_KEY_ID ??= 'local';
env.AWS_SECRET_ACCESS_KEY ??= 'local';
env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${env.DYNAMODB_PORT || 8000}`;
env.AWS_ENDPOINT_URL_SES ??= `http://127.0.0.1:${env.SES_PORT || 8005}`;
env.TABLE_NAME ??= 'casework-local';
env.MAIL_DOMAIN ??= 'casework.test';
env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const main = async () => {
  const { handler } = await import('../lambdas/schedule/run-sweep');
  const report = await handler();
  console.log(JSON.stringify(report, null, 2));
};

main().catch((err: unknown) => {
  console.error(`The sweep failed (is \`npm start\` running?): ${String(err)}`);
  process.exit(1);
});
