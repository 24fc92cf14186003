import { httpRoute, ok } from './middleware';

export const handler = httpRoute('GET /health', async () => ok({ status: 'ok' }));
