/** ACC-10: mobile sessions end after 10 minutes without a request; the web client is not affected. */
import { unauthorized } from '../kernel/errors';
import type { Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';

export const MOBILE_IDLE_MINUTES = 10;
/** Longer than any token of the sign-in can live (Cognito refresh tokens: 60 minutes). */
const KEEP_EXPIRED_SESSION_HOURS = 24;

export const checkSession = async (deps: Pick<Deps, 'sessions' | 'clock'>, caller: Caller, sessionId: string | undefined) => {
  if (caller.client !== 'mobile') return;
  // Without the sign-in's id there is no idle clock to check: such a token is refused, not waved through.
  if (!sessionId) throw unauthorized('Mobile tokens must name their sign-in (origin_jti).', '/problems/session-expired');
  const now = deps.clock.now();
  const alive = await deps.sessions.touch(
    sessionId,
    now,
    new Date(now.getTime() - MOBILE_IDLE_MINUTES * 60_000),
    new Date(now.getTime() + KEEP_EXPIRED_SESSION_HOURS * 3600_000),
  );
  if (!alive) {
    throw unauthorized(
      `The mobile session ended after ${MOBILE_IDLE_MINUTES} minutes without a request. Sign in again.`,
      '/problems/session-expired',
    );
  }
};
