/**
 * Form and query text converts to a DTO's boolean and number properties as Django's form fields
 * read it (django/forms/fields.py BooleanField/NullBooleanField/FloatField.to_python), issue 22
 * item 5: `done=false` validated with `@IsBoolean()` used to be stored as true (class-transformer's
 * `Boolean('false')`), and `page=abc` became NaN. A JSON body keeps its own types.
 */
import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { container } from 'tsyringe';
import { Body, Client, Controller, HttpRequest, Post, Query, createApp, validateDto } from '../../src';

class TaskDto {
  @IsBoolean()
  done!: boolean;

  @IsOptional()
  @IsBoolean()
  starred?: boolean;
}

class PageDto {
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @IsNumber()
  @Max(100)
  ratio?: number;
}

class IdsDto {
  @IsInt({ each: true })
  @Type(() => Number)
  ids!: number[];

  @IsOptional()
  @IsBoolean({ each: true })
  @Type(() => Boolean)
  flags?: boolean[];
}

class OwnTransformDto {
  // A property with its own @Transform converts itself from the text, as it came.
  @Transform(({ obj }) => obj.open === 'yes')
  @IsBoolean()
  open!: boolean;
}

class LineDto {
  @IsInt()
  quantity!: number;

  @IsBoolean()
  gift!: boolean;
}

class OrderDto {
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines!: LineDto[];
}

@Controller('/tasks')
class TaskController {
  @Post('/')
  save(request: HttpRequest, @Body(TaskDto) task: TaskDto) {
    return task;
  }

  @Post('/query/')
  fromQuery(request: HttpRequest, @Query(TaskDto) task: TaskDto) {
    return task;
  }

  @Post('/page/')
  page(request: HttpRequest, @Query(PageDto) page: PageDto) {
    return page;
  }

  @Post('/page-form/')
  pageForm(request: HttpRequest, @Body(PageDto) page: PageDto) {
    return page;
  }

  @Post('/ids/')
  ids(request: HttpRequest, @Query(IdsDto) ids: IdsDto) {
    return ids;
  }

  @Post('/own/')
  own(request: HttpRequest, @Query(OwnTransformDto) own: OwnTransformDto) {
    return own;
  }
}

const client = new Client(
  createApp({ controllers: [TaskController], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's' } }),
);

async function answer(promise: Promise<{ statusCode: number; json(): unknown }>): Promise<[number, unknown]> {
  const response = await promise;
  return [response.statusCode, response.json()];
}

// BooleanField.to_python: 'false'/'0' in any case are False, '' is bool('') = False; 'off' is a
// checkbox's unchecked word. NullBooleanField: 'true'/'True'/'1' are True; a checkbox sends 'on'.
const FALSE_TEXT = ['false', 'False', 'FALSE', '0', 'off', 'OFF', ''];
const TRUE_TEXT = ['true', 'True', 'TRUE', '1', 'on', 'On'];

describe('boolean properties read form and query text as Django does', () => {
  test.each(FALSE_TEXT)('query %j is false', async (text) => {
    expect(await answer(client.post(`/tasks/query/?done=${text}`))).toEqual([200, { done: false }]);
  });

  test.each(FALSE_TEXT)('form %j is false', async (text) => {
    expect(await answer(client.post('/tasks/', { done: text }))).toEqual([200, { done: false }]);
  });

  test.each(TRUE_TEXT)('query %j is true', async (text) => {
    expect(await answer(client.post(`/tasks/query/?done=${text}`))).toEqual([200, { done: true }]);
  });

  test.each(TRUE_TEXT)('form %j is true', async (text) => {
    expect(await answer(client.post('/tasks/', { done: text }))).toEqual([200, { done: true }]);
  });

  test.each([
    ['yes', 'yes'],
    ['no', 'no'],
    ['banana', 'banana'],
    ['" false"', ' false'],
    ['falsey', 'falsey'],
    ['10,000 x', 'x'.repeat(10_000)],
  ])('other text (%s) is refused, not guessed', async (_label, text) => {
    expect(await answer(client.post('/tasks/', { done: text }))).toEqual([400, { errors: { done: ['Must be a valid boolean.'] } }]);
    expect(await answer(client.post('/tasks/query/', undefined, { query: { done: text } }))).toEqual([400, { errors: { done: ['Must be a valid boolean.'] } }]);
  });

  test('a repeated key reads its last value, as QueryDict does (hidden "false" before a checked box)', async () => {
    expect(await answer(client.post('/tasks/', { done: ['false', 'true'] }))).toEqual([200, { done: true }]);
    expect(await answer(client.post('/tasks/query/?done=true&done=false'))).toEqual([200, { done: false }]);
  });

  test('an absent optional boolean stays absent; an absent required one is reported', async () => {
    expect(await answer(client.post('/tasks/', { done: 'on' }))).toEqual([200, { done: true }]);
    expect(await answer(client.post('/tasks/', { starred: 'true' }))).toEqual([400, { errors: { done: ['done must be a boolean value'] } }]);
  });

  test('a multipart form converts the same way', async () => {
    const boundary = 'b0undary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="done"\r\n\r\nfalse\r\n--${boundary}\r\nContent-Disposition: form-data; name="starred"\r\n\r\n0\r\n--${boundary}--\r\n`;
    const response = await client.post('/tasks/', body, { contentType: `multipart/form-data; boundary=${boundary}` });
    expect([response.statusCode, response.json()]).toEqual([200, { done: false, starred: false }]);
  });

  test('a JSON body is untouched: "false" is a string there, not a boolean', async () => {
    expect(await answer(client.post('/tasks/', { done: 'false' }, { json: true }))).toEqual([400, { errors: { done: ['done must be a boolean value'] } }]);
    expect(await answer(client.post('/tasks/', { done: 0 }, { json: true }))).toEqual([400, { errors: { done: ['done must be a boolean value'] } }]);
    expect(await answer(client.post('/tasks/', { done: false }, { json: true }))).toEqual([200, { done: false }]);
  });

  test('a property with its own @Transform gets the text as it came', async () => {
    expect(await answer(client.post('/tasks/own/?open=yes'))).toEqual([200, { open: true }]);
    expect(await answer(client.post('/tasks/own/?open=true'))).toEqual([200, { open: false }]);
  });
});

describe('number properties: numbers, or an error, never NaN', () => {
  test('decimal text becomes a number (surrounding spaces stripped, as int()/float() do)', async () => {
    expect(await answer(client.post('/tasks/page/?page=3&ratio=-2.5e1'))).toEqual([200, { page: 3, ratio: -25 }]);
    expect(await answer(client.post('/tasks/page-form/', { page: ' 4 ', ratio: '.5' }))).toEqual([200, { page: 4, ratio: 0.5 }]);
  });

  test.each(['abc', '0x10', '0b1', '1e999', 'Infinity', 'NaN', '1_000', '   ', '5abc', '--1'])('%j is "Enter a number." and nothing else about the field', async (text) => {
    expect(await answer(client.post('/tasks/page/', undefined, { query: { page: text } }))).toEqual([400, { errors: { page: ['Enter a number.'] } }]);
    expect(await answer(client.post('/tasks/page-form/', { page: text }))).toEqual([400, { errors: { page: ['Enter a number.'] } }]);
  });

  test('empty text is no value (Django\'s empty_values): the default or @IsOptional applies, not 0', async () => {
    expect(await answer(client.post('/tasks/page/?page=&ratio='))).toEqual([200, { page: 1 }]);
  });

  test('the other validators run on a converted number; conversion and validator errors combine by field', async () => {
    expect(await answer(client.post('/tasks/page/?page=0&ratio=abc'))).toEqual([
      400,
      { errors: { page: ['page must not be less than 1'], ratio: ['Enter a number.'] } },
    ]);
    expect(await answer(client.post('/tasks/page/?page=2.5'))).toEqual([400, { errors: { page: ['page must be an integer number'] } }]);
  });

  test('a long run of digits is refused in time linear in its length (no backtracking)', async () => {
    const time = async (text: string) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) await validateDto(PageDto, { page: text }).catch(() => undefined);
      return Number(process.hrtime.bigint() - start);
    };
    await time('1'.repeat(1_000) + 'x');
    const short = await time('1'.repeat(1_000) + 'x');
    const long = await time('1'.repeat(16_000) + 'x');
    expect(long / short).toBeLessThan(16 * 4);
  });

  test('lists: @Type(() => Number) items convert; a bad item is reported at its index', async () => {
    expect(await answer(client.post('/tasks/ids/?ids=1&ids=2&flags=off&flags=on'))).toEqual([200, { ids: [1, 2], flags: [false, true] }]);
    expect(await answer(client.post('/tasks/ids/?ids=7'))).toEqual([200, { ids: [7] }]);
    expect(await answer(client.post('/tasks/ids/?ids=1&ids=x&ids=&flags=maybe'))).toEqual([
      400,
      { errors: { 'ids.1': ['Enter a number.'], 'ids.2': ['Enter a number.'], 'flags.0': ['Must be a valid boolean.'] } },
    ]);
  });
});

describe('validateDto on a given object of text, nested DTOs included', () => {
  test('nested lines convert by their own declared types, errors at their paths', async () => {
    const order = await validateDto(OrderDto, { lines: [{ quantity: '2', gift: 'off' }, { quantity: '1', gift: 'True' }] });
    expect(order.lines).toEqual([Object.assign(new LineDto(), { quantity: 2, gift: false }), Object.assign(new LineDto(), { quantity: 1, gift: true })]);
    const error = await validateDto(OrderDto, { lines: [{ quantity: 'two', gift: 'nope' }] }).catch((e: unknown) => e);
    expect((error as { errors: unknown }).errors).toEqual({ 'lines.0.quantity': ['Enter a number.'], 'lines.0.gift': ['Must be a valid boolean.'] });
  });

  test('the given object is not modified', async () => {
    const source = { done: 'false', starred: '1' };
    expect(await validateDto(TaskDto, source)).toEqual(Object.assign(new TaskDto(), { done: false, starred: true }));
    expect(source).toEqual({ done: 'false', starred: '1' });
  });

  test('with implicitConversion: false (a JSON body) nothing converts', async () => {
    const error = await validateDto(PageDto, { page: 'abc' }, { implicitConversion: false }).catch((e: unknown) => e);
    expect((error as { errors: unknown }).errors).toEqual({ page: ['page must not be less than 1', 'page must be an integer number'] });
  });
});
