import { LEVELS } from '../domain/types';
import { z } from './common';

export const MeSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    timeZone: z.string(),
    client: z.enum(['web', 'mobile', 'machine']),
    memberships: z.array(
      z.object({
        orgId: z.string(),
        orgName: z.string(),
        level: z.enum(LEVELS),
        via: z.string(),
        approver: z.boolean(),
      }),
    ),
    staff: z.object({ role: z.string(), region: z.string(), supportGroups: z.array(z.string()) }).nullable(),
    termsAccepted: z.boolean(),
    settings: z.object({ defaultList: z.enum(['all', 'mine']), notifications: z.record(z.string(), z.boolean()) }),
  })
  .openapi('Me');

export const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

export const ShortfallListSchema = z
  .object({
    items: z.array(
      z.object({
        orgId: z.string(),
        orgName: z.string(),
        designatedContacts: z.number().int(),
        required: z.number().int(),
        approvers: z.array(z.string()),
      }),
    ),
  })
  .openapi('ShortfallList');

export const SettingsBody = z
  .strictObject({
    defaultList: z.enum(['all', 'mine']).optional(),
    notifications: z.record(z.string().regex(/^[a-zA-Z]{1,40}$/), z.boolean()).optional(),
  })
  .openapi('SettingsChange');
export type SettingsBody = z.infer<typeof SettingsBody>;

export const MemberParams = z.strictObject({
  orgId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64),
});
export const MemberLevelBody = z.strictObject({ level: z.enum(LEVELS) }).openapi('MemberLevel');
export const MemberLevelSchema = z
  .object({
    membership: z.object({
      userId: z.string(),
      orgId: z.string(),
      soldToOrgId: z.string(),
      level: z.enum(LEVELS),
      via: z.string(),
    }),
    designatedContacts: z.number().int(),
    shortfall: z.boolean(),
  })
  .openapi('MemberLevelChanged');
