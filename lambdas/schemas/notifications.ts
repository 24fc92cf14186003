/** NOTE-1, NOTE-3: the inbox and push devices. */
import { NOTIFICATION_TYPES } from '../domain/notifications/notifications';
import * as z from 'zod';
import { pageOf, str } from './common';

export const PUSH_PLATFORMS = ['apns', 'fcm'] as const;

export const DeviceBody = z
  .strictObject({
    platform: z.enum(PUSH_PLATFORMS),
    /** The APNs device token or FCM registration token, as the platform issued it. */
    token: str().regex(/^[\x21-\x7e]{1,4096}$/, 'must be the token the platform issued (1-4096 visible ASCII characters)'),
  })
  .meta({ id: 'DeviceRegistration' });
export type DeviceBody = z.infer<typeof DeviceBody>;

export const DeviceParams = z.strictObject({
  deviceId: str().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a device id'),
});
export type DeviceParams = z.infer<typeof DeviceParams>;

export const DeviceSchema = z
  .object({ deviceId: str(), platform: z.enum(PUSH_PLATFORMS), createdAt: str() })
  .meta({ id: 'Device' });

export const DeviceListSchema = z.object({ items: z.array(DeviceSchema), nextCursor: z.null() }).meta({ id: 'DeviceList' });

export const NotificationSchema = z
  .object({
    notificationId: str(),
    eventType: z.enum(NOTIFICATION_TYPES),
    at: str(),
    orgId: str(),
    caseNumber: str().optional(),
    severity: str().optional(),
    title: str(),
    /** Left out of restricted (PRIV-1) views. */
    body: str().optional(),
    restricted: z.boolean().optional(),
  })
  .meta({ id: 'Notification' });

export const NotificationListSchema = pageOf(NotificationSchema, 'NotificationList');
