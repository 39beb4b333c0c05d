/**
 * class-validator constraints as JSON Schema keywords: one converter per validator, keyed by the
 * name class-validator stores in its metadata (`isEmail`, `isLength`, ...), after
 * class-validator-jsonschema's `defaultConverters`. A validator without a converter here (a custom
 * one, or one JSON Schema cannot say, such as `@IsPhoneNumber`) adds nothing: the document is
 * then looser than the check, never stricter.
 */
import type { SchemaObject } from './openapi-types';

/** Turns one validator's stored constraints into schema keywords. */
type ValidatorConverter = (constraints: readonly unknown[]) => SchemaObject;

/** The values of a TypeScript enum object, without the reverse entries of numeric members (class-validator's validEntries). */
function enumValues(entity: unknown): unknown[] {
  if (entity === null || typeof entity !== 'object') return [];
  const record = entity as Record<string, unknown>;
  return Object.keys(record)
    .filter((key) => Number.isNaN(Number(key)))
    .map((key) => record[key]);
}

/** `enum`, with the `type` its values share when they share one. */
function enumSchema(values: readonly unknown[]): SchemaObject {
  const schema: SchemaObject = { enum: [...values] };
  if (values.length > 0 && values.every((v) => typeof v === 'string')) schema.type = 'string';
  else if (values.length > 0 && values.every((v) => typeof v === 'number')) schema.type = 'number';
  return schema;
}

/** `@Matches(/re/)` or `@Matches('re', 'i')`: the pattern's source. JSON Schema patterns have no flags, so `i` is lost. */
function patternOf(constraints: readonly unknown[]): SchemaObject {
  const pattern = constraints[0];
  if (pattern instanceof RegExp) return { type: 'string', pattern: pattern.source };
  return typeof pattern === 'string' ? { type: 'string', pattern } : { type: 'string' };
}

function withNumber(keyword: string, value: unknown): SchemaObject {
  return typeof value === 'number' ? { [keyword]: value } : {};
}

const DATE_TIME: SchemaObject = { type: 'string', format: 'date-time' };

/** Every validator the document knows, by class-validator's metadata name. */
export const VALIDATOR_CONVERTERS: Readonly<Record<string, ValidatorConverter>> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  isObject: () => ({ type: 'object' }),
  isEmail: () => ({ type: 'string', format: 'email' }),
  isUrl: () => ({ type: 'string', format: 'uri' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isDate: () => ({ ...DATE_TIME }),
  isDateString: () => ({ ...DATE_TIME }),
  isIso8601: () => ({ ...DATE_TIME }),
  isIp: ([version]) => (String(version) === '4' ? { type: 'string', format: 'ipv4' } : String(version) === '6' ? { type: 'string', format: 'ipv6' } : { type: 'string' }),
  isLength: ([min, max]) => ({ type: 'string', ...withNumber('minLength', min), ...withNumber('maxLength', max) }),
  minLength: ([min]) => ({ type: 'string', ...withNumber('minLength', min) }),
  maxLength: ([max]) => ({ type: 'string', ...withNumber('maxLength', max) }),
  // Only strings have a length: minLength leaves other types alone, as @IsNotEmpty lets 0 through.
  isNotEmpty: () => ({ minLength: 1 }),
  min: ([min]) => withNumber('minimum', min),
  max: ([max]) => withNumber('maximum', max),
  isPositive: () => ({ exclusiveMinimum: 0 }),
  isNegative: () => ({ exclusiveMaximum: 0 }),
  isIn: ([values]) => enumSchema(Array.isArray(values) ? values : []),
  isEnum: ([entity]) => enumSchema(enumValues(entity)),
  equals: ([value]) => ({ const: value }),
  matches: (constraints) => patternOf(constraints),
  arrayMinSize: ([min]) => ({ type: 'array', ...withNumber('minItems', min) }),
  arrayMaxSize: ([max]) => ({ type: 'array', ...withNumber('maxItems', max) }),
  arrayNotEmpty: () => ({ type: 'array', minItems: 1 }),
  arrayUnique: () => ({ type: 'array', uniqueItems: true }),
};

/** The keywords of validator `name` with `constraints`, or null when the document cannot say it. */
export function validatorSchema(name: string | undefined, constraints: readonly unknown[] | undefined): SchemaObject | null {
  if (name === undefined || !Object.hasOwn(VALIDATOR_CONVERTERS, name)) return null;
  return VALIDATOR_CONVERTERS[name](constraints ?? []);
}
