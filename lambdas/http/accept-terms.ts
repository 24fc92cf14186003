import { acceptTerms } from '../domain/access/terms';
import type { AcceptTermsBody } from '../schemas/terms';
import { httpRoute, ok } from './middleware';
import { route } from './routes/accept-terms';

export const handler = httpRoute<unknown, unknown, AcceptTermsBody>(route, async (req) =>
  ok(await acceptTerms(req.deps, req.caller!, req.body.version)),
);
