import { describeMe } from '../domain/access/me';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-me';

export const handler = httpRoute(route, async ({ caller }) => ok(renderFor('http', 'self', describeMe(caller))));
