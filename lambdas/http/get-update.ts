import { getUpdate } from '../domain/cases/cases';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-update';

export const handler = httpRoute(route, async (req) =>
  ok(await getUpdate(req.deps, req.caller, req.params.caseNumber, req.params.updateId)),
);
