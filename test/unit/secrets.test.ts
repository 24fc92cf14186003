/**
 * Secrets read in AWS (lambdas/adapters/secrets.ts): the cursor-signing key of LIST-3's opaque
 * cursors and the reply keyring are one GetSecretValue each, kept 5 minutes per container so a
 * rotation reaches every container within that time.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { cursorKey, secretString } from '../../lambdas/adapters/secrets';

const sm = mockClient(SecretsManagerClient);
const saved = { ...process.env };
let now = Date.parse('2026-12-03T10:00:00Z');

beforeEach(() => {
  sm.reset();
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

describe('secrets from Secrets Manager', () => {
  it('LIST-3: the cursor key comes from CURSOR_SECRET_ARN, read once and kept for 5 minutes, then read again', async () => {
    delete process.env.CURSOR_SECRET;
    process.env.CURSOR_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:cursor-a';
    sm.on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:cursor-a' })
      .resolvesOnce({ SecretString: 'key-1' })
      .resolves({ SecretString: 'key-2' });
    expect(await cursorKey()).toBe('key-1');
    now += 299_000;
    expect(await cursorKey()).toBe('key-1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now += 2_000;
    expect(await cursorKey()).toBe('key-2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('LIST-3: locally the key is CURSOR_SECRET itself, and Secrets Manager is not called', async () => {
    process.env.CURSOR_SECRET = 'local-key';
    process.env.CURSOR_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:unused';
    expect(await cursorKey()).toBe('local-key');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('a failed read is not kept: the next use reads again', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:1:secret:flaky';
    sm.on(GetSecretValueCommand, { SecretId: arn }).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'k' });
    await expect(secretString(arn, 'test secret')).rejects.toThrow('throttled');
    expect(await secretString(arn, 'test secret')).toBe('k');
  });

  it('an empty secret is refused, naming which secret and not kept', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:1:secret:empty';
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolvesOnce({ SecretString: '' }).resolves({ SecretString: 'filled' });
    await expect(secretString(arn, 'cursor secret')).rejects.toThrow('The cursor secret is empty');
    expect(await secretString(arn, 'cursor secret')).toBe('filled');
  });
});
