/** The route declaration of list-accounts: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AccountListSchema, AccountsQuery } from '../../schemas/accounts';

export const route = {
  method: 'GET',
  path: '/accounts',
  handler: 'list-accounts',
  permission: 'signedIn',
  table: 'read',
  caseData: false,
  summary: 'Organisations the caller may see; q keeps names starting with it (case-insensitive)',
  request: { query: AccountsQuery },
  success: { status: 200, schema: AccountListSchema },
} as const satisfies RouteDef;
