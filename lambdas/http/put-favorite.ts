import { addFavorite } from '../domain/access/favorites';
import { httpRoute } from './middleware';
import { route } from './routes/put-favorite';

export const handler = httpRoute(route, async (req) => {
  const { status, body } = await addFavorite(req.deps, req.caller, req.params.kind, req.params.id);
  return { status, body };
});
