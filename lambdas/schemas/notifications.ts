/** NOTE-1, NOTE-3: the inbox and push devices. */
import { NOTIFICATION_TYPES } from '../domain/notifications/notifications';
import * as z from 'zod/mini';
import { meta, pageOf, str } from './common';

export const PUSH_PLATFORMS = ['apns', 'fcm'] as const;

export const DeviceBody = meta(
  z.strictObject({
    platform: z.enum(PUSH_PLATFORMS),
    /** The APNs device token or FCM registration token, as the platform issued it. */
    token: str().check(
      z.regex(/^[\x21-\x7e]{1,4096}$/, 'must be the token the platform issued (1-4096 visible ASCII characters)'),
    ),
  }),
  { id: 'DeviceRegistration' },
);
export type DeviceBody = z.infer<typeof DeviceBody>;

export const DeviceParams = z.strictObject({
  deviceId: str().check(z.regex(/^[A-Za-z0-9_-]{22}$/, 'must be a device id')),
});
export type DeviceParams = z.infer<typeof DeviceParams>;

export const DeviceSchema = meta(z.object({ deviceId: str(), platform: z.enum(PUSH_PLATFORMS), createdAt: str() }), {
  id: 'Device',
});

export const DeviceListSchema = meta(z.object({ items: z.array(DeviceSchema), nextCursor: z.null() }), { id: 'DeviceList' });

export const NotificationSchema = meta(
  z.object({
    notificationId: str(),
    eventType: z.enum(NOTIFICATION_TYPES),
    at: str(),
    orgId: str(),
    caseNumber: z.optional(str()),
    severity: z.optional(str()),
    title: str(),
    /** Left out of restricted (PRIV-1) views. */
    body: z.optional(str()),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'Notification' },
);

export const NotificationListSchema = pageOf(NotificationSchema, 'NotificationList');
