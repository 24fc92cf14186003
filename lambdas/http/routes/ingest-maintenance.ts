/** The route declaration of ingest-maintenance: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { IngestReportSchema, MaintenanceBatch } from '../../schemas/monitoring';

export const route = {
  method: 'POST',
  path: '/ingest/maintenance',
  handler: 'ingest-maintenance',
  permission: 'ingest',
  table: 'write',
  writes: ['monitoringRecord'],
  caseData: false,
  summary: "Monitoring sends up to 100 maintenance alerts; idempotent by source id; 200 with each entry's outcome (ALARM-2)",
  request: { body: MaintenanceBatch },
  success: { status: 200, schema: IngestReportSchema, noPersonalData: true },
} as const satisfies RouteDef;
