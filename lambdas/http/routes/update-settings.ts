/** The route declaration of update-settings: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { SettingsBody } from '../../schemas/me';

export const route = {
  method: 'PATCH',
  path: '/me/settings',
  handler: 'update-settings',
  permission: 'signedIn',
  table: 'write',
  writes: ['updateSettings', 'settingsMirror'],
  caseData: false,
  summary: 'Notification toggles and default list (NOTE-4); name, email, time zone are not editable',
  request: { body: SettingsBody },
  success: { status: 200 },
} as const satisfies RouteDef;
