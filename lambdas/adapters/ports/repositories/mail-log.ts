/** Repository `mailLog` (lambdas/data/outbox-repo.ts), for a function whose code reaches `deps.mailLog`. */
import { mailLogRepo } from '../../../data/outbox-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { mailLog: mailLogRepo } });
