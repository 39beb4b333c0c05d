/**
 * Path parameters in OpenAPI: the template (`/polls/{id}/`) and each converter's schema. The
 * built-in converters say what Django's say in django/urls/converters.py — `int` is `[0-9]+`,
 * `slug` `[-a-zA-Z0-9_]+`, `uuid` a lower-case hyphenated UUID — as JSON Schema; a custom
 * converter gives its own `schema`, else it is a string matching its regex.
 */
import type { CompiledPattern, PatternParameter } from '../routing/path-pattern';
import type { ParameterObject, SchemaObject } from './openapi-types';

// The built-in names cannot be registered again (converters.ts), so a name says which it is.
const BUILT_IN_SCHEMAS: Readonly<Record<string, SchemaObject>> = {
  int: { type: 'integer', minimum: 0 },
  str: { type: 'string' },
  slug: { type: 'string', pattern: '^[-a-zA-Z0-9_]+$' },
  uuid: { type: 'string', format: 'uuid' },
  // A path parameter may not contain `/` by the letter of RFC 6570's simple expansion, which
  // OpenAPI's templates use; `path` captures one anyway, and the schema says it is a string.
  path: { type: 'string' },
};

/** The JSON Schema of one `<converter:name>` parameter. */
export function converterSchema(parameter: PatternParameter): SchemaObject {
  const declared = parameter.converter.schema;
  if (declared !== undefined) return structuredClone(declared) as SchemaObject;
  const builtIn = BUILT_IN_SCHEMAS[parameter.converterName];
  if (builtIn !== undefined) return { ...builtIn };
  return { type: 'string', pattern: `^(?:${parameter.converter.regex})$` };
}

/** `/polls/<int:id>/` as the OpenAPI template `/polls/{id}/`. */
export function templatePath(pattern: CompiledPattern): string {
  return pattern.parts.map((part) => (typeof part === 'string' ? part : `{${part.name}}`)).join('');
}

/** One required `in: path` parameter per converter of the pattern, in pattern order. */
export function pathParameters(pattern: CompiledPattern): ParameterObject[] {
  return pattern.params.map((parameter) => ({ name: parameter.name, in: 'path', required: true, schema: converterSchema(parameter) }));
}
