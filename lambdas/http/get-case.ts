import { getCase } from '../domain/cases/cases';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-case';

export const handler = httpRoute(route, async (req) => {
  const c = await getCase(req.deps, req.caller, req.params.caseNumber);
  return { ...ok(c), headers: { etag: `"${c.version}"` } };
});
