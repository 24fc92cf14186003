import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { config } from './config';

/**
 * The key that signs list cursors. In AWS it lives in Secrets Manager (CURSOR_SECRET_ARN, cached
 * by Powertools for 5 minutes); local mode and tests pass it directly in CURSOR_SECRET.
 */
export const cursorKey = async (): Promise<string> => {
  const source = config.cursorSecret();
  if ('value' in source) return source.value;
  const value = await getSecret(source.arn, { maxAge: 300 });
  if (typeof value !== 'string' || !value) throw new Error('The cursor secret is empty');
  return value;
};
