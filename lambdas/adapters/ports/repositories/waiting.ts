/** Repository `waiting` (lambdas/data/waiting-repo.ts), for a function whose code reaches `deps.waiting`. */
import { waitingRepo } from '../../../data/waiting-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { waiting: waitingRepo } });
