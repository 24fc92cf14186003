/** The route declaration of get-health: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { HealthSchema } from '../../schemas/health';

export const route = {
  method: 'GET',
  path: '/health',
  handler: 'get-health',
  permission: 'public',
  table: 'none',
  caseData: false,
  summary: 'Liveness',
  success: { status: 200, schema: HealthSchema, noPersonalData: true },
} as const satisfies RouteDef;
