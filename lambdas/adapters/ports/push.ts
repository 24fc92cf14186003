/** Binding `push` (NOTE-1): SNS mobile push. */
import { config } from '../config';
import { installPorts } from '../deps';
import { snsPush } from '../sns-push';

installPorts({
  // The push binding sets both variables (empty for a platform the deployment does not offer).
  push: () => {
    config.pushApps();
    return snsPush();
  },
});
