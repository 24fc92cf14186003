import { openAccessRequest } from '../domain/access/access-requests';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute } from './middleware';
import { replayedHeader } from './replayed';
import { route } from './routes/create-access-request';

/** ACC-6: public (no token); mails a one-time code to the address. */
export const handler = httpRoute(route, async (req) => {
  const res = await openAccessRequest(req.deps, req.body, req.sourceIp, req.idempotency);
  // The receipt echoes what the requester sent, to them (the code itself goes by mail only).
  return { status: res.status, body: renderFor('http', 'self', res.body), headers: replayedHeader(res) };
});
