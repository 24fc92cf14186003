import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from './config';

/** How long a secret read from Secrets Manager is kept: a rotation reaches every container within it. */
const MAX_AGE_MS = 300_000;

let client: SecretsManagerClient | undefined;
const cache = new Map<string, { until: number; value: Promise<string> }>();

/**
 * A secret's string from Secrets Manager, kept for 5 minutes per container. The SDK client
 * directly, not Powertools parameters: the same one GetSecretValue call, without the provider
 * layer's code in every list route's bundle. A failed read is not kept, so the next use retries.
 */
export const secretString = (arn: string, what: string): Promise<string> => {
  const now = Date.now();
  const hit = cache.get(arn);
  if (hit && hit.until > now) return hit.value;
  const value = (client ??= new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: arn })).then((out) => {
    if (typeof out.SecretString !== 'string' || !out.SecretString) throw new Error(`The ${what} is empty`);
    return out.SecretString;
  });
  cache.set(arn, { until: now + MAX_AGE_MS, value });
  value.catch(() => {
    if (cache.get(arn)?.value === value) cache.delete(arn);
  });
  return value;
};

/**
 * The key that signs list cursors. In AWS it lives in Secrets Manager (CURSOR_SECRET_ARN, kept
 * for 5 minutes); local mode and tests pass it directly in CURSOR_SECRET.
 */
export const cursorKey = async (): Promise<string> => {
  const source = config.cursorSecret();
  return 'value' in source ? source.value : secretString(source.arn, 'cursor secret');
};
