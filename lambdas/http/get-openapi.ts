import { httpRoute, ok } from './middleware';
import { buildOpenApi } from './openapi';
import { route } from './routes/get-openapi';

let doc: unknown;

export const handler = httpRoute(route, async () => ok((doc ??= buildOpenApi())));
