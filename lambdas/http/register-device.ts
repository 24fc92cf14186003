import { registerDevice } from '../domain/inbox';
import type { DeviceBody } from '../schemas/notifications';
import { httpRoute } from './middleware';

export const handler = httpRoute<unknown, unknown, DeviceBody>('POST /devices', async (req) => {
  const device = await registerDevice(req.deps, req.caller!, req.body);
  return { status: 201, body: device, headers: { location: `/devices/${device.deviceId}` } };
});
