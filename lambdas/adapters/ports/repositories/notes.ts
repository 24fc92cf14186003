/** Repository `notes` (lambdas/data/notification-repo.ts), for a function whose code reaches `deps.notes`. */
import { notificationRepo } from '../../../data/notification-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { notes: notificationRepo } });
