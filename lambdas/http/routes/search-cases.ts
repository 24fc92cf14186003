/** The route declaration of search-cases: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { SearchQuery, SearchResultSchema } from '../../schemas/cases';

export const route = {
  method: 'GET',
  path: '/search',
  handler: 'search-cases',
  permission: 'readCases',
  table: 'read',
  caseData: true,
  summary: 'Cases by number and organisations by name prefix, created within from/to (default: past year) (LIST-4)',
  request: { query: SearchQuery },
  success: { status: 200, schema: SearchResultSchema },
} as const satisfies RouteDef;
