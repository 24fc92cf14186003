import { removeFavorite } from '../domain/access/favorites';
import { httpRoute } from './middleware';
import { route } from './routes/delete-favorite';

export const handler = httpRoute(route, async (req) => {
  await removeFavorite(req.deps, req.caller, req.params.kind, req.params.id);
  return { status: 204 };
});
