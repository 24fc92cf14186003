import { requestClosure } from '../domain/case-changes';
import { httpRoute } from './middleware';

export const handler = httpRoute<{ caseNumber: string }, unknown, { reason?: string } | undefined>(
  'POST /cases/{caseNumber}/closure-request',
  async (req) => ({ status: 201, body: await requestClosure(req.deps, req.caller!, req.params.caseNumber, req.body?.reason) }),
);
