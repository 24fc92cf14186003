/** Repository `accessRequests` (lambdas/data/access-request-repo.ts), for a function whose code reaches `deps.accessRequests`. */
import { accessRequestRepo } from '../../../data/access-request-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { accessRequests: accessRequestRepo } });
