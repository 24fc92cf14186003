import { orgsInShortfall } from '../domain/shortfall';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute('GET /admin/orgs/shortfall', async (req) => ok({ items: await orgsInShortfall(req.deps) }));
