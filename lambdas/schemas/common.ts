// zod's mini build, in every schema module: a classic schema object carries every method of its
// type, so even one schema kept about 90 KB of zod in each handler's bundle; mini schemas are
// plain objects checked by functions (`.check(z.minLength(1))`, `z.optional(...)`), and esbuild
// keeps only the functions a bundle calls. Same core, so the same parsing, issues and JSON Schema.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

// The classic build sets zod's English messages when it loads; mini leaves them to the caller.
// Field errors in problem+json carry these messages (API.md).
z.config(en());

/**
 * OpenAPI metadata (`id`, `description`, `example`) in zod's global registry, on a copy of the
 * schema as classic zod's `.meta()` does: lambdas/http/openapi.ts reads it through `z.toJSONSchema`.
 */
export const meta = <T extends z.ZodMiniType>(schema: T, data: z.core.GlobalMeta): T => {
  const copy = schema.clone();
  z.globalRegistry.add(copy, data);
  return copy;
};

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
  z.string().check(z.refine(isWellFormed, { message: 'must be well-formed Unicode text (no lone surrogates)', abort: true }));

/** A JSON integer (a safe one). */
export const int = () => z.number().check(z.int());

export const ProblemSchema = meta(
  z.object({
    type: str(),
    title: str(),
    status: int(),
    detail: str(),
    errors: z.optional(z.array(z.object({ path: str(), message: str() }))),
  }),
  { id: 'Problem' },
);

const PLAIN_DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOrTime = (endOfDay: boolean) =>
  meta(
    z.pipe(
      z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
      z.transform((v: string) =>
        PLAIN_DAY.test(v) ? `${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : new Date(v).toISOString(),
      ),
    ),
    { description: 'An ISO 8601 time, or a plain day (2026-01-01, taken in UTC)', example: '2026-01-01' },
  );

/**
 * LIST-3, LIST-4: a range's bounds as an ISO time or a plain day; a plain `from` day
 * starts at its first millisecond and a plain `to` day ends at its last (UTC), so
 * `from=2026-01-01&to=2026-01-31` is all of January.
 */
export const FromSchema = dayOrTime(false);
export const ToSchema = dayOrTime(true);

/** Comma-separated values of an enum (`severity=high,critical`), each checked, none repeated. */
export const enumList = <T extends readonly [string, ...string[]]>(values: T) =>
  meta(
    z.pipe(
      z.pipe(
        str(),
        z.transform((v: string) => [...new Set(v.split(',').map((s) => s.trim()))]),
      ),
      z.array(z.enum(values)).check(z.minLength(1)),
    ),
    { description: `One or more of ${values.join(', ')}, comma-separated`, example: values.slice(0, 2).join(',') },
  );

export const LimitSchema = z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25);
export const CursorSchema = z.optional(str().check(z.maxLength(4096)));

export const pageOf = <T extends z.ZodMiniType>(item: T, name: string) =>
  meta(z.object({ items: z.array(item), nextCursor: z.nullable(str()) }), { id: name });
