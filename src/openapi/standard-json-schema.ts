/**
 * Standard Schema validators (Zod, Valibot, ArkType, ...) in the document, through the Standard
 * JSON Schema interface (https://standardschema.dev/json-schema) where the library implements it:
 * `schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' })`, the JSON Schema of what
 * the client sends — OpenAPI 3.1's own dialect. Zod 4 has it; a library without it gives `{}`
 * (any value), as the document cannot say more than the library does.
 */
import type { StandardSchemaV1 } from '../validation/standard-schema';
import type { SchemaObject } from './openapi-types';

/** The JSON Schema export of Standard JSON Schema v1, as far as the document reads it. */
interface JsonSchemaConverter {
  input(options: { target: 'draft-2020-12' }): Record<string, unknown>;
}

/**
 * The input JSON Schema of `validator` with its `$schema` dropped (the document sets the
 * dialect), or null when the library does not export one.
 */
export function standardJsonSchema(validator: StandardSchemaV1): SchemaObject | null {
  const converter = (validator['~standard'] as { jsonSchema?: Partial<JsonSchemaConverter> }).jsonSchema;
  if (converter === undefined || converter === null || typeof converter.input !== 'function') return null;
  const { $schema: _dialect, ...schema } = converter.input({ target: 'draft-2020-12' });
  return schema;
}

/**
 * `schema` placed at `#/components/schemas/<name>`: its local references (`#/$defs/Node`, `#`)
 * rewritten to point into that component, where they still resolve.
 */
export function relocate(schema: SchemaObject, name: string): SchemaObject {
  const base = `#/components/schemas/${name}`;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = key === '$ref' && typeof child === 'string' && (child === '#' || child.startsWith('#/')) ? base + child.slice(1) : visit(child);
    }
    return out;
  };
  return visit(schema) as SchemaObject;
}
