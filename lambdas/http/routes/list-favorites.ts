/** The route declaration of list-favorites: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { PageQuery } from '../../schemas/cases';
import { FavoriteListSchema } from '../../schemas/accounts';

export const route = {
  method: 'GET',
  path: '/favorites',
  handler: 'list-favorites',
  permission: 'signedIn',
  table: 'read',
  caseData: true,
  summary: 'Favorite cases and accounts (LIST-5), as the caller may see them now',
  request: { query: PageQuery },
  success: { status: 200, schema: FavoriteListSchema },
} as const satisfies RouteDef;
