/** The route declaration of delete-device: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { DeviceParams } from '../../schemas/notifications';

export const route = {
  method: 'DELETE',
  path: '/devices/{deviceId}',
  handler: 'delete-device',
  permission: 'signedIn',
  table: 'write',
  writes: ['removeDevice'],
  push: true,
  caseData: false,
  summary: "Remove one of the caller's devices and its platform endpoint; anyone else's is 404",
  request: { params: DeviceParams },
  success: { status: 204 },
} as const satisfies RouteDef;
