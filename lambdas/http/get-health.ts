import { httpRoute, ok } from './middleware';
import { route } from './routes/get-health';

export const handler = httpRoute(route, async () => ok({ status: 'ok' }));
