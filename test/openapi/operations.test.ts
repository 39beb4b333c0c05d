/**
 * Each route becomes an operation: operationId from the route name (else Controller_method),
 * one tag per controller, query parameters from @Query DTOs and Standard Schemas, request bodies
 * from @Body, the texts of @ApiOperation, and @ApiExclude leaving routes out.
 */
import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { z } from 'zod';
import { ApiExclude, ApiOperation, Body, Controller, Delete, Get, Post, Query, Route } from '../../src';
import { documentOf } from './document-of';

class PageDto {
  @IsOptional() @IsInt() @Min(1) page?: number;
  @IsIn(['new', 'top']) sort!: string;
}

@Controller('/polls')
class PollController {
  @Get('/', { name: 'poll-index' }) index(_r: unknown, @Query(PageDto) _q: PageDto) {}
  @Get('/<int:id>/') detail() {}
  @Route(['GET', 'POST'], '/<int:id>/vote/', { name: 'poll-vote' }) vote() {}
  @Delete('/<int:id>/')
  @ApiOperation({ summary: 'Delete a poll', description: 'Removes the poll and its choices.', deprecated: true })
  remove() {}
  @Get('/hidden/') @ApiExclude() hidden() {}
}

@Controller('/internal')
@ApiExclude()
class InternalController {
  @Get('/') secret() {}
}

@Controller()
class Home {
  @Get('/') home() {}
}

const document = documentOf([PollController, InternalController, Home]);

describe('operations', () => {
  test('operationId is the route name, else Controller_method; a second method of one name gets _<method>', () => {
    expect(document.paths['/polls/'].get!.operationId).toBe('poll-index');
    expect(document.paths['/polls/{id}/'].get!.operationId).toBe('PollController_detail');
    expect(document.paths['/polls/{id}/vote/'].get!.operationId).toBe('poll-vote');
    expect(document.paths['/polls/{id}/vote/'].post!.operationId).toBe('poll-vote_post');
  });

  test('one tag per controller: its name without the Controller suffix; listed once at the top', () => {
    expect(document.paths['/polls/'].get!.tags).toEqual(['Poll']);
    expect(document.paths['/'].get!.tags).toEqual(['Home']);
    expect(document.tags).toEqual([{ name: 'Poll' }, { name: 'Home' }]);
  });

  test('each field of a @Query DTO is a query parameter, required unless @IsOptional', () => {
    expect(document.paths['/polls/'].get!.parameters).toEqual([
      { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
      { name: 'sort', in: 'query', required: true, schema: { type: 'string', enum: ['new', 'top'] } },
    ]);
  });

  test('@ApiOperation gives the summary, description and deprecation', () => {
    expect(document.paths['/polls/{id}/'].delete).toEqual({
      operationId: 'PollController_remove',
      tags: ['Poll'],
      summary: 'Delete a poll',
      description: 'Removes the poll and its choices.',
      deprecated: true,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
      responses: { '200': { description: 'OK' } },
    });
  });

  test('@ApiExclude on a handler or a controller leaves it out; the paths hold exactly the rest', () => {
    expect(Object.keys(document.paths)).toEqual(['/polls/', '/polls/{id}/', '/polls/{id}/vote/', '/']);
    expect(Object.keys(document.paths['/polls/{id}/'])).toEqual(['get', 'delete']);
  });
});

describe('Standard Schema validators, through their JSON Schema export', () => {
  const Signup = z.object({ email: z.email(), age: z.number().int().min(13).max(130) });
  const Page = z.object({ q: z.string().min(1), limit: z.coerce.number().int().max(50).optional() });
  const NoExport = { '~standard': { version: 1 as const, vendor: 'none', validate: (value: unknown) => ({ value }) } };

  @Controller('/s')
  class SchemaController {
    @Post('/signup/') signup(_r: unknown, @Body(Signup) _b: z.output<typeof Signup>) {}
    @Get('/search/') search(_r: unknown, @Query(Page) _q: z.output<typeof Page>) {}
    @Post('/raw/') raw(_r: unknown, @Body(NoExport) _b: unknown) {}
  }
  const doc = documentOf([SchemaController]);

  test("a @Body schema is a component named after its handler, holding the library's JSON Schema", () => {
    expect(doc.paths['/s/signup/'].post!.requestBody!.content['application/json']).toEqual({ schema: { $ref: '#/components/schemas/SchemaController_signup_body' } });
    expect(doc.components.schemas.SchemaController_signup_body).toEqual({
      type: 'object',
      properties: {
        // The pattern is Zod's own email regex.
        email: { type: 'string', format: 'email', pattern: expect.any(String) },
        age: { type: 'integer', minimum: 13, maximum: 130 },
      },
      required: ['email', 'age'],
    });
  });

  test("a @Query schema's properties are query parameters, required as its JSON Schema says", () => {
    expect(doc.paths['/s/search/'].get!.parameters).toEqual([
      { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: -9007199254740991, maximum: 50 } },
    ]);
  });

  test('a Standard Schema without a JSON Schema export is any value ({})', () => {
    expect(doc.paths['/s/raw/'].post!.requestBody!.content['application/json']).toEqual({ schema: {} });
  });
});
