/**
 * The table's repositories (lambdas/data), each a port of its own: a function gets those its code
 * reaches (lib/repositories.ts reads them off its modules), each installed by
 * ./ports/repositories/<port>.ts, so its bundle leaves the other repositories' code out.
 */
import type { Deps } from '../domain/kernel/deps';

export const REPOSITORY_PORTS = [
  'directory',
  'cases',
  'sessions',
  'waiting',
  'subscriptions',
  'favorites',
  'mail',
  'outbox',
  'mailLog',
  'monitoring',
  'notes',
  'accessRequests',
  'rateLimits',
  'attachments',
] as const satisfies readonly (keyof Deps)[];
export type RepositoryPort = (typeof REPOSITORY_PORTS)[number];
