import { getCase } from '../domain/cases';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ caseNumber: string }>('GET /cases/{caseNumber}', async (req) => {
  const c = await getCase(req.deps, req.caller!, req.params.caseNumber);
  return { ...ok(c), headers: { etag: `"${c.version}"` } };
});
