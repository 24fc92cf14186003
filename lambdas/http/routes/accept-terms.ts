/** The route declaration of accept-terms: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AcceptTermsBody, TermsAcceptedSchema } from '../../schemas/terms';

export const route = {
  method: 'POST',
  path: '/me/terms',
  handler: 'accept-terms',
  permission: 'signedIn',
  table: 'write',
  writes: ['acceptTerms'],
  caseData: false,
  summary: 'Accept the current Terms (ACC-9)',
  request: { body: AcceptTermsBody },
  success: { status: 200, schema: TermsAcceptedSchema },
} as const satisfies RouteDef;
