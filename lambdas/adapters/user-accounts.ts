/**
 * ACC-6: where an approved requester gets their sign-in, chosen by the function's userPool
 * binding (lib/function-specs.ts), never by STAGE:
 * - USER_POOL_ID set (AWS): the Cognito user pool (lambdas/adapters/cognito-accounts.ts); the
 *   user's `sub` is their directory id.
 * - USER_POOL_ID set but empty (local mode): there is no pool; the local issuer signs tokens for
 *   directory users, so the directory is all there is: a known address keeps its id, a new one
 *   gets an id derived from the address (the same for two approvals racing).
 * - USER_POOL_ID not set: the function has no userPool binding; approving fails loudly rather than
 *   granting access nobody can sign in with.
 */
import { createHash } from 'node:crypto';
import type { UserAccounts } from '../domain/access/ports';
import { cognitoUserAccounts } from './cognito-accounts';
import { config, ConfigurationError } from './config';

export const localUserId = (email: string): string =>
  `u-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24)}`;

export const directoryUserAccounts = (userIdByEmail: (email: string) => Promise<string | undefined>): UserAccounts => ({
  ensureUser: async ({ email }) => (await userIdByEmail(email.toLowerCase())) ?? localUserId(email),
});

/** The port for this function, from its environment (see above). */
export const userAccounts = (userIdByEmail: (email: string) => Promise<string | undefined>): UserAccounts => {
  const userPoolId = config.userPoolId();
  if (userPoolId === undefined) {
    return {
      ensureUser: () => Promise.reject(new ConfigurationError('USER_POOL_ID is not set: this function has no userPool binding')),
    };
  }
  return userPoolId ? cognitoUserAccounts({ userPoolId }) : directoryUserAccounts(userIdByEmail);
};
