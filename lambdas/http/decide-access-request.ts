import { decideAccessRequest, type DecisionInput } from '../domain/access-requests';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ id: string }, unknown, DecisionInput>('POST /access-requests/{id}/decision', async (req) =>
  ok(await decideAccessRequest(req.deps, req.caller!, req.params.id, req.body, req.idempotency)),
);
