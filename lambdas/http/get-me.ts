import { describeMe } from '../domain/access/me';
import { httpRoute, ok } from './middleware';
import { route } from './routes/get-me';

export const handler = httpRoute(route, async ({ caller }) => ok(describeMe(caller!)));
