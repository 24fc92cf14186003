/**
 * `npm start`: local mode on the documented ports (API.md, "Local mode"), until Ctrl-C.
 *   --persist DIR (or CASEWORK_DATA_DIR)  keep DynamoDB data across runs
 */
import { resolve } from 'node:path';
import { startLocal } from '../local';
import type { LocalMode } from '../local';
import { LOCAL_INBOUND } from '../local/functions';

const usage = 'Usage: npm start [-- --persist DIR]';

const parseArgs = (argv: string[]): { persistDir?: string } => {
  let persistDir = process.env.CASEWORK_DATA_DIR || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--persist') {
      persistDir = argv[++i];
      if (!persistDir) throw new Error(`--persist needs a directory\n${usage}`);
    } else if (arg.startsWith('--persist=')) {
      persistDir = arg.slice('--persist='.length);
    } else if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    } else {
      throw new Error(`Unknown argument ${arg}\n${usage}`);
    }
  }
  return { persistDir: persistDir ? resolve(persistDir) : undefined };
};

const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name}=${raw} is not a port`);
  return value;
};

const time = () => new Date().toISOString().slice(11, 23);

const main = async () => {
  const started = Date.now();
  const { persistDir } = parseArgs(process.argv.slice(2));
  // Handlers go in before startup, since a signal then would otherwise kill Node without the
  // exit hook that takes DynamoDB Local down with it.
  const state: { local?: LocalMode; stopping: boolean } = { stopping: false };
  const shutdown = (signal: string) => {
    // During startup, or a second Ctrl-C while stopping: exit now (the exit hook still runs).
    if (!state.local || state.stopping) process.exit(130);
    state.stopping = true;
    console.log(`\n${signal}: stopping local mode…`);
    state.local.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const local = (state.local = await startLocal({
    apiPort: port('PORT', 3000),
    sesPort: port('SES_PORT', 8005),
    dynamoPort: port('DYNAMODB_PORT', 8000),
    smtpPort: port('SMTP_PORT', 2525),
    awsPort: port('AWS_PORT', 4566),
    pushPort: port('PUSH_PORT', 3002),
    chatPort: port('CHAT_PORT', 3001),
    persistDir,
    log: (message) => console.log(`${time()} ${message}`),
  }));

  const { DEMO_USERS } = await import('../local/demo-data');
  const { urls } = local;
  const rows: [string, string][] = [
    ['HTTP API', urls.api],
    [
      'Inbound SMTP',
      `${urls.smtp}   (mail to case+<token>@${process.env.MAIL_DOMAIN || 'casework.test'}; verdicts are PASS locally)`,
    ],
    ['Raw inbound mail (S3)', `${urls.s3}/${LOCAL_INBOUND.bucket}/${LOCAL_INBOUND.prefix}   (fauxqs)`],
    ['Outbound mail store', `${urls.sesStore}   (GET lists sent mail; ${urls.ses} is the SES endpoint)`],
    [
      'DynamoDB Local',
      `${urls.dynamo}   (table ${local.tableName}, ${persistDir ? `persisted in ${persistDir}` : 'kept until it stops'})`,
    ],
    ['JWKS (local issuer)', urls.jwks],
    ['S3/SNS/SQS (fauxqs)', `${urls.sns}   (integration topic casework-notifications)`],
    [
      'Integration queue',
      `${urls.integrationQueue}   (aws sqs receive-message --endpoint-url ${urls.sns} --queue-url ... --message-attribute-names All)`,
    ],
    ['Notifier failures', urls.notifierFailures],
    ['Mobile push log', `${urls.push}   (GET lists pushes to registered devices; SNS platform endpoints stand-in)`],
    [
      'Chat WebSocket',
      `${urls.chat}?ticket=<POST /chat/tickets>   (npm run chat -- <email>; management API ${urls.chatManagement}/@connections/{id})`,
    ],
    ['Chat timers (SQS)', `${urls.chatTimerQueue}   (CHAT-2: 60 s, delayed by fauxqs)`],
    ['Needs-action sweep', 'every minute (EventBridge stand-in; `npm run sweep` runs it once)'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const emailWidth = Math.max(...DEMO_USERS.map((u) => u.email.length));
  console.log(
    [
      '',
      `Casework local mode is up (${Date.now() - started} ms).`,
      '',
      ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
      '',
      'Demo users (npm run --silent token -- <email> [--client mobile]):',
      ...DEMO_USERS.map((u) => `  ${u.email.padEnd(emailWidth)}  ${u.name}, ${u.role}`),
      `  ${'--machine monitoring'.padEnd(emailWidth)}  machine client with scope casework/ingest`,
      '',
      'Try:',
      `  curl -s -H "Authorization: Bearer $(npm run --silent token -- dana@acme.example)" ${urls.api}/me`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
};

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
