// A namespace import, in every schema module: esbuild then keeps only the zod a bundle uses
// (`import { z }` keeps all of it, every locale included). Metadata is zod's own `.meta()`,
// which the OpenAPI generator reads; extending zod with `.openapi()` would put
// @asteasolutions/zod-to-openapi into every handler's bundle.
import * as z from 'zod';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const LimitSchema = z.coerce.number().int().min(1).max(100).default(25);
export const CursorSchema = z.string().max(4096).optional();

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id: name });
