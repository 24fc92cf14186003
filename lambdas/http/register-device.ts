import { registerDevice } from '../domain/notifications/inbox';
import { httpRoute } from './middleware';
import { route } from './routes/register-device';

export const handler = httpRoute(route, async (req) => {
  const device = await registerDevice(req.deps, req.caller, req.body);
  return { status: 201, body: device, headers: { location: `/devices/${device.deviceId}` } };
});
