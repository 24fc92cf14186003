/** The route declaration of get-terms: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { TermsSchema } from '../../schemas/terms';

export const route = {
  method: 'GET',
  path: '/terms',
  handler: 'get-terms',
  permission: 'public',
  table: 'none',
  caseData: false,
  summary: 'The Terms and Conditions in force (ACC-9)',
  success: { status: 200, schema: TermsSchema, noPersonalData: true },
} as const satisfies RouteDef;
