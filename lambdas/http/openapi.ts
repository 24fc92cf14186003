/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ProblemSchema } from '../schemas/common';
import { ROUTES, type RouteDef } from './routes';

const problem = { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: ProblemSchema } } };

export const buildOpenApi = () => {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const r of ROUTES as readonly RouteDef[]) {
    registry.registerPath({
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      summary: r.summary,
      security: r.permission === 'public' ? [] : [{ bearer: [] }],
      'x-casework-permission': r.permission,
      request: {
        params: r.request?.params,
        query: r.request?.query,
        ...(r.request?.body ? { body: { content: { 'application/json': { schema: r.request.body } } } } : {}),
      },
      responses: {
        [r.success.status]: {
          description: 'Success',
          ...(r.success.schema ? { content: { 'application/json': { schema: r.success.schema } } } : {}),
        },
        ...(r.permission === 'public' ? {} : { 401: problem, 403: problem }),
        400: problem,
        404: problem,
        500: problem,
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Casework API', version: '1.0.0', description: 'Support cases for customers and analysts.' },
  });
};
