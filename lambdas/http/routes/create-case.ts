/** The route declaration of create-case: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseSchema, CreateCaseBody } from '../../schemas/cases';

export const route = {
  method: 'POST',
  path: '/cases',
  handler: 'create-case',
  permission: 'createCases',
  table: 'write',
  writes: ['nextCaseNumber', 'createCase'],
  rateLimits: ['cases'],
  caseData: true,
  idempotencyKey: true,
  // A replay re-reads the case through the caller's current access.
  problems: ['/problems/not-found'],
  summary: 'Open a case (CASE-1..3); honours Idempotency-Key',
  request: { body: CreateCaseBody },
  success: { status: 201, schema: CaseSchema, headers: ['location'] },
} as const satisfies RouteDef;
