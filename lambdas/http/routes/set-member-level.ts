/** The route declaration of set-member-level: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { MemberLevelBody, MemberLevelSchema, MemberParams } from '../../schemas/me';

export const route = {
  method: 'PUT',
  path: '/admin/orgs/{orgId}/members/{userId}',
  handler: 'set-member-level',
  permission: 'admin',
  table: 'write',
  writes: ['saveMembership', 'memberCount'],
  caseData: false,
  problems: ['/problems/busy'],
  summary: "A portal admin changes a contact's level; falling under two Designated Contacts records a shortfall event (ACC-5)",
  request: { params: MemberParams, body: MemberLevelBody },
  success: { status: 200, schema: MemberLevelSchema },
} as const satisfies RouteDef;
