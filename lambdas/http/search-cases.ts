import { search } from '../domain/cases/search';
import { httpRoute, ok } from './middleware';
import { route } from './routes/search-cases';

export const handler = httpRoute(route, async (req) => ok(await search(req.deps, req.caller, req.query)));
