import { reopenCase } from '../domain/case-changes';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ caseNumber: string }, unknown, { reason?: string } | undefined>(
  'POST /cases/{caseNumber}/reopen',
  async (req) => ok(await reopenCase(req.deps, req.caller!, req.params.caseNumber, req.body?.reason)),
);
