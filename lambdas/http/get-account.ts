import { getAccount } from '../domain/accounts';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ orgId: string }>('GET /accounts/{orgId}', async (req) =>
  ok(await getAccount(req.deps, req.caller!, req.params.orgId)),
);
