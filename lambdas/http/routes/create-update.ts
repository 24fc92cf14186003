/** The route declaration of create-update: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams, CreateUpdateBody, UpdateSchema } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/updates',
  handler: 'create-update',
  permission: 'updateCases',
  table: 'write',
  writes: ['appendUpdate', 'saveCase', 'idempotencyRecord'],
  rateLimits: ['updates'],
  caseData: true,
  idempotencyKey: true,
  problems: ['/problems/case-closed', '/problems/busy'],
  summary: 'Add an update; internal visibility is for staff (CASE-6)',
  request: { params: CaseNumberParams, body: CreateUpdateBody },
  success: { status: 201, schema: UpdateSchema, headers: ['location'] },
} as const satisfies RouteDef;
