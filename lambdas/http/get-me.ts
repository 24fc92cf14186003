import { describeMe } from '../domain/me';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute('GET /me', async ({ caller }) => ok(describeMe(caller!)));
