/** The route declaration of set-contract-status: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { ContractChangedSchema, ContractParams, ContractStatusBody } from '../../schemas/directory';

export const route = {
  method: 'PUT',
  path: '/admin/contracts/{contractId}',
  handler: 'set-contract-status',
  permission: 'admin',
  table: 'write',
  writes: ['saveCombination'],
  caseData: false,
  problems: ['/problems/busy'],
  summary:
    'A portal admin terminates or reinstates a contract: levels follow at once (ACC-4); falling under two Designated Contacts records a shortfall event (ACC-5)',
  request: { params: ContractParams, body: ContractStatusBody },
  success: { status: 200, schema: ContractChangedSchema },
} as const satisfies RouteDef;
