import { addUpdate } from '../domain/case-changes';
import type { CreateUpdateBody } from '../schemas/cases';
import { httpRoute } from './middleware';

export const handler = httpRoute<{ caseNumber: string }, unknown, CreateUpdateBody>(
  'POST /cases/{caseNumber}/updates',
  async (req) => {
    const u = await addUpdate(req.deps, req.caller!, req.params.caseNumber, req.body);
    return { status: 201, body: u, headers: { location: `/cases/${u.caseNumber}/updates/${u.updateId}` } };
  },
);
