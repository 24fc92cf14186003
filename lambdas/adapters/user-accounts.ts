/**
 * ACC-6: where an approved requester gets their sign-in. In AWS that is the Cognito user pool
 * (AdminCreateUser for a new address, AdminUpdateUserAttributes for a known one; the user's `sub`
 * is their directory id). That adapter needs @aws-sdk/client-cognito-identity-provider, which is
 * not installed yet: until it is, a function given USER_POOL_ID fails loudly rather than granting
 * access nobody can sign in with. Locally the local issuer signs tokens for directory users, so
 * the directory is all there is: a known address keeps its id, a new one gets an id derived from
 * the address (the same for two approvals racing).
 */
import { createHash } from 'node:crypto';
import type { UserAccounts } from '../domain/ports';
import { ConfigurationError } from './config';

export const localUserId = (email: string): string =>
  `u-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24)}`;

export const directoryUserAccounts = (userIdByEmail: (email: string) => Promise<string | undefined>): UserAccounts => ({
  ensureUser: async ({ email }) => (await userIdByEmail(email.toLowerCase())) ?? localUserId(email),
});

/** Local mode and tests (STAGE local/test) sign directory users in with the local issuer. */
const LOCAL_STAGES = ['local', 'test'];

/** The port for this function: the directory locally; in AWS, Cognito (not built yet: fails loudly). */
export const userAccounts = (userIdByEmail: (email: string) => Promise<string | undefined>): UserAccounts => {
  if (!LOCAL_STAGES.includes(process.env.STAGE ?? 'local')) {
    return {
      ensureUser: () =>
        Promise.reject(
          new ConfigurationError(
            'approving an access request in AWS needs the Cognito adapter (@aws-sdk/client-cognito-identity-provider, not installed)',
          ),
        ),
    };
  }
  return directoryUserAccounts(userIdByEmail);
};
