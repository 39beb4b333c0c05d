/**
 * DTO validation with class-transformer and class-validator: the `@Body(Dto)` / `@Query(Dto)` /
 * `request.validate(Dto)` engine. Input becomes a DTO instance (Django's form `cleaned_data`) or a
 * ValidationError whose `errors` map reads like Django's `form.errors`; never a 500.
 */
import 'reflect-metadata';
import type { ClassTransformOptions } from 'class-transformer';
import type { ValidationError as ConstraintError, ValidatorOptions } from 'class-validator';
import { ValidationError } from '../http/errors';
import { convertFormValues, mergeConversionErrors, type FormConversion } from './form-values';

/**
 * The `errors` key for errors that belong to no field (Django's
 * `django.core.exceptions.NON_FIELD_ERRORS`), e.g. a body that is not an object.
 */
export const NON_FIELD_ERRORS = '__all__';

/** Options of `validateDto`. */
export interface ValidateDtoOptions {
  /** Status for this failure (400 or 422), overriding the `validationErrorStatus` setting. */
  status?: number;
  /**
   * Convert the input's text to the declared property types first. Default true: form and query
   * data are all text. Booleans and numbers convert as Django's form fields do (form-values.ts:
   * `'false'`/`'0'`/`'off'`/`''` are false, `'abc'` for a number is "Enter a number."), other
   * types by class-transformer's `enableImplicitConversion`. The pipeline passes false for a JSON
   * body, whose values already have their types: there `"5"` must not pass `@IsInt()`, nor
   * `"false"` pass `@IsBoolean()` or `{}` become `"[object Object]"`.
   */
  implicitConversion?: boolean;
}

// Query strings and form fields are all text; Django's form fields coerce them ("5" -> 5), so
// conversion by the declared property type lets `@IsInt() page: number` work on `?page=5`.
// convertFormValues has turned boolean and number text into booleans and numbers already (the JS
// constructors would make 'false' true and 'abc' NaN); class-transformer converts the rest.
const TRANSFORM_OPTIONS: ClassTransformOptions = {
  enableImplicitConversion: true,
  excludeExtraneousValues: false,
};
const TYPED_TRANSFORM_OPTIONS: ClassTransformOptions = { ...TRANSFORM_OPTIONS, enableImplicitConversion: false };

// whitelist strips every property without a decorator (only declared fields reach the handler);
// forbidUnknownValues (class-validator's default since 0.14) reports a nested object that has no
// validation metadata, typically a missing `@Type(() => Nested)`, instead of passing it unchecked.
// target/value are left out of the errors: they would keep the input alive and are never shown.
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Walk class-validator's error tree into `{ "address.city": [...], "items.0.name": [...] }`. */
function collect(errors: readonly ConstraintError[], prefix: string, into: Record<string, string[]>): void {
  for (const error of errors) {
    const property = error.property === undefined || error.property === null ? '' : String(error.property);
    const path = prefix === '' ? property : property === '' ? prefix : `${prefix}.${property}`;
    if (error.constraints !== undefined) {
      const key = path === '' ? NON_FIELD_ERRORS : path;
      (into[key] ??= []).push(...Object.values(error.constraints));
    }
    if (error.children !== undefined && error.children.length > 0) collect(error.children, path, into);
  }
}

/**
 * Turn `source` (a parsed JSON body, or form/query data as a plain object) into an instance of
 * `dto` and validate it. Resolves with the instance (unknown properties stripped); rejects with a
 * ValidationError whose `errors` maps each field path to its messages.
 *
 * @example
 * class AddressDto { @IsString() city!: string }
 * class SignupDto {
 *   @IsEmail() email!: string;
 *   @IsInt() @Min(13) age!: number;
 *   @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
 * }
 * const signup = await validateDto(SignupDto, { email: 'x', age: '12', address: {} });
 * // throws ValidationError, errors: {
 * //   email: ['email must be an email'], age: ['age must not be less than 13'],
 * //   'address.city': ['city must be a string'] }
 */
export async function validateDto<T extends object>(
  dto: new () => T,
  source: unknown,
  options?: ValidateDtoOptions,
): Promise<T> {
  const status = options?.status;
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new ValidationError({ [NON_FIELD_ERRORS]: [`Invalid data. Expected an object, but got ${kindOf(source)}.`] }, 'Validation failed', status);
  }
  const textual = options?.implicitConversion !== false;
  const conversion: FormConversion | null = textual ? convertFormValues(dto, source) : null;
  let instance: T;
  try {
    instance = (require('class-transformer') as typeof import('class-transformer')).plainToInstance(
      dto,
      conversion === null ? source : conversion.value,
      textual ? TRANSFORM_OPTIONS : TYPED_TRANSFORM_OPTIONS,
    );
  } catch (cause) {
    // A throwing @Transform or @Type on hostile input is the client's fault, not a 500.
    const error = new ValidationError({ [NON_FIELD_ERRORS]: ['Invalid data.'] }, 'Validation failed', status);
    error.cause = cause;
    throw error;
  }
  // Required on first use, not at the top: an app without DTOs never loads class-validator
  // (about 14 MB of RSS); one with DTOs has loaded it already through their decorators.
  const failures = await (require('class-validator') as typeof import('class-validator')).validate(instance, VALIDATOR_OPTIONS);
  if (failures.length > 0 || (conversion !== null && conversion.errors !== null)) {
    const errors: Record<string, string[]> = {};
    collect(failures, '', errors);
    if (conversion !== null) mergeConversionErrors(errors, conversion);
    throw new ValidationError(errors, 'Validation failed', status);
  }
  return instance;
}
