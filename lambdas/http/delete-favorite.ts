import { removeFavorite } from '../domain/access/favorites';
import type { FavoriteParams } from '../schemas/accounts';
import { httpRoute } from './middleware';
import { route } from './routes/delete-favorite';

export const handler = httpRoute<FavoriteParams>(route, async (req) => {
  await removeFavorite(req.deps, req.caller!, req.params.kind, req.params.id);
  return { status: 204 };
});
