import { acceptTerms } from '../domain/access/terms';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute, ok } from './middleware';
import { route } from './routes/accept-terms';

export const handler = httpRoute(route, async (req) =>
  ok(renderFor('http', 'self', await acceptTerms(req.deps, req.caller, req.body.version))),
);
