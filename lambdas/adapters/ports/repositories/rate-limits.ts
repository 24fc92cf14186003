/** Repository `rateLimits` (lambdas/data/rate-limit-repo.ts), for a function whose code reaches `deps.rateLimits`. */
import { rateLimitRepo } from '../../../data/rate-limit-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { rateLimits: rateLimitRepo } });
