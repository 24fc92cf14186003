import { removeFavorite } from '../domain/favorites';
import type { FavoriteParams } from '../schemas/accounts';
import { httpRoute } from './middleware';

export const handler = httpRoute<FavoriteParams>('DELETE /favorites/{kind}/{id}', async (req) => {
  await removeFavorite(req.deps, req.caller!, req.params.kind, req.params.id);
  return { status: 204 };
});
