/** The route declaration of ingest-incidents: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { IncidentBatch, IngestReportSchema } from '../../schemas/monitoring';

export const route = {
  method: 'POST',
  path: '/ingest/incidents',
  handler: 'ingest-incidents',
  permission: 'ingest',
  table: 'write',
  writes: ['monitoringRecord'],
  caseData: false,
  summary: "Monitoring sends up to 100 cloud incidents; idempotent by source id; 200 with each entry's outcome (ALARM-2)",
  request: { body: IncidentBatch },
  success: { status: 200, schema: IngestReportSchema, noPersonalData: true },
} as const satisfies RouteDef;
