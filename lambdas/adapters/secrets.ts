import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { requiredEnv } from './config';

/**
 * The key that signs list cursors. In AWS it lives in Secrets Manager (CURSOR_SECRET_ARN, cached
 * by Powertools for 5 minutes); local mode and tests pass it directly in CURSOR_SECRET.
 */
export const cursorKey = async (): Promise<string> => {
  if (process.env.CURSOR_SECRET) return process.env.CURSOR_SECRET;
  const arn = requiredEnv('CURSOR_SECRET_ARN', 'cursor secret');
  const value = await getSecret(arn, { maxAge: 300 });
  if (typeof value !== 'string' || !value) throw new Error('The cursor secret is empty');
  return value;
};
