import { search } from '../domain/search';
import type { SearchQuery } from '../schemas/cases';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<unknown, SearchQuery>('GET /search', async (req) =>
  ok(await search(req.deps, req.caller!, req.query)),
);
