import { confirmAccessRequest } from '../domain/access-requests';
import { httpRoute, ok } from './middleware';

/** ACC-6: public; the mailed code proves the address, then the approvers hear of it. */
export const handler = httpRoute<{ id: string }, unknown, { code: string }>('POST /access-requests/{id}/confirm', async (req) =>
  ok(await confirmAccessRequest(req.deps, req.params.id, req.body.code)),
);
