/**
 * Turns verified token claims into a Caller: who they are, what they hold, on which client.
 * The token was already verified (API Gateway's JWT authorizer in AWS, the local gateway locally).
 * The directory answers with the caller's sources as of now (ACC-4, ACC-5, ACC-9: an access change
 * holds from the next request); how it keeps that to one read is the data module's concern.
 */
import { CURRENT_TERMS } from './catalogue';
import type { Caller } from './policy';
import type { Deps } from './deps';
import type { Client } from './types';
import type { CallerSource } from './types';

export interface VerifiedClaims {
  sub: string;
  client: Client;
  scopes: string[];
  /** The sign-in this token belongs to (Cognito `origin_jti`), for mobile sessions. */
  sessionId?: string;
}

export const resolveCaller = async (deps: Pick<Deps, 'directory'>, claims: VerifiedClaims): Promise<Caller | undefined> => {
  if (claims.client === 'machine') {
    return {
      kind: 'machine',
      id: claims.sub,
      client: 'machine',
      scopes: claims.scopes,
      memberships: [],
      orgs: new Map(),
      combinations: [],
      termsAccepted: true,
    };
  }
  const found = await deps.directory.getCallerSource(claims.sub);
  // A valid token for someone Casework does not know holds nothing: treated as unauthenticated.
  return found && userCaller(found, claims.client, claims.scopes);
};

const userCaller = ({ user, memberships, orgs, combinations }: CallerSource, client: Client, scopes: string[]): Caller => ({
  kind: 'user',
  id: user.userId,
  client,
  scopes,
  user,
  memberships,
  orgs: new Map(orgs.map((o) => [o.orgId, o])),
  combinations,
  termsAccepted: user.termsVersion === CURRENT_TERMS.version,
});

/**
 * Many users as callers now, as `resolveCaller` makes each (the recipients of a notification are
 * checked as web callers without scopes), from sources read in one batch (a delivery chunk reads
 * them with its recipients' devices). Users without a source are absent.
 */
export const callersOf = (sources: Map<string, CallerSource>, client: Exclude<Client, 'machine'>): Map<string, Caller> =>
  new Map([...sources].map(([userId, source]) => [userId, userCaller(source, client, [])]));
