/**
 * Standard Schema (https://standardschema.dev, version 1): the one interface Zod (3.24+),
 * Valibot, ArkType and others implement under the `~standard` key, so `@Body(schema)`,
 * `@Query(schema)` and `request.validate(schema)` take any of them beside a class-validator DTO.
 * The types are written here from the spec rather than imported: the contract is the object's
 * shape, and a type-only dependency would be one more package for users to install.
 */
import { ValidationError } from '../http/errors';
import { NON_FIELD_ERRORS } from './validate';

/** One problem a Standard Schema found, at `path` (keys or `{ key }` segments) or at the root. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** What `~standard.validate` answers: the parsed value, or the issues. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/**
 * A Standard Schema (version 1). `types` exists for inference only: libraries declare it and
 * never set it.
 * @example
 * const Positive: StandardSchemaV1<unknown, number> = {
 *   '~standard': {
 *     version: 1,
 *     vendor: 'example',
 *     validate: (value) => (typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'Must be positive.' }] }),
 *   },
 * };
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/**
 * The type a Standard Schema produces (Zod's `z.output<typeof S>`, Valibot's `v.InferOutput`).
 * @example type Poll = InferSchemaOutput<typeof PollSchema>;
 */
export type InferSchemaOutput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['output'];

/**
 * Whether `value` is a Standard Schema. ArkType's types are functions, so a function with a
 * `~standard` key is one too; a class (a DTO) has none.
 * @example isStandardSchema(z.object({})) // true; isStandardSchema(CreatePollDto) // false
 */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const props = (value as { '~standard'?: unknown })['~standard'];
  return props !== null && typeof props === 'object' && typeof (props as { validate?: unknown }).validate === 'function';
}

/** Options of `validateSchema`. */
export interface ValidateSchemaOptions {
  /** Status for this failure (400 or 422), overriding the `validationErrorStatus` setting. */
  status?: number;
}

/**
 * Validate `source` with a Standard Schema. Resolves with the schema's output; rejects with the
 * ValidationError a DTO would give: `errors` maps each dotted issue path (`choices.0.text`) to its
 * messages, root issues under `"__all__"`. A schema that throws (a transform failing on hostile
 * input) is the client's bad data, a 400 like a throwing `@Transform`, not a 500.
 *
 * @example
 * const Signup = z.object({ email: z.email(), age: z.number().int().min(13) });
 * const signup = await validateSchema(Signup, { email: 'x', age: 12 });
 * // throws ValidationError, errors: { email: ['Invalid email address'], age: ['Too small: expected number to be >=13'] }
 */
export async function validateSchema<S extends StandardSchemaV1>(schema: S, source: unknown, options?: ValidateSchemaOptions): Promise<InferSchemaOutput<S>> {
  let result: StandardSchemaResult<unknown>;
  try {
    result = await schema['~standard'].validate(source);
  } catch (cause) {
    const error = new ValidationError({ [NON_FIELD_ERRORS]: ['Invalid data.'] }, 'Validation failed', options?.status);
    error.cause = cause;
    throw error;
  }
  if (result.issues !== undefined) throw new ValidationError(errorsOf(result.issues), 'Validation failed', options?.status);
  return result.value as InferSchemaOutput<S>;
}

/** Issues as `{ "choices.0.text": [...] }`, the shape of class-validator's errors (validate.ts). */
function errorsOf(issues: ReadonlyArray<StandardSchemaIssue>): Record<string, string[]> {
  // Null prototype: a path is the client's key (a record's `__proto__`), never Object.prototype.
  const errors: Record<string, string[]> = Object.create(null);
  for (const issue of issues) {
    const path = issue.path === undefined ? '' : issue.path.map(segmentName).join('.');
    (errors[path === '' ? NON_FIELD_ERRORS : path] ??= []).push(String(issue.message));
  }
  // A schema that fails without a single issue still fails.
  if (issues.length === 0) errors[NON_FIELD_ERRORS] = ['Invalid data.'];
  return errors;
}

function segmentName(segment: PropertyKey | { readonly key: PropertyKey }): string {
  const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
  return typeof key === 'symbol' ? (key.description ?? '') : String(key);
}
