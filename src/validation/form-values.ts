/**
 * Form and query text converted to a DTO's declared `boolean` and `number` properties the way
 * Django's form fields convert it (django/forms/fields.py: BooleanField.to_python,
 * NullBooleanField.to_python, IntegerField/FloatField.to_python), before class-transformer sees
 * it. class-transformer's implicit conversion calls the JavaScript constructors, so
 * `Boolean('false')` was `true` and `Number('abc')` was `NaN` (issue 22, item 5).
 *
 * Only text is converted: a JSON body keeps its own types and never comes here.
 */
import 'reflect-metadata';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';

/**
 * Django's FloatField/DecimalField message (`invalid`). A conversion failure is the field's only
 * error, as in Django, where validators never run on a value `to_python` refused.
 */
export const INVALID_NUMBER = 'Enter a number.';
/** Django's BooleanField never refuses text; DRF's BooleanField does, with this message. */
export const INVALID_BOOLEAN = 'Must be a valid boolean.';

// BooleanField.to_python: 'false' and '0' (any case) are False, '' is bool('') = False. 'off' is
// the unchecked counterpart of a checkbox's default value 'on' (DRF's BooleanField and Tom
// Christie's typesystem read it so too). True: NullBooleanField's 'true'/'1', and 'on'.
const FALSE_TEXT = new Set(['false', '0', 'off', '']);
const TRUE_TEXT = new Set(['true', '1', 'on']);
/** No boolean word is longer: longer text is refused without lowercasing it. */
const LONGEST_BOOLEAN_TEXT = 5;

// Python's float() syntax less 'inf'/'nan' (FloatField.validate refuses non-finite values) and
// '_' separators; JS Number() would also take '0x1f', '0b1' and '' (as 0). One digit run per
// part, so no input can make it backtrack.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** How one property's text is converted. */
type Conversion =
  | { key: string; kind: 'boolean' | 'number' | 'booleans' | 'numbers' }
  | { key: string; kind: 'nested'; dto: Function };

/** The result of `convertFormValues`: the converted input, and the fields that failed. */
export interface FormConversion {
  /** The input with its boolean and number text converted (the input itself when nothing changed). */
  value: unknown;
  /** Conversion errors by field path (`page`, `ids.2`, `address.zip`), or null. */
  errors: Record<string, string[]> | null;
  /** The properties whose conversion failed: their validator messages are replaced by `errors`. */
  failed: string[];
}

const plans = new WeakMap<Function, readonly Conversion[]>();
/** A value to drop: empty number text (no value), or one whose conversion failed. */
const NOT_CONVERTED = Symbol('not converted');
/** Text the property's type cannot take. */
const INVALID = Symbol('invalid');
// class-transformer's TransformationType.PLAIN_TO_CLASS.
const PLAIN_TO_CLASS = 0;

/**
 * Convert the text of `source` (form or query data as a plain object, repeated keys as arrays)
 * for each `boolean` and `number` property `dto` declares (the emitted `design:type`, or
 * `@Type(() => Number)` for the items of an array). Never mutates `source`.
 *
 * - boolean: `'false'`, `'0'`, `'off'`, `''` are false; `'true'`, `'1'`, `'on'` true (any case);
 *   other text is refused ("Must be a valid boolean.") rather than guessed: Django's BooleanField
 *   would call it true, its NullBooleanField unknown.
 * - number: decimal text becomes a number; `''` is no value (Django's `empty_values`), so the
 *   property's default or `@IsOptional()` applies; anything else is "Enter a number.", never NaN.
 * - a repeated key given to a single-valued property is read as its last value, as Django's
 *   `QueryDict.__getitem__` does (a hidden `false` before a checkbox `true` reads true).
 * - a property with its own `@Transform` is left to it, as it came.
 *
 * @example
 * class Filter { @IsBoolean() open!: boolean; @IsInt() page: number = 1 }
 * convertFormValues(Filter, { open: 'false', page: 'x' });
 * // { value: { open: false }, errors: { page: ['Enter a number.'] }, failed: ['page'] }
 */
export function convertFormValues(dto: Function, source: object): FormConversion {
  const conversion: FormConversion = { value: source, errors: null, failed: [] };
  conversion.value = convertObject(dto, source as Record<string, unknown>, '', conversion);
  return conversion;
}

/**
 * Merge a conversion's errors into class-validator's: a field whose conversion failed reports
 * the conversion error only (what class-validator said about the missing value is dropped).
 */
export function mergeConversionErrors(errors: Record<string, string[]>, conversion: FormConversion): void {
  if (conversion.errors === null) return;
  for (const field of conversion.failed) {
    for (const path of Object.keys(errors)) {
      if (path === field || path.startsWith(`${field}.`)) delete errors[path];
    }
  }
  Object.assign(errors, conversion.errors);
}

function convertObject(dto: Function, source: Record<string, unknown>, prefix: string, into: FormConversion): Record<string, unknown> {
  const plan = planFor(dto);
  let copy: Record<string, unknown> | null = null;
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i];
    if (!Object.prototype.hasOwnProperty.call(source, step.key)) continue;
    const value = source[step.key];
    const path = prefix + step.key;
    const converted = convertValue(step, value, path, into);
    if (converted === value) continue;
    copy ??= copyOf(source);
    if (converted === NOT_CONVERTED) delete copy[step.key];
    else copy[step.key] = converted;
  }
  return copy ?? source;
}

/** The property's converted value; NOT_CONVERTED drops it (no value, or a recorded failure). */
function convertValue(step: Conversion, value: unknown, path: string, into: FormConversion): unknown {
  switch (step.kind) {
    case 'boolean':
      return convertScalar(toBoolean(lastOf(value)), INVALID_BOOLEAN, path, into);
    case 'number':
      return convertScalar(toNumber(lastOf(value)), INVALID_NUMBER, path, into);
    case 'booleans':
      return convertItems(value, toBoolean, INVALID_BOOLEAN, path, into);
    case 'numbers':
      return convertItems(value, toNumber, INVALID_NUMBER, path, into);
    case 'nested':
      if (Array.isArray(value)) {
        return value.map((item, index) => (isPlainObject(item) ? convertObject(step.dto, item, `${path}.${index}.`, into) : item));
      }
      return isPlainObject(value) ? convertObject(step.dto, value, `${path}.`, into) : value;
  }
}

function convertScalar(result: unknown, message: string, path: string, into: FormConversion): unknown {
  if (result !== INVALID) return result;
  fail(path, path, message, into);
  return NOT_CONVERTED;
}

function convertItems(value: unknown, convert: (item: unknown) => unknown, message: string, path: string, into: FormConversion): unknown {
  if (!Array.isArray(value)) {
    // One `?id=3` for a `number[]`: a list of one, as Django's MultipleChoiceField reads getlist().
    const single = convert(value);
    if (single !== INVALID && single !== NOT_CONVERTED) return [single];
    fail(path, `${path}.0`, message, into);
    return value;
  }
  // An empty item has no place in a list: it is refused, not dropped (indexes stay the client's).
  const items = value.slice();
  for (let i = 0; i < items.length; i++) {
    const item = convert(items[i]);
    if (item === INVALID || item === NOT_CONVERTED) fail(path, `${path}.${i}`, message, into);
    else items[i] = item;
  }
  return items;
}

function fail(field: string, path: string, message: string, into: FormConversion): void {
  if (into.errors === null) into.errors = {};
  (into.errors[path] ??= []).push(message);
  if (!into.failed.includes(field)) into.failed.push(field);
}

function toBoolean(value: unknown): unknown {
  if (typeof value === 'boolean' || value === null || value === undefined) return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string' || value.length > LONGEST_BOOLEAN_TEXT) return INVALID;
  const text = value.toLowerCase();
  if (FALSE_TEXT.has(text)) return false;
  return TRUE_TEXT.has(text) ? true : INVALID;
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'number' || value === null || value === undefined) return value;
  if (typeof value !== 'string') return INVALID;
  if (value === '') return NOT_CONVERTED;
  const text = value.trim();
  if (!DECIMAL.test(text)) return INVALID;
  const number = Number(text);
  return Number.isFinite(number) ? number : INVALID;
}

function lastOf(value: unknown): unknown {
  return Array.isArray(value) ? (value.length === 0 ? undefined : value[value.length - 1]) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A shallow copy that keeps a null prototype (form data has one: no `__proto__` key is special). */
function copyOf(source: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(Object.getPrototypeOf(source)), source);
}

/**
 * The conversions of a DTO class, worked out once: its validated properties (only those survive
 * class-validator's whitelist) with a Boolean or Number `design:type`, or a `@Type` naming Number,
 * Boolean or a nested DTO class.
 */
function planFor(dto: Function): readonly Conversion[] {
  let plan = plans.get(dto);
  if (plan === undefined) {
    plan = buildPlan(dto);
    plans.set(dto, plan);
  }
  return plan;
}

function buildPlan(dto: Function): Conversion[] {
  // Required here, not at the top: as in validate.ts, an app without DTOs never loads these.
  const validators = (require('class-validator') as typeof import('class-validator')).getMetadataStorage();
  const transformers = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage }).defaultMetadataStorage;
  const keys = new Set<string>();
  for (const metadata of validators.getTargetValidationMetadatas(dto, '', false, false)) keys.add(metadata.propertyName);
  const plan: Conversion[] = [];
  for (const key of keys) {
    if (transformers.findTransformMetadatas(dto, key, PLAIN_TO_CLASS).length > 0) continue;
    const declared: unknown = Reflect.getMetadata('design:type', dto.prototype, key);
    const typeMetadata = transformers.findTypeMetadata(dto, key);
    const named = typeMetadata === undefined ? undefined : typeNamedBy(typeMetadata);
    if (named === Boolean || named === Number) {
      const list = declared === Array;
      plan.push({ key, kind: named === Boolean ? (list ? 'booleans' : 'boolean') : list ? 'numbers' : 'number' });
    } else if (typeof named === 'function' && named !== String && named !== Date && named !== Object) {
      plan.push({ key, kind: 'nested', dto: named });
    } else if (typeMetadata === undefined && (declared === Boolean || declared === Number)) {
      plan.push({ key, kind: declared === Boolean ? 'boolean' : 'number' });
    }
  }
  return plan;
}

/** The class a `@Type(() => X)` names; undefined for a discriminated or throwing one (left to class-transformer). */
function typeNamedBy(metadata: ReturnType<TransformerStorage['findTypeMetadata']>): unknown {
  if (metadata.options?.discriminator !== undefined) return undefined;
  try {
    return metadata.typeFunction({ newObject: {}, object: {}, property: metadata.propertyName });
  } catch {
    return undefined;
  }
}
