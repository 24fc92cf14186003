import { setContractStatus } from '../domain/access/directory';
import { httpRoute, ok } from './middleware';
import { route } from './routes/set-contract-status';

export const handler = httpRoute(route, async (req) =>
  ok(await setContractStatus(req.deps, req.caller, req.params.contractId, req.body.status)),
);
