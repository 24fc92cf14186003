import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { parseKeyring, replyKeyring } from '../../lambdas/adapters/reply-keys';

const b64 = (fill: number, n = 32) => Buffer.alloc(n, fill).toString('base64');

describe('reply-token keyring (MAIL-1: keys rotate; the id travels in the token)', () => {
  it('MAIL-1: current signs, every listed key verifies, an unknown id verifies nothing', () => {
    const ring = parseKeyring(JSON.stringify({ current: 'k2', keys: { k1: b64(1), k2: b64(2) } }));
    expect(ring.current.id).toBe('k2');
    expect(Buffer.from(ring.current.secret).equals(Buffer.alloc(32, 2))).toBe(true);
    expect(Buffer.from(ring.byId('k1')!).equals(Buffer.alloc(32, 1))).toBe(true);
    expect(ring.byId('k3')).toBeUndefined();
  });

  it('reads the flat form Secrets Manager generates ({"current":"k1","k1":"..."})', () => {
    const ring = parseKeyring(JSON.stringify({ current: 'k1', k1: 'A'.repeat(64) }));
    expect(ring.current.secret.byteLength).toBe(48);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no current', JSON.stringify({ keys: { k1: b64(1) } }), /no "current"/],
    ['current not listed', JSON.stringify({ current: 'k9', keys: { k1: b64(1) } }), /not among its keys/],
    ['a short key', JSON.stringify({ current: 'k1', keys: { k1: b64(1, 16) } }), /shorter than 32 bytes/],
    [
      'an id too long to travel in a token',
      JSON.stringify({ current: 'k1', keys: { k1: b64(1), keytoolong9: b64(2) } }),
      /1-8 lower-case/,
    ],
    ['an id that case-folding would change', JSON.stringify({ current: 'K1', keys: { K1: b64(1) } }), /lower-case/],
  ])('MAIL-1: refuses %s, naming the problem and never a key', (_what, json, message) => {
    expect(() => parseKeyring(json)).toThrow(message);
  });

  it('in AWS reads REPLY_TOKEN_SECRET_ARN from Secrets Manager', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:keys' }).resolves({
      SecretString: JSON.stringify({ current: 'k1', keys: { k1: b64(7) } }),
    });
    const before = { ...process.env };
    delete process.env.REPLY_TOKEN_KEYS;
    process.env.REPLY_TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:keys';
    try {
      const ring = await replyKeyring();
      expect(Buffer.from(ring.current.secret).equals(Buffer.alloc(32, 7))).toBe(true);
    } finally {
      process.env = before;
      sm.restore();
    }
  });

  it('locally reads REPLY_TOKEN_KEYS, and fails loudly when neither variable is set', async () => {
    const before = { ...process.env };
    try {
      process.env.REPLY_TOKEN_KEYS = JSON.stringify({ current: 'k1', keys: { k1: b64(5) } });
      expect((await replyKeyring()).current.id).toBe('k1');
      delete process.env.REPLY_TOKEN_KEYS;
      delete process.env.REPLY_TOKEN_SECRET_ARN;
      await expect(replyKeyring()).rejects.toThrow(/Neither REPLY_TOKEN_KEYS nor REPLY_TOKEN_SECRET_ARN/);
    } finally {
      process.env = before;
    }
  });
});
