/** The route declaration of put-favorite: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { EmptyBody, FavoriteParams, FavoriteSchema } from '../../schemas/accounts';

export const route = {
  method: 'PUT',
  path: '/favorites/{kind}/{id}',
  handler: 'put-favorite',
  permission: 'signedIn',
  table: 'write',
  writes: ['addFavorite'],
  caseData: true,
  problems: ['/problems/favorites-limit', '/problems/busy'],
  summary: 'Add a favorite (201; 200 if it already was one); at most 20: 409 /problems/favorites-limit (LIST-5)',
  request: { params: FavoriteParams, body: EmptyBody, bodyOptional: true },
  success: { status: 201, schema: FavoriteSchema, alsoStatus: [200] },
} as const satisfies RouteDef;
