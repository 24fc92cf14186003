/**
 * A function's configuration is its environment, which CDK sets per function from
 * lib/function-specs.ts. This module is the one place that names those variables and the one
 * reader of `process.env` under lambdas/ (test/unit/config.test.ts checks both): CDK's `bind*`
 * helpers, the function specs and local mode take the names from here, so each exists once.
 *
 * Every value is read when first used, never at load: a function without a binding (GET /health
 * has no table) must still serve what it can, and fails loudly (ConfigurationError: a 500 and a
 * log line naming the variable) only when it uses what it was not given.
 *
 * No zod here: every bundle imports this module (through the logger), and the non-HTTP bundles
 * must stay free of it (test/unit/receive-mail.test.ts); the parsing is a few lines by hand.
 */
/** A port was used in a function that was not given its configuration: a 500, and a loud log line. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * Every variable our code sets on a function or reads in one, and what it means. The bindings of
 * lib/function-specs.ts set all but the last two; those two the runtime provides.
 */
export const VARIABLES = {
  // Set on every function (FIXED_ENVIRONMENT and the stage).
  NODE_OPTIONS: 'Node.js flags (source maps); read by Node.js.',
  POWERTOOLS_SERVICE_NAME: 'The service name of logs and metrics (`casework`).',
  STAGE: 'The deployment stage (`prod`, `local`).',
  // Binding `table`.
  TABLE_NAME: 'The DynamoDB table (binding `table`).',
  // Binding `cursorSecret`: the ARN in AWS, the key itself locally and in tests.
  CURSOR_SECRET_ARN: 'The Secrets Manager secret that signs list cursors (binding `cursorSecret`, AWS).',
  CURSOR_SECRET: 'The cursor-signing key itself (binding `cursorSecret`, local mode and tests).',
  // Bindings `mailer` and `mailDomain`.
  MAIL_DOMAIN: 'The domain mail is sent from and replied to (bindings `mailer`, `mailDomain`).',
  // Binding `mailQueue`.
  MAIL_QUEUE_URL: 'The mail queue (binding `mailQueue`).',
  MAIL_RETRY_BASE_SECONDS: "The mail queue consumer's backoff base, seconds (binding `mailQueue: 'consume'`; default 20).",
  MAIL_RETRY_CAP_SECONDS: "The mail queue consumer's backoff cap, seconds (binding `mailQueue: 'consume'`; default 600).",
  // Binding `deliveryQueue`.
  DELIVERY_QUEUE_URL: "The delivery queue: chunks of an event's recipients (binding `deliveryQueue`).",
  // Binding `replyKeys`: the ARN in AWS, the keyring itself locally and in tests.
  REPLY_TOKEN_SECRET_ARN: 'The Secrets Manager secret holding the reply-token keyring (binding `replyKeys`, AWS).',
  REPLY_TOKEN_KEYS: 'The reply-token keyring JSON itself (binding `replyKeys`, local mode and tests).',
  // Binding `inboundBucket`.
  INBOUND_BUCKET: 'The bucket SES stores raw inbound mail in (binding `inboundBucket`).',
  INBOUND_PREFIX: "The key prefix SES writes under; '' is valid (binding `inboundBucket`).",
  // Binding `attachments`.
  ATTACHMENTS_BUCKET: "The bucket of cases' files: uploads, files kept from inbound mail, quarantine (binding `attachments`).",
  // Binding `topic`.
  NOTIFY_TOPIC_ARN: 'The integration topic (binding `topic`).',
  // Binding `clients`.
  WEB_CLIENT_ID: "The web app's client id (binding `clients`).",
  MOBILE_CLIENT_ID: "The mobile app's client id (binding `clients`).",
  // Binding `push`: empty for a platform the deployment does not offer.
  PUSH_APNS_APP_ARN: "The SNS APNs platform application; '' for none (binding `push`).",
  PUSH_FCM_APP_ARN: "The SNS FCM platform application; '' for none (binding `push`).",
  // Binding `connections`.
  CHAT_CONNECTIONS_URL: "The chat WebSocket API's management endpoint (binding `connections`).",
  // Binding `chatTimers`.
  CHAT_TIMER_QUEUE_URL: 'The chat timer queue (binding `chatTimers`).',
  // Binding `userPool`.
  USER_POOL_ID: "The Cognito user pool; '' where the directory itself signs in (binding `userPool`, local mode).",
  // Provided by the runtime (local mode: the emulators), read by our code as well as by the SDK.
  AWS_ENDPOINT_URL_S3: 'Set locally only (the S3 emulator): S3 then uses path-style addressing.',
  AWS_ENDPOINT_URL_SNS_PUSH: 'Set locally only (the push stand-in): where SNS mobile push calls go.',
} as const;

export type EnvName = keyof typeof VARIABLES;

/**
 * The names as constants (`ENV.TABLE_NAME`), for the specs, the `bind*` helpers and local mode.
 * The accessors below name their variables as literals (checked against EnvName) and the build is
 * marked pure, so a function's bundle keeps neither this table nor the descriptions above.
 */
export const ENV = /* @__PURE__ */ (() => Object.fromEntries(Object.keys(VARIABLES).map((name) => [name, name])))() as {
  readonly [K in EnvName]: K;
};

/**
 * What the Lambda runtime itself sets (and local mode imitates), read by the SDK and Powertools,
 * never by our code. AWS_ENDPOINT_URL_<SERVICE> is `endpointVariable(service)`.
 */
export const RUNTIME_ENV = {
  AWS_REGION: 'AWS_REGION',
  AWS_DEFAULT_REGION: 'AWS_DEFAULT_REGION',
  AWS_ACCESS_KEY_ID: 'AWS_ACCESS_KEY_ID',
  AWS_SECRET_ACCESS_KEY: 'AWS_SECRET_ACCESS_KEY',
  AWS_LAMBDA_FUNCTION_NAME: 'AWS_LAMBDA_FUNCTION_NAME',
  AWS_LAMBDA_FUNCTION_VERSION: 'AWS_LAMBDA_FUNCTION_VERSION',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  AWS_LAMBDA_LOG_GROUP_NAME: 'AWS_LAMBDA_LOG_GROUP_NAME',
  POWERTOOLS_LOG_LEVEL: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** The SDK's per-service endpoint override (`AWS_ENDPOINT_URL_DYNAMODB`); local mode points it at the emulators. */
export const endpointVariable = (service: string): string => `AWS_ENDPOINT_URL_${service}`;

// ---------------------------------------------------------------------------------------------
// Reading: every accessor reads the environment when called (no caching, no reads at load).

/** The raw value; undefined when unset. */
const read = (name: EnvName): string | undefined => process.env[name];

/** The value of `name`; throws, rather than defaulting, when this function was not given it. */
const required = (name: EnvName, binding: string): string => {
  const value = read(name);
  if (!value) throw new ConfigurationError(`${name} is not set: this function has no ${binding} binding`);
  return value;
};

/** A positive number (of seconds), or `fallback` when unset or not one. */
const positiveNumber = (name: EnvName, fallback: number): number => {
  const n = Number(read(name));
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** A secret: its value where local mode and tests pass it, else its Secrets Manager ARN. */
export type SecretSource = { value: string } | { arn: string };

export const config = {
  /** POWERTOOLS_SERVICE_NAME, `casework` when unset. */
  serviceName: (): string => read('POWERTOOLS_SERVICE_NAME') ?? 'casework',
  tableName: (): string => required('TABLE_NAME', 'table'),
  /** CURSOR_SECRET when set (local mode, tests), else CURSOR_SECRET_ARN. */
  cursorSecret: (): SecretSource => {
    const value = read('CURSOR_SECRET');
    return value ? { value } : { arn: required('CURSOR_SECRET_ARN', 'cursor secret') };
  },
  mailDomain: (): string => required('MAIL_DOMAIN', 'mailer'),
  /** MAIL_DOMAIN where set, for helpers outside a deployed function (tests, scripts). */
  mailDomainOr: (fallback: string): string => read('MAIL_DOMAIN') ?? fallback,
  mailQueueUrl: (): string => required('MAIL_QUEUE_URL', 'mail queue'),
  /** The mail queue consumer's backoff: each value a positive number of seconds, else its default. */
  mailRetrySeconds: (): { base: number; cap: number } => ({
    base: positiveNumber('MAIL_RETRY_BASE_SECONDS', 20),
    cap: positiveNumber('MAIL_RETRY_CAP_SECONDS', 600),
  }),
  deliveryQueueUrl: (): string => required('DELIVERY_QUEUE_URL', 'delivery queue'),
  /** REPLY_TOKEN_KEYS when set (local mode, tests), else REPLY_TOKEN_SECRET_ARN. */
  replyKeys: (): SecretSource => {
    const value = read('REPLY_TOKEN_KEYS');
    if (value) return { value };
    const arn = read('REPLY_TOKEN_SECRET_ARN');
    if (!arn) throw new ConfigurationError('Neither REPLY_TOKEN_KEYS nor REPLY_TOKEN_SECRET_ARN is set');
    return { arn };
  },
  inboundBucket: (): string => required('INBOUND_BUCKET', 'inboundBucket'),
  /** '' is a valid (if unusual) prefix. */
  inboundPrefix: (): string => read('INBOUND_PREFIX') ?? '',
  attachmentsBucket: (): string => required('ATTACHMENTS_BUCKET', 'attachments'),
  notifyTopicArn: (): string => required('NOTIFY_TOPIC_ARN', 'integration topic'),
  /** The app client ids; undefined without the `clients` binding (then every caller is a machine). */
  clientIds: (): { web?: string; mobile?: string } => ({ web: read('WEB_CLIENT_ID'), mobile: read('MOBILE_CLIENT_ID') }),
  /** The push binding sets both variables, empty for a platform the deployment does not offer. */
  pushApps: (): { apns: string; fcm: string } => {
    const apns = read('PUSH_APNS_APP_ARN');
    const fcm = read('PUSH_FCM_APP_ARN');
    if (apns === undefined || fcm === undefined) {
      throw new ConfigurationError('PUSH_APNS_APP_ARN is not set: this function has no push binding');
    }
    return { apns, fcm };
  },
  /** One platform's application; undefined or '' when there is none. */
  pushApp: (platform: 'apns' | 'fcm'): string | undefined => read(platform === 'apns' ? 'PUSH_APNS_APP_ARN' : 'PUSH_FCM_APP_ARN'),
  chatConnectionsUrl: (): string => required('CHAT_CONNECTIONS_URL', 'chat connections'),
  chatTimerQueueUrl: (): string => required('CHAT_TIMER_QUEUE_URL', 'chat timer queue'),
  /** The user pool id: '' where there is none (local mode), undefined without the `userPool` binding. */
  userPoolId: (): string | undefined => read('USER_POOL_ID'),
  /** True locally, where S3 is the emulator (path-style addressing only). */
  s3Emulated: (): boolean => Boolean(read('AWS_ENDPOINT_URL_S3')),
  /** The push stand-in's address locally; undefined in AWS. */
  snsPushEndpoint: (): string | undefined => read('AWS_ENDPOINT_URL_SNS_PUSH') || undefined,
} as const;
