/**
 * fast-check arbitraries from the route table's own zod schemas, through their JSON Schema
 * (`z.toJSONSchema`, input side): a schema that changes changes what the fuzz sends, and a new
 * route is fuzzed without anything to add here.
 *
 *   valid(schema)   values the schema should accept (modulo cross-field refinements)
 *   invalid(schema) near misses: one field wrong, missing, or one field too many
 *   anyInput(...)   a mix of both with arbitrary JSON
 */
import fc from 'fast-check';
import { z } from 'zod';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
}

/**
 * The route's schema as JSON Schema, every `$ref` inlined: schemas with an OpenAPI id (`.meta({ id })`)
 * come out as a reference into `$defs`, and the arbitraries below read plain schemas.
 */
export const jsonSchemaOf = (schema: z.core.$ZodType): JsonSchema => {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  const defs = root.$defs ?? {};
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: string }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return inline(defs[ref.slice('#/$defs/'.length)]);
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== '$defs' && k !== '$schema')
        .map(([k, v]) => [k, inline(v)]),
    );
  };
  return inline(root) as JsonSchema;
};

/** Strings a text field may hold, skewed towards the awkward: unicode, control characters, JSON. */
const text = (min = 0, max = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
    fc.string({ minLength: min, maxLength: max, unit: 'binary' }),
  );

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  text(0, 30),
  fc.constant(''),
  fc.constant('__proto__'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

const stringOf = (s: JsonSchema): fc.Arbitrary<string> => {
  if (s.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  const min = s.minLength ?? 0;
  // Long enough to reach the maximum sometimes, without sending 20,000 characters each run.
  const max = Math.min(s.maxLength ?? 60, Math.max(min, 60));
  const base = fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
  return s.maxLength && s.maxLength > max
    ? fc.oneof({ weight: 9, arbitrary: base }, { weight: 1, arbitrary: fc.constant('x'.repeat(s.maxLength)) })
    : base;
};

/** Values `s` accepts. */
export const valid = (s: JsonSchema): fc.Arbitrary<unknown> => {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(valid));
  if (s.allOf) return valid(Object.assign({}, ...s.allOf) as JsonSchema);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringOf(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? valid(s.items) : junk, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 5) });
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const record = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v)]));
      return fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      return junk;
  }
};

/** Values `s` should refuse: a wrong type or range, a missing required field, an unknown field. */
export const invalid = (s: JsonSchema): fc.Arbitrary<unknown> => {
  const props = s.properties ?? {};
  const keys = Object.keys(props);
  if (s.type !== 'object' || keys.length === 0) {
    return fc.oneof(junk, fc.dictionary(text(1, 10), junk, { minKeys: 1, maxKeys: 3 }));
  }
  const base = valid(s) as fc.Arbitrary<Record<string, unknown>>;
  const wrongField = fc.tuple(base, fc.constantFrom(...keys), junk).map(([v, k, bad]) => ({ ...v, [k]: bad }));
  const variants: fc.Arbitrary<unknown>[] = [wrongField];
  if (s.required?.length) {
    variants.push(
      fc.tuple(base, fc.constantFrom(...s.required)).map(([v, k]) => {
        const { [k]: _dropped, ...rest } = v;
        return rest;
      }),
    );
  }
  if (s.additionalProperties === false) {
    variants.push(
      fc
        .tuple(
          base,
          text(1, 12).filter((k) => !(k in props)),
          junk,
        )
        .map(([v, k, extra]) => ({ ...v, [k]: extra })),
    );
  }
  return fc.oneof(...variants);
};

/** Valid, invalid and arbitrary JSON, weighted towards the values that get past validation. */
export const anyInput = (s: JsonSchema): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 5, arbitrary: valid(s) },
    { weight: 4, arbitrary: invalid(s) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );

/**
 * API Gateway hands path and query values over as strings: the same arbitrary with every value
 * stringified, plus junk strings for a key the schema knows.
 */
export const asStrings = (value: unknown): Record<string, string> | undefined => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
};
