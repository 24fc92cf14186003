import { ALARM_SEVERITY_FILTERS, LEVELS } from '../domain/kernel/types';
import * as z from 'zod';
import { str } from './common';

/** NOTE-2 toggles: `personalCases` (the cases one opened), `alarms`, `maintenance`, and the channels `email`, `push`. */
export const SettingsSchema = z
  .object({
    defaultList: z.enum(['all', 'mine']),
    notifications: z.object({
      personalCases: z.boolean(),
      alarms: z.boolean(),
      maintenance: z.boolean(),
      email: z.boolean(),
      push: z.boolean(),
    }),
    alarms: z.object({ severity: z.enum(ALARM_SEVERITY_FILTERS), excludeOrigins: z.array(str()) }),
  })
  .meta({ id: 'Settings' });

export const MeSchema = z
  .object({
    userId: str(),
    email: str(),
    name: str(),
    timeZone: str(),
    client: z.enum(['web', 'mobile', 'machine']),
    memberships: z.array(
      z.object({
        orgId: str(),
        orgName: str(),
        level: z.enum(LEVELS),
        via: str(),
        approver: z.boolean(),
      }),
    ),
    staff: z.object({ role: str(), region: str(), supportGroups: z.array(str()) }).nullable(),
    termsAccepted: z.boolean(),
    settings: SettingsSchema,
  })
  .meta({ id: 'Me' });

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ShortfallListSchema = z
  .object({
    items: z.array(
      z.object({
        orgId: str(),
        orgName: str(),
        designatedContacts: z.number().int(),
        required: z.number().int(),
        approvers: z.array(str()).optional(),
        restricted: z.boolean().optional(),
      }),
    ),
  })
  .meta({ id: 'ShortfallList' });

const AlarmFilterBody = z.strictObject({
  severity: z.enum(ALARM_SEVERITY_FILTERS).optional(),
  /** Origins to leave out; replaces the list. */
  excludeOrigins: z.array(str().trim().min(1).max(200)).max(100).optional(),
});

/** NOTE-4: shown by GET /me, not editable here; each is refused with 400 naming it. */
const NOT_EDITABLE = ['name', 'email', 'timeZone'] as const;

export const SettingsBody = z
  .strictObject({
    defaultList: z.enum(['all', 'mine']).optional(),
    notifications: z
      .strictObject({
        personalCases: z.boolean().optional(),
        alarms: z.boolean().optional(),
        maintenance: z.boolean().optional(),
        email: z.boolean().optional(),
        push: z.boolean().optional(),
      })
      .optional(),
    alarms: AlarmFilterBody.optional(),
    // Declared so that each gets its own message instead of "is not a field of this request".
    name: z.unknown().optional().meta({ description: 'Not editable (NOTE-4): refused with 400' }),
    email: z.unknown().optional().meta({ description: 'Not editable (NOTE-4): refused with 400' }),
    timeZone: z.unknown().optional().meta({ description: 'Not editable (NOTE-4): refused with 400' }),
  })
  .superRefine((body, ctx) => {
    for (const field of NOT_EDITABLE) {
      if (body[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message:
            field === 'timeZone'
              ? 'is not editable: the time zone comes from the customer record (NOTE-4)'
              : `is not editable by the user (NOTE-4)`,
        });
      }
    }
  })
  .transform(({ name: _n, email: _e, timeZone: _t, ...change }) => change)
  .meta({ id: 'SettingsChange' });
export type SettingsBody = z.output<typeof SettingsBody>;

export const MemberParams = z.strictObject({
  orgId: str().min(1).max(64),
  userId: str().min(1).max(64),
});
export const MemberLevelBody = z.strictObject({ level: z.enum(LEVELS) }).meta({ id: 'MemberLevel' });
export const MemberLevelSchema = z
  .object({
    membership: z.object({
      userId: str(),
      orgId: str(),
      soldToOrgId: str(),
      level: z.enum(LEVELS),
      via: str(),
    }),
    designatedContacts: z.number().int(),
    shortfall: z.boolean(),
  })
  .meta({ id: 'MemberLevelChanged' });
