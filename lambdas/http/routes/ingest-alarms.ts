/** The route declaration of ingest-alarms: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AlarmBatch, IngestReportSchema } from '../../schemas/monitoring';

export const route = {
  method: 'POST',
  path: '/ingest/alarms',
  handler: 'ingest-alarms',
  permission: 'ingest',
  table: 'write',
  writes: ['monitoringRecord'],
  caseData: false,
  summary: "Monitoring sends up to 100 alarms; idempotent by source id; 200 with each entry's outcome (ALARM-1)",
  request: { body: AlarmBatch },
  success: { status: 200, schema: IngestReportSchema, noPersonalData: true },
} as const satisfies RouteDef;
