// A namespace import, in every schema module: esbuild then keeps only the zod a bundle uses
// (`import { z }` keeps all of it, every locale included). Metadata is zod's own `.meta()`,
// which the OpenAPI generator reads; extending zod with `.openapi()` would put
// @asteasolutions/zod-to-openapi into every handler's bundle.
import * as z from 'zod';

/**
 * Every string of every schema. A string that is not well-formed UTF-16 (a lone
 * surrogate such as "\ud800") cannot be written as valid UTF-8 JSON: stored, it would break
 * strict JSON clients of everyone who later reads it (GET /me, /search, updates). Refused with a
 * 400 that names the field.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** String.prototype.isWellFormed (Node 20+, ES2024) spelled out, so the compiler's lib need not be ES2024. */
export const isWellFormed = (v: string): boolean => !LONE_SURROGATE.test(v);

export const str = () =>
  z.string().refine(isWellFormed, { message: 'must be well-formed Unicode text (no lone surrogates)', abort: true });

export const ProblemSchema = z
  .object({
    type: str(),
    title: str(),
    status: z.number().int(),
    detail: str(),
    errors: z.array(z.object({ path: str(), message: str() })).optional(),
  })
  .meta({ id: 'Problem' });

const PLAIN_DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOrTime = (endOfDay: boolean) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((v) => (PLAIN_DAY.test(v) ? `${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : new Date(v).toISOString()))
    .meta({ description: 'An ISO 8601 time, or a plain day (2026-01-01, taken in UTC)', example: '2026-01-01' });

/**
 * LIST-3, LIST-4: a range's bounds as an ISO time or a plain day; a plain `from` day
 * starts at its first millisecond and a plain `to` day ends at its last (UTC), so
 * `from=2026-01-01&to=2026-01-31` is all of January.
 */
export const FromSchema = dayOrTime(false);
export const ToSchema = dayOrTime(true);

/** Comma-separated values of an enum (`severity=high,critical`), each checked, none repeated. */
export const enumList = <T extends readonly [string, ...string[]]>(values: T) =>
  str()
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()))])
    .pipe(z.array(z.enum(values)).min(1))
    .meta({ description: `One or more of ${values.join(', ')}, comma-separated`, example: values.slice(0, 2).join(',') });

export const LimitSchema = z.coerce.number().int().min(1).max(100).default(25);
export const CursorSchema = str().max(4096).optional();

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: str().nullable() }).meta({ id: name });
