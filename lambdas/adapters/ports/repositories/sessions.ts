/** Repository `sessions` (lambdas/data/session-repo.ts), for a function whose code reaches `deps.sessions`. */
import { sessionRepo } from '../../../data/session-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { sessions: sessionRepo } });
