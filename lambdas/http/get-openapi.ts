import { httpRoute, ok } from './middleware';
import { buildOpenApi } from './openapi';

let doc: unknown;

export const handler = httpRoute('GET /openapi.json', async () => ok((doc ??= buildOpenApi())));
