/** Repository `subscriptions` (lambdas/data/subscription-repo.ts), for a function whose code reaches `deps.subscriptions`. */
import { subscriptionRepo } from '../../../data/subscription-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { subscriptions: subscriptionRepo } });
