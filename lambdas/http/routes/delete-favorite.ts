/** The route declaration of delete-favorite: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { EmptyBody, FavoriteParams } from '../../schemas/accounts';

export const route = {
  method: 'DELETE',
  path: '/favorites/{kind}/{id}',
  handler: 'delete-favorite',
  permission: 'signedIn',
  table: 'write',
  writes: ['removeFavorite'],
  caseData: false,
  problems: ['/problems/busy'],
  summary: 'Remove a favorite and the case subscription it made, only that (LIST-5); idempotent',
  request: { params: FavoriteParams, body: EmptyBody, bodyOptional: true },
  success: { status: 204 },
} as const satisfies RouteDef;
