import { orgsInShortfall } from '../domain/shortfall';
import { httpRoute, ok } from './middleware';
import { route } from './routes/list-shortfall';

export const handler = httpRoute(route, async (req) => ok({ items: await orgsInShortfall(req.deps) }));
