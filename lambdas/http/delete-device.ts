import { removeDevice } from '../domain/notifications/inbox';
import { httpRoute } from './middleware';
import { route } from './routes/delete-device';

export const handler = httpRoute(route, async (req) => {
  await removeDevice(req.deps, req.caller, req.params.deviceId);
  return { status: 204 };
});
