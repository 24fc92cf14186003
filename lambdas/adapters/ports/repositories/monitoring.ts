/** Repository `monitoring` (lambdas/data/monitoring-repo.ts), for a function whose code reaches `deps.monitoring`. */
import { monitoringRepo } from '../../../data/monitoring-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { monitoring: monitoringRepo } });
