/** Repository `outbox` (lambdas/data/outbox-repo.ts), for a function whose code reaches `deps.outbox`. */
import { outboxRepo } from '../../../data/outbox-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { outbox: outboxRepo } });
