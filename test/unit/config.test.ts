/**
 * Typed config: lambdas/adapters/config.ts names every variable a function can be given and is
 * the only reader of process.env under lambdas/; its accessors read lazily and fail loudly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { config, ConfigurationError, ENV, VARIABLES } from '../../lambdas/adapters/config';
import { functionEnvironment, type BindingValues, type FunctionBindings } from '../../lib/function-specs';

const ROOT = join(__dirname, '..', '..');
const CONFIG_MODULE = 'lambdas/adapters/config.ts';

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js|mjs|cjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** Every binding on, so every variable a spec can set is set. */
const EVERY_BINDING: Required<FunctionBindings> = {
  table: { writes: [], reads: { items: [], indexes: [] } },
  cursorSecret: true,
  mailer: true,
  mailDomain: true,
  mailQueue: 'consume',
  deliveryQueue: 'consume',
  replyKeys: true,
  inboundBucket: true,
  attachments: 'check',
  topic: true,
  clients: true,
  push: true,
  connections: true,
  chatTimers: true,
  userPool: true,
};

const values = (secrets: 'arn' | 'value'): BindingValues => ({
  stage: 's',
  tableName: 't',
  cursorSecret: secrets === 'arn' ? { arn: 'a' } : { value: 'v' },
  mailDomain: 'd',
  clients: { web: 'w', mobile: 'm' },
  replyKeys: secrets === 'arn' ? { arn: 'a' } : { value: 'v' },
  inbound: { bucket: 'b', prefix: 'p' },
  attachmentsBucket: 'a',
  topicArn: 't',
  push: { apns: 'a', fcm: 'f' },
  chatConnectionsUrl: 'c',
  chatTimerQueueUrl: 'q',
  userPoolId: 'p',
  mailQueueUrl: 'q',
  mailRetry: { baseSeconds: 1, capSeconds: 1 },
  deliveryQueueUrl: 'q',
});

describe('typed config (lambdas/adapters/config.ts)', () => {
  it.each(['arn', 'value'] as const)('names every variable a function spec can set (secrets as %s)', (secrets) => {
    const set = Object.keys(functionEnvironment(EVERY_BINDING, values(secrets)));
    expect(set.length).toBe(22);
    expect(set.filter((name) => !(name in VARIABLES))).toEqual([]);
  });

  it('names each variable once, as its own constant', () => {
    for (const [key, name] of Object.entries(ENV)) expect(key).toBe(name);
    expect(Object.keys(ENV).sort()).toEqual(Object.keys(VARIABLES).sort());
  });

  it('is the only reader of process.env under lambdas/', () => {
    const readers = sourceFiles(join(ROOT, 'lambdas'))
      .map((file) => relative(ROOT, file).split('\\').join('/'))
      .filter((file) => file !== CONFIG_MODULE)
      .filter((file) => /process\s*\.\s*env|process\s*\[\s*['"]env['"]\s*\]/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(readers).toEqual([]);
  });

  describe('reads lazily and fails loudly without a binding', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of Object.keys(VARIABLES)) {
        if (name in saved) process.env[name] = saved[name];
        else delete process.env[name];
      }
    });
    const unset = (...names: string[]) => names.forEach((n) => delete process.env[n]);

    it('a required variable: its value, or a ConfigurationError naming it and the binding', () => {
      unset(ENV.TABLE_NAME);
      expect(() => config.tableName()).toThrow(ConfigurationError);
      expect(() => config.tableName()).toThrow('TABLE_NAME is not set: this function has no table binding');
      process.env[ENV.TABLE_NAME] = 'casework';
      expect(config.tableName()).toBe('casework');
    });

    it('secrets: the value where given (local mode, tests), else the ARN, else a ConfigurationError', () => {
      unset(ENV.CURSOR_SECRET, ENV.CURSOR_SECRET_ARN, ENV.REPLY_TOKEN_KEYS, ENV.REPLY_TOKEN_SECRET_ARN);
      expect(() => config.cursorSecret()).toThrow(ConfigurationError);
      expect(() => config.replyKeys()).toThrow(/Neither REPLY_TOKEN_KEYS nor REPLY_TOKEN_SECRET_ARN/);
      process.env[ENV.CURSOR_SECRET_ARN] = 'arn:secret';
      expect(config.cursorSecret()).toEqual({ arn: 'arn:secret' });
      process.env[ENV.CURSOR_SECRET] = 'key';
      expect(config.cursorSecret()).toEqual({ value: 'key' });
    });

    it('the mail backoff: positive numbers, else the defaults', () => {
      unset(ENV.MAIL_RETRY_BASE_SECONDS, ENV.MAIL_RETRY_CAP_SECONDS);
      expect(config.mailRetrySeconds()).toEqual({ base: 20, cap: 600 });
      process.env[ENV.MAIL_RETRY_BASE_SECONDS] = '2';
      process.env[ENV.MAIL_RETRY_CAP_SECONDS] = '-1';
      expect(config.mailRetrySeconds()).toEqual({ base: 2, cap: 600 });
    });

    it('push: both applications (empty for none) with the binding, a ConfigurationError without', () => {
      unset(ENV.PUSH_APNS_APP_ARN, ENV.PUSH_FCM_APP_ARN);
      expect(() => config.pushApps()).toThrow(ConfigurationError);
      process.env[ENV.PUSH_APNS_APP_ARN] = '';
      process.env[ENV.PUSH_FCM_APP_ARN] = 'arn:fcm';
      expect(config.pushApps()).toEqual({ apns: '', fcm: 'arn:fcm' });
    });

    it('optional values keep their defaults', () => {
      unset(ENV.INBOUND_PREFIX, ENV.POWERTOOLS_SERVICE_NAME, ENV.USER_POOL_ID, ENV.WEB_CLIENT_ID, ENV.MOBILE_CLIENT_ID);
      expect(config.inboundPrefix()).toBe('');
      expect(config.serviceName()).toBe('casework');
      expect(config.userPoolId()).toBeUndefined();
      expect(config.clientIds()).toEqual({ web: undefined, mobile: undefined });
    });
  });
});
