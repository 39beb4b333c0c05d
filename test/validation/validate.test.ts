import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsEmail, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ValidationError } from '../../src/http/errors';
import { NON_FIELD_ERRORS, validateDto } from '../../src/validation/validate';

class AddressDto {
  @IsString()
  city!: string;

  @IsOptional()
  @IsString()
  zip?: string;
}

class ItemDto {
  @IsString()
  name!: string;

  @Min(1)
  quantity!: number;
}

class SignupDto {
  @IsEmail()
  email!: string;

  @Min(13)
  age!: number;
}

class OrderDto {
  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

class PageQuery {
  // The annotation matters: implicit conversion reads the emitted design:type.
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @IsInt()
  @Max(100)
  size?: number;
}

class FilterQuery {
  @Transform(({ value }) => JSON.parse(value))
  @IsObject()
  filter!: Record<string, unknown>;
}

async function errorsOf(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('validateDto', () => {
  test('valid input resolves with a DTO instance', async () => {
    const signup = await validateDto(SignupDto, { email: 'ada@example.com', age: 36 });
    expect(signup).toBeInstanceOf(SignupDto);
    expect(signup).toEqual({ email: 'ada@example.com', age: 36 });
  });

  test('flat fields: each failing field maps to its messages', async () => {
    const error = await errorsOf(validateDto(SignupDto, { email: 'not-an-email', age: 12 }));
    expect(error.errors).toEqual({
      email: ['email must be an email'],
      age: ['age must not be less than 13'],
    });
    expect(error.message).toBe('Validation failed');
    expect(error.status).toBeUndefined();
  });

  test('a missing field is reported', async () => {
    const error = await errorsOf(validateDto(SignupDto, { email: 'ada@example.com' }));
    expect(error.errors).toEqual({ age: ['age must not be less than 13'] });
  });

  test('nested objects report dotted paths (@ValidateNested + @Type)', async () => {
    const error = await errorsOf(validateDto(OrderDto, { address: { zip: 7 }, items: [{ name: 'tea', quantity: 1 }] }));
    expect(error.errors).toEqual({ 'address.city': ['city must be a string'] });
  });

  test('arrays of nested objects report items.<index>.<field>', async () => {
    const error = await errorsOf(
      validateDto(OrderDto, {
        address: { city: 'Paris' },
        items: [{ name: 'tea', quantity: 1 }, { quantity: 0 }],
      }),
    );
    expect(error.errors).toEqual({
      'items.1.name': ['name must be a string'],
      'items.1.quantity': ['quantity must not be less than 1'],
    });
  });

  test('a nested value of the wrong shape is reported on its own path', async () => {
    const error = await errorsOf(validateDto(OrderDto, { address: 'Paris', items: [] }));
    expect(error.errors).toEqual({
      address: ['nested property address must be either object or array'],
      items: ['items must contain at least 1 elements'],
    });
  });

  test('valid nested input becomes nested instances', async () => {
    const order = await validateDto(OrderDto, { address: { city: 'Paris' }, items: [{ name: 'tea', quantity: '2' }] });
    expect(order.address).toBeInstanceOf(AddressDto);
    expect(order.items[0]).toBeInstanceOf(ItemDto);
    expect(order.items[0].quantity).toBe(2);
  });

  test('whitelist strips properties without decorators, nested ones too', async () => {
    const order = await validateDto(OrderDto, {
      address: { city: 'Paris', isAdmin: true },
      items: [{ name: 'tea', quantity: 1, price: 0 }],
      isAdmin: true,
    });
    expect(order).toEqual({ address: { city: 'Paris' }, items: [{ name: 'tea', quantity: 1 }] });
    expect('isAdmin' in order).toBe(false);
  });

  test('query strings are converted to the declared types (implicit conversion)', async () => {
    const query = await validateDto(PageQuery, { page: '3', size: '20' });
    expect(query).toEqual({ page: 3, size: 20 });
    const defaults = await validateDto(PageQuery, {});
    expect(defaults.page).toBe(1);
    // 'abc' is not a number: Django's "Enter a number." alone, not NaN failing every validator.
    const error = await errorsOf(validateDto(PageQuery, { page: 'abc', size: '500' }));
    expect(error.errors).toEqual({
      page: ['Enter a number.'],
      size: ['size must not be greater than 100'],
    });
  });

  test.each([
    ['a string', 'abc', 'string'],
    ['null', null, 'null'],
    ['a number', 42, 'number'],
    ['an array', [{ email: 'a@b.co' }], 'array'],
    ['undefined', undefined, 'undefined'],
  ])('non-object input (%s) is a non-field error, not a crash', async (_label, source, kind) => {
    const error = await errorsOf(validateDto(SignupDto, source));
    expect(error.errors).toEqual({ [NON_FIELD_ERRORS]: [`Invalid data. Expected an object, but got ${kind}.`] });
    expect(NON_FIELD_ERRORS).toBe('__all__');
  });

  test('anything class-transformer throws becomes a ValidationError', async () => {
    expect(await validateDto(FilterQuery, { filter: '{"state":"open"}' })).toEqual({ filter: { state: 'open' } });
    const error = await errorsOf(validateDto(FilterQuery, { filter: '{not json' }));
    expect(error.errors).toEqual({ [NON_FIELD_ERRORS]: ['Invalid data.'] });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('options.status travels on the error (for the 400/422 choice)', async () => {
    const error = await errorsOf(validateDto(SignupDto, { email: 'x', age: 20 }, { status: 422 }));
    expect(error.status).toBe(422);
    const nonObject = await errorsOf(validateDto(SignupDto, 'x', { status: 422 }));
    expect(nonObject.status).toBe(422);
  });

  test('a __proto__ key in JSON does not pollute the instance', async () => {
    const source = JSON.parse('{"email": "ada@example.com", "age": 36, "__proto__": {"isAdmin": true}}');
    const signup = await validateDto(SignupDto, source);
    expect((signup as unknown as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(signup)).toBe(SignupDto.prototype);
  });
});
