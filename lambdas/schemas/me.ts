import { ALARM_SEVERITY_FILTERS, LEVELS } from '../domain/kernel/types';
import * as z from 'zod/mini';
import { int, meta, str } from './common';

/** NOTE-2 toggles: `personalCases` (the cases one opened), `alarms`, `maintenance`, and the channels `email`, `push`. */
export const SettingsSchema = meta(
  z.object({
    defaultList: z.enum(['all', 'mine']),
    notifications: z.object({
      personalCases: z.boolean(),
      alarms: z.boolean(),
      maintenance: z.boolean(),
      email: z.boolean(),
      push: z.boolean(),
    }),
    alarms: z.object({ severity: z.enum(ALARM_SEVERITY_FILTERS), excludeOrigins: z.array(str()) }),
  }),
  { id: 'Settings' },
);

export const MeSchema = meta(
  z.object({
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
    staff: z.nullable(z.object({ role: str(), region: str(), supportGroups: z.array(str()) })),
    termsAccepted: z.boolean(),
    settings: SettingsSchema,
  }),
  { id: 'Me' },
);

export const ShortfallListSchema = meta(
  z.object({
    items: z.array(
      z.object({
        orgId: str(),
        orgName: str(),
        designatedContacts: int(),
        required: int(),
        approvers: z.optional(z.array(str())),
        restricted: z.optional(z.boolean()),
      }),
    ),
  }),
  { id: 'ShortfallList' },
);

const AlarmFilterBody = z.strictObject({
  severity: z.optional(z.enum(ALARM_SEVERITY_FILTERS)),
  /** Origins to leave out; replaces the list. */
  excludeOrigins: z.optional(z.array(str().check(z.trim(), z.minLength(1), z.maxLength(200))).check(z.maxLength(100))),
});

/** NOTE-4: shown by GET /me, not editable here; each is refused with 400 naming it. */
const NOT_EDITABLE = ['name', 'email', 'timeZone'] as const;

const notEditable = () => meta(z.optional(z.unknown()), { description: 'Not editable (NOTE-4): refused with 400' });

export const SettingsBody = meta(
  z.pipe(
    z
      .strictObject({
        defaultList: z.optional(z.enum(['all', 'mine'])),
        notifications: z.optional(
          z.strictObject({
            personalCases: z.optional(z.boolean()),
            alarms: z.optional(z.boolean()),
            maintenance: z.optional(z.boolean()),
            email: z.optional(z.boolean()),
            push: z.optional(z.boolean()),
          }),
        ),
        alarms: z.optional(AlarmFilterBody),
        // Declared so that each gets its own message instead of "is not a field of this request".
        name: notEditable(),
        email: notEditable(),
        timeZone: notEditable(),
      })
      .check(
        z.superRefine((body, ctx) => {
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
        }),
      ),
    z.transform(({ name: _n, email: _e, timeZone: _t, ...change }) => change),
  ),
  { id: 'SettingsChange' },
);
export type SettingsBody = z.output<typeof SettingsBody>;

export const MemberParams = z.strictObject({
  orgId: str().check(z.minLength(1), z.maxLength(64)),
  userId: str().check(z.minLength(1), z.maxLength(64)),
});
export const MemberLevelBody = meta(z.strictObject({ level: z.enum(LEVELS) }), { id: 'MemberLevel' });
export const MemberLevelSchema = meta(
  z.object({
    membership: z.object({
      userId: str(),
      orgId: str(),
      soldToOrgId: str(),
      level: z.enum(LEVELS),
      via: str(),
    }),
    designatedContacts: int(),
    shortfall: z.boolean(),
  }),
  { id: 'MemberLevelChanged' },
);
