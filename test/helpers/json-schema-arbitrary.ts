/**
 * Values from the JSON Schemas of the OpenAPI document (which fastify-type-provider-zod derives
 * from the routes' zod schemas with zod 4's toJSONSchema).
 *
 * ```ts
 * const body = exampleFromSchema(op.requestBody.content['application/json'].schema, { uuid: () => someId });
 * fc.assert(fc.asyncProperty(arbitraryFromSchema(schema, hints), async (v) => { ... }));
 * ```
 *
 * `exampleFromSchema` gives one plausible valid value (required properties only, nullable → null);
 * `arbitraryFromSchema` gives mostly-valid values with edge cases (long/unicode strings, extreme
 * numbers, missing optional fields), mixed by callers with fc.anything() for invalid shapes.
 */
import fc from 'fast-check';
import { CALENDAR_DATE_PATTERN } from '../../src/shared/schemas/common.schema.ts';

export type JsonSchema = Record<string, any>;

export interface SchemaHints {
  /** A uuid for a property named `name` (e.g. an existing organisation id for `orgId`). */
  uuid(name: string | undefined): string;
  /** Extra uuids the arbitrary may pick (ids of existing rows). */
  knownIds?: string[];
}

// Patterns whose example should be a fixed, realistic value rather than a random match (a random
// CalendarDate is valid but may be in 2999, past what period arithmetic can extend).
const KNOWN_PATTERNS: Array<[(pattern: string) => boolean, string]> = [
  [(pattern) => pattern === CALENDAR_DATE_PATTERN, '2026-12-31'],
  [(pattern) => /^\^\\d\{6,12\}\$$/.test(pattern), '410622'],
];

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items || schema.prefixItems) return ['array'];
  return [];
}

function isUuid(schema: JsonSchema): boolean {
  return schema.format === 'uuid';
}

function sampleMatching(pattern: string, minLength = 0, maxLength = 200): string {
  const known = KNOWN_PATTERNS.find(([matches]) => matches(pattern));
  if (known) return known[1];
  const values = fc.sample(
    fc.stringMatching(new RegExp(pattern)).filter((s) => s.length >= minLength && s.length <= maxLength),
    { numRuns: 1, seed: 42 },
  );
  return values[0];
}

/** One plausible, valid value for `schema`. */
export function exampleFromSchema(schema: JsonSchema, hints: SchemaHints, name?: string): unknown {
  if (!schema || typeof schema !== 'object') return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variants: JsonSchema[] | undefined = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const nonNull = variants.find((v) => !(v.type === 'null'));
    // Prefer null where allowed: it never references rows that might not fit.
    if (variants.some((v) => v.type === 'null')) return null;
    return exampleFromSchema(nonNull ?? variants[0], hints, name);
  }
  if (schema.allOf) return exampleFromSchema(schema.allOf[0], hints, name);
  const types = typesOf(schema);
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleFromSchema(schema.properties?.[key] ?? {}, hints, key);
      return out;
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      if (schema.prefixItems) return schema.prefixItems.map((s: JsonSchema) => exampleFromSchema(s, hints, name));
      return Array.from({ length: min }, () => exampleFromSchema(schema.items ?? {}, hints, name));
    }
    case 'string': {
      if (isUuid(schema)) return hints.uuid(name);
      if (schema.format === 'date-time') return '2026-11-28T00:00:00.000Z';
      if (schema.format === 'email') return 'someone@example.org';
      if (schema.pattern) return sampleMatching(schema.pattern, schema.minLength, schema.maxLength);
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    }
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

const EDGE_STRINGS = ['', ' ', '\u0000', '市住建局', '<script>alert(1)</script>', "' or 1=1 --", '%_\\', '😀'.repeat(3), 'a'.repeat(1000)];

function stringArb(schema: JsonSchema, hints: SchemaHints, name?: string): fc.Arbitrary<string> {
  if (isUuid(schema)) {
    return fc.oneof(
      fc.constantFrom(hints.uuid(name), ...(hints.knownIds ?? [])),
      fc.uuid(),
      fc.constant('00000000-0000-4000-8000-000000000000'),
    );
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 300, 300);
  const base = schema.pattern
    ? fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity))
    : fc.oneof(fc.string({ minLength, maxLength, unit: 'grapheme' }), fc.string({ minLength, maxLength, unit: 'binary' }));
  return fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS) });
}

function numberArb(schema: JsonSchema, isInteger: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : undefined);
  const valid = isInteger
    ? fc.integer({ min: Math.max(min ?? -1e6, Number.MIN_SAFE_INTEGER), max: Math.min(max ?? 1e6, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min: min ?? -1e9, max: max ?? 1e9, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 1, 1.5, 1e308, -1e308, 2 ** 53, 5e-324) },
  );
}

/** Mostly-valid values for `schema`, with edge cases. */
export function arbitraryFromSchema(schema: JsonSchema, hints: SchemaHints, name?: string, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object' || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const variants: JsonSchema[] | undefined = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => arbitraryFromSchema(v, hints, name, depth + 1)));
  if (schema.allOf) return arbitraryFromSchema(schema.allOf[0], hints, name, depth + 1);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((ty) => arbitraryFromSchema({ ...schema, type: ty }, hints, name, depth + 1)));
  switch (types[0]) {
    case 'object': {
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries<JsonSchema>(schema.properties ?? {}))
        props[key] = arbitraryFromSchema(sub, hints, key, depth + 1);
      const required = (schema.required ?? []) as string[];
      return fc.record(props, { requiredKeys: required.filter((k) => k in props) });
    }
    case 'array': {
      const item = schema.items ? arbitraryFromSchema(schema.items, hints, name, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((s: JsonSchema) => arbitraryFromSchema(s, hints, name, depth + 1)));
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.min(schema.maxItems ?? 5, Math.max(minLength, 5)) });
    }
    case 'string':
      return stringArb(schema, hints, name);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
