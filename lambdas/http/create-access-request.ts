import { openAccessRequest } from '../domain/access/access-requests';
import type { CreateAccessRequestBody } from '../schemas/access-requests';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';
import { route } from './routes/create-access-request';

/** ACC-6: public (no token); mails a one-time code to the address. */
export const handler = httpRoute<unknown, unknown, CreateAccessRequestBody>(route, async (req) => {
  const res = await openAccessRequest(req.deps, req.body, req.sourceIp, req.idempotency);
  return { status: res.status, body: res.body, headers: replayedHeader(res) };
});
