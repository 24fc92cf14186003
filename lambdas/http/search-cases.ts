import { search } from '../domain/cases/search';
import type { SearchQuery } from '../schemas/cases';
import { httpRoute, ok } from './middleware';
import { route } from './routes/search-cases';

export const handler = httpRoute<unknown, SearchQuery>(route, async (req) => ok(await search(req.deps, req.caller!, req.query)));
