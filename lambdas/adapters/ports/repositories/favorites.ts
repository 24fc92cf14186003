/** Repository `favorites` (lambdas/data/favorite-repo.ts), for a function whose code reaches `deps.favorites`. */
import { favoriteRepo } from '../../../data/favorite-repo';
import { installPorts } from '../../deps';

installPorts({ repositories: { favorites: favoriteRepo } });
