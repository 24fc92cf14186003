import * as z from 'zod/mini';
import { meta } from './common';

// Its own module: GET /health's bundle builds this schema alone, not every schema of ./me.
export const HealthSchema = meta(z.object({ status: z.literal('ok') }), { id: 'Health' });
