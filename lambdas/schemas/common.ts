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

const PLAIN_DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOrTime = (endOfDay: boolean) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((v) => (PLAIN_DAY.test(v) ? `${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : new Date(v).toISOString()))
    .meta({ description: 'An ISO 8601 time, or a plain day (2026-01-01, taken in UTC)', example: '2026-01-01' });

/**
 * LIST-3, LIST-4 (issue 21): a range's bounds as an ISO time or a plain day; a plain `from` day
 * starts at its first millisecond and a plain `to` day ends at its last (UTC), so
 * `from=2026-01-01&to=2026-01-31` is all of January.
 */
export const FromSchema = dayOrTime(false);
export const ToSchema = dayOrTime(true);

/** Comma-separated values of an enum (`severity=high,critical`), each checked, none repeated. */
export const enumList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()))])
    .pipe(z.array(z.enum(values)).min(1))
    .meta({ description: `One or more of ${values.join(', ')}, comma-separated`, example: values.slice(0, 2).join(',') });

export const LimitSchema = z.coerce.number().int().min(1).max(100).default(25);
export const CursorSchema = z.string().max(4096).optional();

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id: name });
