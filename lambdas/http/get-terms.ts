import { currentTerms } from '../domain/access/terms';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-terms';

export const handler = httpRoute(route, async () => ok(currentTerms()));
