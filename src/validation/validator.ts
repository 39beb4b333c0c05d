/**
 * What `@Body(...)`, `@Query(...)` and `request.validate(...)` accept: a class-validator DTO class
 * (the default, documented first) or any Standard Schema (Zod, Valibot, ArkType, ...), and the
 * type each produces. Both fail with the same ValidationError, so the 400/422 answer and its
 * `{"errors": {...}}` shape do not depend on the library.
 */
import { isStandardSchema, validateSchema, type InferSchemaOutput, type StandardSchemaV1 } from './standard-schema';
import { validateDto } from './validate';

/** A class-validator DTO: a class with a no-argument constructor. */
export type DtoClass<T extends object = object> = new () => T;

/** A DTO class or a Standard Schema. */
export type Validator = DtoClass | StandardSchemaV1;

/**
 * The value a validator produces: the schema's output type, or the DTO's instance type.
 * @example type Page = Validated<typeof PageSchema>; // z.output<typeof PageSchema>
 */
export type Validated<V> = V extends StandardSchemaV1 ? InferSchemaOutput<V> : V extends DtoClass<infer T> ? T : never;

/** Options of `validateWith`. */
export interface ValidateWithOptions {
  /** Status for this failure (400 or 422), overriding the `validationErrorStatus` setting. */
  status?: number;
  /**
   * Whether `source` is text from a form or a query string, to convert to a DTO's declared
   * property types (see `validateDto`). A Standard Schema gets the text as it is: coercion is
   * the schema's (`z.coerce.number()`, `z.stringbool()`).
   */
  textual?: boolean;
}

/**
 * Validate `source` with a DTO class or a Standard Schema; resolves with the DTO instance or the
 * schema's output, rejects with ValidationError.
 * @example
 * const page = await validateWith(z.object({ page: z.coerce.number().int().min(1) }), { page: '2' }, { textual: true });
 * // { page: 2 }
 */
export function validateWith<V extends Validator>(validator: V, source: unknown, options?: ValidateWithOptions): Promise<Validated<V>> {
  if (isStandardSchema(validator)) return validateSchema(validator, source, options) as Promise<Validated<V>>;
  return validateDto(validator as DtoClass, source, { status: options?.status, implicitConversion: options?.textual ?? true }) as Promise<Validated<V>>;
}
