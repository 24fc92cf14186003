import { acceptTerms } from '../domain/terms';
import type { AcceptTermsBody } from '../schemas/terms';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<unknown, unknown, AcceptTermsBody>('POST /me/terms', async (req) =>
  ok(await acceptTerms(req.deps, req.caller!, req.body.version)),
);
