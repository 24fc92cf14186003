/**
 * What each Lambda function is given, declared once: its bindings, and from them exactly the
 * environment it runs with. Pure (no CDK): the constructs apply a spec's bindings (each `bind*`
 * helper sets the variable and its IAM permission together), local mode runs every function in
 * its own worker with exactly this environment, and handler tests load a handler with it. So a
 * variable a function lacks in AWS is missing locally and in tests too.
 */
import {
  CHECK_ATTACHMENT_WRITES,
  CHAT_AUTHORIZER_WRITES,
  CHAT_WRITES,
  DELIVER_WRITES,
  NOTIFIER_WRITES,
  RECEIVE_MAIL_WRITES,
  SEND_MAIL_WRITES,
  SWEEP_WRITES,
  readsOf,
  type ReadGrant,
  type WritePattern,
} from '../lambdas/data/writes';
import { ENV } from '../lambdas/adapters/config';
import { ROUTES, writesOf, type RouteDef } from '../lambdas/http/routes';
import { repositoriesOf, repositoryModuleOf } from './repositories';

export interface FunctionBindings {
  /**
   * TABLE_NAME, with reads (never Scan) and exactly these write access patterns, each fenced by
   * dynamodb:LeadingKeys to its key prefixes (lambdas/data/writes.ts).
   */
  readonly table?: { readonly writes: readonly WritePattern[]; readonly reads: ReadGrant };
  /** The key that signs list cursors: CURSOR_SECRET_ARN in AWS, the key itself locally. */
  readonly cursorSecret?: boolean;
  /** MAIL_DOMAIN, with SES sending from that domain (MAIL-1). */
  readonly mailer?: boolean;
  /** MAIL_DOMAIN alone, for a function that renders mail for the mail queue but never sends (a name needs no grant). */
  readonly mailDomain?: boolean;
  /**
   * The mail queue: MAIL_QUEUE_URL, with sqs:SendMessage (`send`), or for its consumer
   * receive, delete and ChangeMessageVisibility and the backoff (`consume`:
   * MAIL_RETRY_BASE_SECONDS, MAIL_RETRY_CAP_SECONDS).
   */
  readonly mailQueue?: 'send' | 'consume';
  /**
   * The delivery queue (NOTE-1, NOTE-2): DELIVERY_QUEUE_URL, with sqs:SendMessage (`send`: the
   * notifier queues chunks of an event's recipients), or receive and delete (`consume`: the
   * delivery function).
   */
  readonly deliveryQueue?: 'send' | 'consume';
  /** The reply-token keyring (MAIL-1): REPLY_TOKEN_SECRET_ARN in AWS, the keyring itself locally. */
  readonly replyKeys?: boolean;
  /** Raw inbound mail (MAIL-2): INBOUND_BUCKET and INBOUND_PREFIX, with GetObject under the prefix. */
  readonly inboundBucket?: boolean;
  /**
   * Cases' files (MAIL-2, CASE-6): ATTACHMENTS_BUCKET, with on that bucket only: PutObject under
   * uploads/ (`upload`: presigned uploads), GetObject on uploads/ and mail/ (`download`: presigned
   * downloads), GetObject and DeleteObject under uploads/ and PutObject under quarantine/
   * (`check`: the check of stored uploads), PutObject under mail/ (`keep`: inbound mail's files).
   */
  readonly attachments?: 'upload' | 'download' | 'check' | 'keep';
  /** The integration topic (NOTE-1): NOTIFY_TOPIC_ARN, with sns:Publish on it. */
  readonly topic?: boolean;
  /** The web and mobile app client ids (PRIV-2). */
  readonly clients?: boolean;
  /**
   * Mobile push (NOTE-1): PUSH_APNS_APP_ARN and PUSH_FCM_APP_ARN (empty when the deployment has no
   * application for that platform), with sns:CreatePlatformEndpoint on the applications and
   * Publish, SetEndpointAttributes and DeleteEndpoint on their endpoints.
   */
  readonly push?: boolean;
  /**
   * The chat WebSocket API's management endpoint: CHAT_CONNECTIONS_URL, with
   * execute-api:ManageConnections on that API's stage.
   */
  readonly connections?: boolean;
  /** The chat timer queue (CHAT-2): CHAT_TIMER_QUEUE_URL, with sqs:SendMessage on it. */
  readonly chatTimers?: boolean;
  /**
   * The sign-in directory (ACC-6): USER_POOL_ID, with cognito-idp:AdminGetUser, AdminCreateUser
   * and AdminUpdateUserAttributes on that pool only. Empty locally, where there is no pool and the
   * directory itself is the sign-in directory (lambdas/adapters/user-accounts.ts).
   */
  readonly userPool?: boolean;
}

export interface FunctionSpec extends FunctionBindings {
  /** `get-case`, `run-sweep`: the handler module's file name. */
  readonly name: string;
  /** Handler module under lambdas/, without extension: `http/get-case`. */
  readonly module: string;
  /** The routes an HTTP function serves (empty for the sweep). */
  readonly routes: readonly RouteDef[];
}

/** The values behind the bindings: CDK tokens in AWS, emulator names locally, fixed ones in tests. */
export interface BindingValues {
  stage: string;
  tableName: string;
  /** AWS passes the secret's ARN; local mode and tests have no Secrets Manager and pass the key. */
  cursorSecret: { arn: string } | { value: string };
  mailDomain: string;
  clients: { web: string; mobile: string };
  replyKeys: { arn: string } | { value: string };
  inbound: { bucket: string; prefix: string };
  /** The bucket of cases' files. */
  attachmentsBucket: string;
  topicArn: string;
  /** The SNS platform applications; '' for a platform this deployment does not offer. */
  push: { apns: string; fcm: string };
  /** `https://<api>.execute-api.<region>.amazonaws.com/<stage>` in AWS; the local WebSocket server's endpoint locally. */
  chatConnectionsUrl: string;
  chatTimerQueueUrl: string;
  /** The Cognito user pool's id; '' where there is no pool (local mode: the directory signs in). */
  userPoolId: string;
  /** The mail queue, and its consumer's backoff (seconds): base and cap of the exponential delay. */
  mailQueueUrl: string;
  mailRetry: { baseSeconds: number; capSeconds: number };
  /** The delivery queue (chunks of an event's recipients). */
  deliveryQueueUrl: string;
}

/**
 * What each mode of the `attachments` binding may do on the attachments bucket: actions on key
 * prefixes, nothing else (no List, no other prefix). Presigned URLs are signed with the function's
 * credentials, so these also bound what a URL it hands out can do.
 */
export const ATTACHMENT_GRANTS: Record<
  NonNullable<FunctionBindings['attachments']>,
  readonly { actions: readonly string[]; prefixes: readonly string[] }[]
> = {
  upload: [{ actions: ['s3:PutObject'], prefixes: ['uploads/'] }],
  download: [{ actions: ['s3:GetObject'], prefixes: ['uploads/', 'mail/'] }],
  check: [
    { actions: ['s3:GetObject', 's3:DeleteObject'], prefixes: ['uploads/'] },
    { actions: ['s3:PutObject'], prefixes: ['quarantine/'] },
  ],
  keep: [{ actions: ['s3:PutObject'], prefixes: ['mail/'] }],
};

/** Set by CaseworkFunction on every function, whatever its bindings. */
export const FIXED_ENVIRONMENT = {
  [ENV.NODE_OPTIONS]: '--enable-source-maps',
  [ENV.POWERTOOLS_SERVICE_NAME]: 'casework',
} as const;

/** Exactly the variables a function with this spec gets (runtime-provided ones aside). */
export const functionEnvironment = (spec: FunctionBindings, values: BindingValues): Record<string, string> => ({
  ...FIXED_ENVIRONMENT,
  [ENV.STAGE]: values.stage,
  ...(spec.table ? { [ENV.TABLE_NAME]: values.tableName } : {}),
  ...(spec.cursorSecret
    ? 'arn' in values.cursorSecret
      ? { [ENV.CURSOR_SECRET_ARN]: values.cursorSecret.arn }
      : { [ENV.CURSOR_SECRET]: values.cursorSecret.value }
    : {}),
  ...(spec.mailer || spec.mailDomain ? { [ENV.MAIL_DOMAIN]: values.mailDomain } : {}),
  ...(spec.mailQueue ? { [ENV.MAIL_QUEUE_URL]: values.mailQueueUrl } : {}),
  ...(spec.mailQueue === 'consume'
    ? {
        [ENV.MAIL_RETRY_BASE_SECONDS]: String(values.mailRetry.baseSeconds),
        [ENV.MAIL_RETRY_CAP_SECONDS]: String(values.mailRetry.capSeconds),
      }
    : {}),
  ...(spec.deliveryQueue ? { [ENV.DELIVERY_QUEUE_URL]: values.deliveryQueueUrl } : {}),
  ...(spec.replyKeys
    ? 'arn' in values.replyKeys
      ? { [ENV.REPLY_TOKEN_SECRET_ARN]: values.replyKeys.arn }
      : { [ENV.REPLY_TOKEN_KEYS]: values.replyKeys.value }
    : {}),
  ...(spec.inboundBucket ? { [ENV.INBOUND_BUCKET]: values.inbound.bucket, [ENV.INBOUND_PREFIX]: values.inbound.prefix } : {}),
  ...(spec.attachments ? { [ENV.ATTACHMENTS_BUCKET]: values.attachmentsBucket } : {}),
  ...(spec.topic ? { [ENV.NOTIFY_TOPIC_ARN]: values.topicArn } : {}),
  ...(spec.clients ? { [ENV.WEB_CLIENT_ID]: values.clients.web, [ENV.MOBILE_CLIENT_ID]: values.clients.mobile } : {}),
  ...(spec.push ? { [ENV.PUSH_APNS_APP_ARN]: values.push.apns, [ENV.PUSH_FCM_APP_ARN]: values.push.fcm } : {}),
  ...(spec.connections ? { [ENV.CHAT_CONNECTIONS_URL]: values.chatConnectionsUrl } : {}),
  ...(spec.chatTimers ? { [ENV.CHAT_TIMER_QUEUE_URL]: values.chatTimerQueueUrl } : {}),
  ...(spec.userPool ? { [ENV.USER_POOL_ID]: values.userPoolId } : {}),
});

/** The write patterns of chat's items (lambdas/data/writes.ts): a function granted one has the chat repository. */
const CHAT_PATTERNS: readonly WritePattern[] = [
  'issueChatTicket',
  'consumeChatTicket',
  'chatConnection',
  'chatState',
  'chatAvailability',
];

/**
 * The one port factory's wiring (lambdas/adapters/deps.ts): the modules a function with these
 * bindings loads before its handler, each installing the builder of the port its binding gives
 * (lambdas/adapters/ports/<binding>.ts). CDK injects them into the bundle (CaseworkFunction), local
 * mode's containers and the test loader require them, so a function's ports, like its
 * environment, follow from its bindings alone (for an HTTP function, from its route's
 * declaration) and, for the table, from the repositories its code reaches; its bundle carries no
 * other port's client nor repository. Paths under lambdas/, without
 * extension.
 */
export const portModulesOf = (spec: FunctionBindings & { readonly module?: string }): string[] => {
  const bindings = [
    ...(spec.mailer ? ['mailer'] : []),
    ...(spec.replyKeys ? ['reply-keys'] : []),
    // The consumer reads the queue with its own client; only senders get the port.
    ...(spec.mailQueue === 'send' ? ['mail-queue'] : []),
    ...(spec.deliveryQueue === 'send' ? ['delivery-queue'] : []),
    ...(spec.topic ? ['topic'] : []),
    ...(spec.push ? ['push'] : []),
    ...(spec.userPool ? ['user-pool'] : []),
    ...(spec.inboundBucket ? ['inbound-bucket'] : []),
    ...(spec.attachments ? ['attachments'] : []),
    // The chat repository, for a function granted chat items (its tickets, connections, chats).
    ...(spec.table?.writes.some((w) => CHAT_PATTERNS.includes(w)) ? ['chats'] : []),
    ...(spec.connections ? ['connections'] : []),
    ...(spec.chatTimers ? ['chat-timers'] : []),
  ].map((binding) => `adapters/ports/${binding}`);
  // The table's repositories its code reaches (lib/repositories.ts); none without the table.
  const repositories = spec.table && spec.module ? repositoriesOf([spec.module, ...bindings]).map(repositoryModuleOf) : [];
  return [...bindings, ...repositories];
};

/** The variable names CDK sets on a function with this spec, sorted. */
export const awsEnvironmentNames = (spec: FunctionBindings): string[] =>
  Object.keys(
    functionEnvironment(spec, {
      stage: 'stage',
      tableName: 'table',
      cursorSecret: { arn: 'arn' },
      mailDomain: 'domain',
      clients: { web: 'web', mobile: 'mobile' },
      replyKeys: { arn: 'arn' },
      inbound: { bucket: 'bucket', prefix: 'prefix' },
      attachmentsBucket: 'bucket',
      topicArn: 'topic',
      push: { apns: 'apns', fcm: 'fcm' },
      chatConnectionsUrl: 'connections',
      chatTimerQueueUrl: 'queue',
      userPoolId: 'pool',
      mailQueueUrl: 'queue',
      mailRetry: { baseSeconds: 1, capSeconds: 1 },
      deliveryQueueUrl: 'queue',
    }),
  ).sort();

/**
 * One function per handler module of the route table. If several routes share a module, it gets
 * the union of the writes they declare (the ACC-10 session touch included), and no more.
 */
export const httpFunctionSpecs = (routes: readonly RouteDef[] = ROUTES): Map<string, FunctionSpec> => {
  const byHandler = new Map<string, RouteDef[]>();
  for (const route of routes) byHandler.set(route.handler, [...(byHandler.get(route.handler) ?? []), route]);
  const specs = new Map<string, FunctionSpec>();
  for (const [handler, served] of byHandler) {
    const usesTable = served.some((r) => r.table !== 'none');
    const writes = [...new Set(served.flatMap(writesOf))];
    specs.set(handler, {
      name: handler,
      module: `http/${handler}`,
      routes: served,
      clients: true,
      ...(usesTable ? { table: { writes, reads: readsOf(handler) }, cursorSecret: true } : {}),
      ...(served.some((r) => r.sendsMail)
        ? { mailer: true, replyKeys: true }
        : served.some((r) => r.sendsNotices)
          ? { mailDomain: true }
          : {}),
      ...(served.some((r) => r.signsReplies) ? { replyKeys: true } : {}),
      ...(served.some((r) => r.push) ? { push: true } : {}),
      ...(served.some((r) => r.grantsAccounts) ? { userPool: true } : {}),
      ...(served.find((r) => r.files) ? { attachments: served.find((r) => r.files)!.files } : {}),
    });
  }
  return specs;
};

/** The scheduled sweep (FLAG-1, FLAG-2): FLAG-2 queues the portal admins' mail. */
export const SWEEP_FUNCTION: FunctionSpec = {
  name: 'run-sweep',
  module: 'schedule/run-sweep',
  routes: [],
  table: { writes: SWEEP_WRITES, reads: readsOf('sweep') },
  // FLAG-2's overdue mail is written as intents with its flag; the notifier queues them.
  mailDomain: true,
};

/**
 * The table stream's consumer (NOTE-1, FLAG-1): integration messages, mail jobs for the mail queue
 * (it sends no mail itself), and each event's recipients in chunks for the delivery queue.
 */
export const NOTIFIER_FUNCTION: FunctionSpec = {
  name: 'notify',
  module: 'stream/notify',
  routes: [],
  table: { writes: NOTIFIER_WRITES, reads: readsOf('notify') },
  topic: true,
  mailQueue: 'send',
  deliveryQueue: 'send',
};

/** The delivery queue's consumer (NOTE-1, NOTE-2): inbox items, pushes and mail jobs, each recipient once. */
export const DELIVER_FUNCTION: FunctionSpec = {
  name: 'deliver',
  module: 'queue/deliver',
  routes: [],
  table: { writes: DELIVER_WRITES, reads: readsOf('deliver') },
  push: true,
  mailQueue: 'send',
  deliveryQueue: 'consume',
};

/** The mail queue's consumer, the one sender of queued mail (MAIL-1, FLAG-1, ACC-6, NOTE-1 email). */
export const SEND_MAIL_FUNCTION: FunctionSpec = {
  name: 'send-mail',
  module: 'queue/send-mail',
  routes: [],
  table: { writes: SEND_MAIL_WRITES, reads: readsOf('send-mail') },
  mailer: true,
  replyKeys: true,
  mailQueue: 'consume',
};

/** SES inbound mail (MAIL-2..5): the receipt rule invokes it after storing the raw message. */
export const RECEIVE_MAIL_FUNCTION: FunctionSpec = {
  name: 'receive-mail',
  module: 'mail/receive-mail',
  routes: [],
  table: { writes: RECEIVE_MAIL_WRITES, reads: readsOf('receive-mail') },
  // MAIL-3 answers are mail intents (no SES); the domain names their From.
  mailDomain: true,
  replyKeys: true,
  inboundBucket: true,
  // MAIL-2: the files of attached mail are kept downloadable.
  attachments: 'keep',
};

/**
 * The check of stored uploads (MAIL-2, CASE-6): S3's "object created" events under uploads/ start
 * it; it settles each upload `available` or `quarantined`.
 */
export const CHECK_ATTACHMENT_FUNCTION: FunctionSpec = {
  name: 'check-attachment',
  module: 'storage/check-attachment',
  routes: [],
  table: { writes: CHECK_ATTACHMENT_WRITES, reads: readsOf('check-attachment') },
  attachments: 'check',
};

/** The chat WebSocket API's `$connect` authorizer: it consumes tickets, nothing else. */
export const CHAT_AUTHORIZER_FUNCTION: FunctionSpec = {
  name: 'chat-authorize',
  module: 'chat/authorize',
  routes: [],
  table: { writes: CHAT_AUTHORIZER_WRITES, reads: readsOf('chat-authorize') },
};

/** The chat WebSocket API's $connect, $disconnect and $default routes (CHAT-1..3). */
export const CHAT_SOCKET_FUNCTION: FunctionSpec = {
  name: 'chat-socket',
  module: 'chat/socket',
  routes: [],
  table: { writes: CHAT_WRITES, reads: readsOf('chat-socket') },
  // Transcripts and callback alerts are mail intents (no SES).
  mailDomain: true,
  replyKeys: true,
  connections: true,
  chatTimers: true,
};

/** The chat timer queue's consumer: CHAT-2's callback offer, the end of a dropped chat (CHAT-3). */
export const CHAT_TIMER_FUNCTION: FunctionSpec = {
  name: 'chat-timer',
  module: 'chat/timer',
  routes: [],
  table: { writes: CHAT_WRITES, reads: readsOf('chat-timer') },
  // Transcripts and callback alerts are mail intents (no SES).
  mailDomain: true,
  replyKeys: true,
  connections: true,
};

/** Every function of the app, by name. */
export const allFunctionSpecs = (routes: readonly RouteDef[] = ROUTES): Map<string, FunctionSpec> =>
  new Map([
    ...httpFunctionSpecs(routes),
    [SWEEP_FUNCTION.name, SWEEP_FUNCTION],
    [RECEIVE_MAIL_FUNCTION.name, RECEIVE_MAIL_FUNCTION],
    [CHECK_ATTACHMENT_FUNCTION.name, CHECK_ATTACHMENT_FUNCTION],
    [NOTIFIER_FUNCTION.name, NOTIFIER_FUNCTION],
    [DELIVER_FUNCTION.name, DELIVER_FUNCTION],
    [SEND_MAIL_FUNCTION.name, SEND_MAIL_FUNCTION],
    [CHAT_AUTHORIZER_FUNCTION.name, CHAT_AUTHORIZER_FUNCTION],
    [CHAT_SOCKET_FUNCTION.name, CHAT_SOCKET_FUNCTION],
    [CHAT_TIMER_FUNCTION.name, CHAT_TIMER_FUNCTION],
  ]);
