import { removeDevice } from '../domain/inbox';
import type { DeviceParams } from '../schemas/notifications';
import { httpRoute } from './middleware';

export const handler = httpRoute<DeviceParams>('DELETE /devices/{deviceId}', async (req) => {
  await removeDevice(req.deps, req.caller!, req.params.deviceId);
  return { status: 204 };
});
