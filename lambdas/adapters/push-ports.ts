/**
 * The push port (NOTE-1): SNS mobile push. Imported only by the functions that manage endpoints
 * or deliver notifications, so the others' bundles leave it out (lambdas/adapters/deps.ts, OwnPorts).
 */
import { config } from './config';
import type { OwnPorts } from './deps';
import { snsPush } from './sns-push';

export const PUSH_PORTS = {
  // The push binding sets both variables (empty for a platform the deployment does not offer).
  push: () => {
    config.pushApps();
    return snsPush();
  },
} as const satisfies OwnPorts;
