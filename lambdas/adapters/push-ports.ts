/**
 * The push port (NOTE-1): SNS mobile push. Imported only by the functions that manage endpoints
 * or deliver notifications, so the others' bundles leave it out (lambdas/adapters/deps.ts, OwnPorts).
 */
import { ConfigurationError } from './config';
import type { OwnPorts } from './deps';
import { snsPush } from './sns-push';

export const PUSH_PORTS = {
  // The push binding sets both variables (empty for a platform the deployment does not offer).
  push: () => {
    if (!('PUSH_APNS_APP_ARN' in process.env && 'PUSH_FCM_APP_ARN' in process.env)) {
      throw new ConfigurationError('PUSH_APNS_APP_ARN is not set: this function has no push binding');
    }
    return snsPush();
  },
} as const satisfies OwnPorts;
