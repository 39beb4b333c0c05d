/**
 * `@Body(schema)`, `@Query(schema)` and `request.validate(schema)` take any Standard Schema
 * (https://standardschema.dev: Zod 3.24+, Valibot, ArkType, or a hand-written object) beside a
 * class-validator DTO, with the same 400/422 and `{"errors": {...}}` answer (issue 22, item 6).
 */
import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IsInt } from 'class-validator';
import { container } from 'tsyringe';
import * as v from 'valibot';
import { z } from 'zod';
import { Body, Client, Controller, Get, HttpRequest, Post, Query, createApp, type StandardSchemaV1 } from '../../src';

const PollSchema = z.object({
  question: z.string().trim().min(1),
  choices: z.array(z.object({ text: z.string().min(1) })).min(2),
  open: z.boolean().default(true),
});

const PageSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  open: z.stringbool().optional(),
});

const ValibotPoll = v.object({ question: v.pipe(v.string(), v.minLength(1)), votes: v.optional(v.number(), 0) });

/** Hand-written, asynchronous: resolves after a timer, as a schema checking a database would. */
const SlugSchema: StandardSchemaV1<unknown, { slug: string }> = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate: (value) =>
      new Promise((resolvePromise) =>
        setTimeout(() => {
          const slug = (value as { slug?: unknown } | null)?.slug;
          resolvePromise(
            typeof slug === 'string' && /^[a-z-]+$/.test(slug)
              ? { value: { slug } }
              : { issues: [{ message: 'Enter a valid slug.', path: [{ key: 'slug' }] }, { message: 'Nothing was saved.' }] },
          );
        }, 1),
      ),
  },
};

/** Reports every key of the input whose value is not a number: the keys are the client's. */
const NumbersOnly: StandardSchemaV1<unknown, Record<string, number>> = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate: (value) => {
      const record = value as Record<string, unknown>;
      const bad = Object.keys(record).filter((key) => typeof record[key] !== 'number');
      return bad.length === 0 ? { value: record as Record<string, number> } : { issues: bad.map((key) => ({ message: 'Enter a number.', path: [key] })) };
    },
  },
};

const Throwing: StandardSchemaV1<unknown, never> = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate: () => {
      throw new SyntaxError('Unexpected token');
    },
  },
};

/** ArkType's types are functions carrying `~standard`: a callable schema must not be taken for a DTO class. */
const CallableSchema = Object.assign((value: unknown) => value, {
  '~standard': {
    version: 1 as const,
    vendor: 'callable',
    validate: (value: unknown) => (typeof value === 'object' && value !== null && 'id' in value ? { value: { id: String(value.id) } } : { issues: [{ message: 'Required.', path: ['id'] }] }),
  },
});

class CountDto {
  @IsInt()
  count!: number;
}

@Controller('/s')
class SchemaController {
  @Post('/polls/')
  create(request: HttpRequest, @Body(PollSchema) poll: z.output<typeof PollSchema>) {
    return poll;
  }

  @Get('/polls/')
  list(request: HttpRequest, @Query(PageSchema) query: z.output<typeof PageSchema>) {
    return query;
  }

  @Post('/valibot/')
  valibot(request: HttpRequest, @Body(ValibotPoll) poll: v.InferOutput<typeof ValibotPoll>) {
    return poll;
  }

  @Post('/slug/')
  async slug(request: HttpRequest) {
    const { slug } = await request.validate(SlugSchema);
    return { slug };
  }

  @Post('/given/')
  async given(request: HttpRequest) {
    return request.validate(z.object({ n: z.number() }), { n: request.POST.get('n')?.length ?? 0 });
  }

  @Post('/throwing/')
  throwing(request: HttpRequest, @Body(Throwing) value: never) {
    return value;
  }

  @Post('/record/')
  record(request: HttpRequest, @Body(NumbersOnly) value: Record<string, number>) {
    return value;
  }

  @Post('/callable/')
  callable(request: HttpRequest, @Body(CallableSchema) value: { id: string }) {
    return value;
  }

  @Post('/dto/')
  dto(request: HttpRequest, @Body(CountDto) body: CountDto) {
    return body;
  }
}

function buildClient(settings: Record<string, unknown> = {}) {
  return new Client(
    createApp({ controllers: [SchemaController], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's', ...settings } }),
  );
}

const client = buildClient();

describe('Standard Schema validators (issue 22 item 6)', () => {
  test('Zod: the handler receives the schema output (trimmed, defaults filled), not the input', async () => {
    const response = await client.post('/s/polls/', { question: '  Tabs?  ', choices: [{ text: 'Tabs' }, { text: 'Spaces' }], extra: 1 }, { json: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ question: 'Tabs?', choices: [{ text: 'Tabs' }, { text: 'Spaces' }], open: true });
  });

  test('Zod: a failure is a 400 with the DTO error shape, nested paths dotted', async () => {
    const response = await client.post('/s/polls/', { question: ' ', choices: [{ text: 'Tabs' }, { text: '' }] }, { json: true });
    expect(response.statusCode).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({
      errors: {
        question: ['Too small: expected string to have >=1 characters'],
        'choices.1.text': ['Too small: expected string to have >=1 characters'],
      },
    });
  });

  test('a root issue (a body that is not an object) goes under "__all__", as for a DTO', async () => {
    const response = await client.post('/s/polls/', [1, 2], { json: true });
    expect([response.statusCode, response.json()]).toEqual([400, { errors: { __all__: ['Invalid input: expected object, received array'] } }]);
  });

  test('a form body reaches the schema as text; a JSON body with its types', async () => {
    const form = await client.post('/s/valibot/', { question: 'Why?', votes: '3' });
    expect([form.statusCode, form.json()]).toEqual([400, { errors: { votes: ['Invalid type: Expected number but received "3"'] } }]);
    const json = await client.post('/s/valibot/', { question: 'Why?', votes: 3 }, { json: true });
    expect([json.statusCode, json.json()]).toEqual([200, { question: 'Why?', votes: 3 }]);
  });

  test('Valibot: issues with { key } path segments, defaults in the output', async () => {
    const ok = await client.post('/s/valibot/', { question: 'Why?' }, { json: true });
    expect([ok.statusCode, ok.json()]).toEqual([200, { question: 'Why?', votes: 0 }]);
    const bad = await client.post('/s/valibot/', { question: '' }, { json: true });
    expect([bad.statusCode, bad.json()]).toEqual([400, { errors: { question: ['Invalid length: Expected >=1 but received 0'] } }]);
  });

  test('@Query(schema): the query string through the schema\'s own coercion', async () => {
    expect((await client.get('/s/polls/', { page: '2', open: 'false' })).json()).toEqual({ page: 2, open: false });
    expect((await client.get('/s/polls/')).json()).toEqual({ page: 1 });
    const bad = await client.get('/s/polls/', { page: '0', open: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      errors: {
        page: ['Too small: expected number to be >=1'],
        open: ['Invalid option: expected one of "true"|"1"|"yes"|"on"|"y"|"enabled"|"false"|"0"|"no"|"off"|"n"|"disabled"'],
      },
    });
  });

  test('request.validate(schema) with an asynchronous hand-written schema: the value, or 400 with its issues', async () => {
    const ok = await client.post('/s/slug/', { slug: 'hello-world' }, { json: true });
    expect([ok.statusCode, ok.json()]).toEqual([200, { slug: 'hello-world' }]);
    const bad = await client.post('/s/slug/', { slug: 'Hello World' }, { json: true });
    expect([bad.statusCode, bad.json()]).toEqual([400, { errors: { slug: ['Enter a valid slug.'], __all__: ['Nothing was saved.'] } }]);
  });

  test('request.validate(schema, object) validates the given object', async () => {
    expect((await client.post('/s/given/', { n: 'abc' })).json()).toEqual({ n: 3 });
  });

  test('a callable schema (ArkType\'s shape) is a schema, not a DTO class', async () => {
    const ok = await client.post('/s/callable/', { id: 7 }, { json: true });
    expect([ok.statusCode, ok.json()]).toEqual([200, { id: '7' }]);
    const bad = await client.post('/s/callable/', {}, { json: true });
    expect([bad.statusCode, bad.json()]).toEqual([400, { errors: { id: ['Required.'] } }]);
  });

  test('validationErrorStatus: 422 applies to schemas as to DTOs', async () => {
    const strict = buildClient({ validationErrorStatus: 422 });
    const schema = await strict.post('/s/slug/', { slug: '' }, { json: true });
    const dto = await strict.post('/s/dto/', { count: 'x' }, { json: true });
    expect([schema.statusCode, dto.statusCode]).toEqual([422, 422]);
    expect(schema.json()).toEqual({ errors: { slug: ['Enter a valid slug.'], __all__: ['Nothing was saved.'] } });
    expect(dto.json()).toEqual({ errors: { count: ['count must be an integer number'] } });
  });

  test('a schema that throws is the client\'s bad data (400 "Invalid data."), not a 500', async () => {
    const response = await client.post('/s/throwing/', { a: 1 }, { json: true });
    expect([response.statusCode, response.json()]).toEqual([400, { errors: { __all__: ['Invalid data.'] } }]);
  });

  test('an issue at a client-chosen key such as __proto__ is reported, not merged into Object.prototype', async () => {
    const response = await client.post('/s/record/', '{"__proto__": "x", "ok": 1}', { contentType: 'application/json' });
    expect(response.statusCode).toBe(400);
    expect(response.text).toBe('{"errors":{"__proto__":["Enter a number."]}}');
    expect(Object.prototype).not.toHaveProperty('length');
  });
});

describe('the handler argument is typed from the schema', () => {
  test('a parameter that does not accept the schema output does not compile; matching ones do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-schema-types-'));
    try {
      const src = resolve(__dirname, '../../src').replace(/\\/g, '/');
      writeFileSync(
        join(dir, 'user.ts'),
        [
          `import { z } from 'zod';`,
          `import { Body, Query, type HttpRequest } from '${src}/index';`,
          `const Poll = z.object({ question: z.string(), votes: z.number().default(0) });`,
          `class PageDto { page = 1 }`,
          `export class Polls {`,
          `  a(request: HttpRequest, @Body(Poll) poll: { question: string; votes: number }) { return poll; }`,
          `  b(request: HttpRequest, @Body(Poll) poll: { question: string; votes: string }) { return poll; }`,
          `  c(request: HttpRequest, @Query(PageDto) page: PageDto) { return page; }`,
          `  d(request: HttpRequest, @Query(PageDto) page: string) { return page; }`,
          `  e(request: HttpRequest, @Body() body: unknown) { return body; }`,
          `}`,
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            experimentalDecorators: true,
            emitDecoratorMetadata: true,
            skipLibCheck: true,
            noEmit: true,
            types: ['node'],
            typeRoots: [resolve(__dirname, '../../node_modules/@types')],
            paths: { zod: [resolve(__dirname, '../../node_modules/zod')], '*': [resolve(__dirname, '../../node_modules/*')] },
          },
          files: ['user.ts'],
        }),
      );
      let output = '';
      try {
        execFileSync(resolve(__dirname, '../../node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      const errors = output.split('\n').filter((line) => line.includes('error TS') && line.includes('user.ts'));
      // Only b (votes: string for a number) and d (string for a PageDto) fail.
      expect(errors.map((line) => /user\.ts\((\d+),/.exec(line)?.[1])).toEqual(['7', '9']);
      expect(output).toContain("'the parameter must accept the validated type': { question: string; votes: number; }");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
