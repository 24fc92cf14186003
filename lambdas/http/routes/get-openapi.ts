/** The route declaration of get-openapi: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';

export const route = {
  method: 'GET',
  path: '/openapi.json',
  handler: 'get-openapi',
  permission: 'public',
  table: 'none',
  caseData: false,
  summary: 'OpenAPI 3.1 document generated from the route table',
  success: { status: 200, noPersonalData: true },
} as const satisfies RouteDef;
