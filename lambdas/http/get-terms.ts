import { currentTerms } from '../domain/terms';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute('GET /terms', async () => ok(currentTerms()));
