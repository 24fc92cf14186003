/** The route declaration of register-device: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { DeviceBody, DeviceSchema } from '../../schemas/notifications';

export const route = {
  method: 'POST',
  path: '/devices',
  handler: 'register-device',
  permission: 'signedIn',
  table: 'write',
  writes: ['registerDevice'],
  push: true,
  caseData: false,
  summary: 'Register a device for push (an SNS platform endpoint for APNs or FCM); the same token again is the same device',
  request: { body: DeviceBody },
  success: { status: 201, schema: DeviceSchema, headers: ['location'] },
} as const satisfies RouteDef;
