/**
 * Responses: @Returns as declared, a DTO return type where TypeScript emits it, and what the
 * framework answers by itself (the validation error with its configured status, 401/403 of
 * guards, 403 of CSRF, 429 of rate limits), each with its error shape. Never 405.
 */
import 'reflect-metadata';
import { IsInt, IsString } from 'class-validator';
import {
  Body, Controller, CsrfExempt, DEFAULT_MIDDLEWARE, Get, HttpResponseNoContent, JsonResponse, LoginRequired, PermissionRequired, Post, Query, RateLimit, Returns, UseGuards,
} from '../../src';
import { documentOf } from './document-of';

class PollDto {
  @IsInt() id!: number;
  @IsString() question!: string;
}
class CreatePollDto {
  @IsString() question!: string;
}
class PageDto {
  @IsInt() page!: number;
}

const ERROR = { $ref: '#/components/schemas/ErrorDetail' };
const ERRORS = { $ref: '#/components/schemas/ValidationErrors' };
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });

@Controller('/polls')
class PollController {
  @Post('/')
  @Returns(201, PollDto)
  @Returns(404, PollDto, 'No such question.')
  create(_r: unknown, @Body(CreatePollDto) _b: CreatePollDto) {}

  @Get('/')
  @Returns(200, [PollDto])
  list() {}

  @Post('/<int:id>/close/')
  @Returns(204)
  close(_r: unknown, _id: number) {
    return new HttpResponseNoContent();
  }

  @Get('/<int:id>/')
  detail(_r: unknown, _id: number): PollDto {
    return new PollDto();
  }

  @Get('/<int:id>/async/')
  async detailAsync(_r: unknown, _id: number): Promise<PollDto> {
    return new PollDto();
  }

  @Get('/<int:id>/json/')
  detailJson(_r: unknown, _id: number): JsonResponse<PollDto> {
    return new JsonResponse(new PollDto());
  }

  @Get('/search/')
  search(_r: unknown, @Query(PageDto) _q: PageDto) {}

  @Get('/mine/')
  @LoginRequired()
  mine() {}

  @Get('/admin/')
  @LoginRequired()
  @PermissionRequired('polls.change_poll')
  admin() {}

  @Get('/custom/')
  @UseGuards(() => undefined)
  custom() {}

  @Get('/limited/')
  @RateLimit('5/m')
  limited() {}
}

describe('declared and inferred responses', () => {
  const paths = documentOf([PollController]).paths;

  test('@Returns(status, Dto, description) per status; the body is the $ref', () => {
    expect(paths['/polls/'].post!.responses).toEqual({
      '201': json('Created', { $ref: '#/components/schemas/PollDto' }),
      '404': json('No such question.', { $ref: '#/components/schemas/PollDto' }),
      '400': json('Bad Request', { oneOf: [ERRORS, ERROR] }),
    });
  });

  test('@Returns(200, [Dto]) is an array of the DTO; @Returns(204) has no content', () => {
    expect(paths['/polls/'].get!.responses).toEqual({ '200': json('OK', { type: 'array', items: { $ref: '#/components/schemas/PollDto' } }) });
    expect(paths['/polls/{id}/close/'].post!.responses).toEqual({ '204': { description: 'No Content' } });
  });

  test('a handler declared to return a DTO class gets a 200 with its schema; Promise<Dto> and JsonResponse<Dto> are erased', () => {
    expect(paths['/polls/{id}/'].get!.responses).toEqual({ '200': json('OK', { $ref: '#/components/schemas/PollDto' }) });
    expect(paths['/polls/{id}/async/'].get!.responses).toEqual({ '200': { description: 'OK' } });
    expect(paths['/polls/{id}/json/'].get!.responses).toEqual({ '200': { description: 'OK' } });
  });
});

describe('what the framework answers by itself', () => {
  test('a @Query DTO: 400 with the validation errors', () => {
    expect(documentOf([PollController]).paths['/polls/search/'].get!.responses).toEqual({ '200': { description: 'OK' }, '400': json('Bad Request', ERRORS) });
  });

  test('validationErrorStatus 422: 422 with the validation errors, and 400 for a body that does not parse', () => {
    const paths = documentOf([PollController], { settings: { validationErrorStatus: 422 } }).paths;
    expect(paths['/polls/'].post!.responses['422']).toEqual(json('Unprocessable Entity', ERRORS));
    expect(paths['/polls/'].post!.responses['400']).toEqual(json('Bad Request', ERROR));
    expect(paths['/polls/search/'].get!.responses).toEqual({ '200': { description: 'OK' }, '422': json('Unprocessable Entity', ERRORS) });
  });

  test('@LoginRequired: 401; @PermissionRequired and a guard of one\'s own: 403', () => {
    const paths = documentOf([PollController]).paths;
    expect(paths['/polls/mine/'].get!.responses).toEqual({ '200': { description: 'OK' }, '401': json('Unauthorized', ERROR) });
    expect(paths['/polls/admin/'].get!.responses).toEqual({ '200': { description: 'OK' }, '401': json('Unauthorized', ERROR), '403': json('Forbidden', ERROR) });
    expect(paths['/polls/custom/'].get!.responses).toEqual({ '200': { description: 'OK' }, '403': json('Forbidden', ERROR) });
  });

  test('@RateLimit: 429 with Retry-After', () => {
    expect(documentOf([PollController]).paths['/polls/limited/'].get!.responses).toEqual({
      '200': { description: 'OK' },
      '429': {
        description: 'Too Many Requests',
        headers: { 'Retry-After': { description: 'Seconds until the rate limit window resets.', schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/json': { schema: ERROR } },
      },
    });
  });

  test('never 405, whatever the route', () => {
    expect(JSON.stringify(documentOf([PollController]).paths)).not.toContain('"405"');
  });
});

describe('security schemes from the middleware', () => {
  @Controller('/s')
  class SecureController {
    @Get('/open/') open() {}
    @Get('/mine/') @LoginRequired() mine() {}
    @Post('/vote/') vote() {}
    @Post('/profile/') @LoginRequired() profile() {}
    @Post('/hook/') @CsrfExempt() hook() {}
  }

  test("Django's default middleware: the session cookie, and the CSRF cookie with its header", () => {
    const document = documentOf([SecureController], { middleware: [...DEFAULT_MIDDLEWARE], settings: { sessionCookieName: 'sid', csrfCookieName: 'csrf' } });
    expect(document.components.securitySchemes).toEqual({
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sid', description: 'The session cookie set at login.' },
      csrfCookie: { type: 'apiKey', in: 'cookie', name: 'csrf', description: 'The CSRF cookie; the header must carry its token.' },
      csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRFToken', description: 'The CSRF token of the cookie, required on POST, PUT, PATCH and DELETE.' },
    });
  });

  test('per operation: the session for @LoginRequired, the CSRF pair for unsafe methods unless @CsrfExempt, all together', () => {
    const paths = documentOf([SecureController], { middleware: [...DEFAULT_MIDDLEWARE] }).paths;
    expect(paths['/s/open/'].get!.security).toBeUndefined();
    expect(paths['/s/mine/'].get!.security).toEqual([{ sessionCookie: [] }]);
    expect(paths['/s/vote/'].post!.security).toEqual([{ csrfCookie: [], csrfHeader: [] }]);
    expect(paths['/s/vote/'].post!.responses['403']).toEqual(json('Forbidden', ERROR));
    expect(paths['/s/profile/'].post!.security).toEqual([{ sessionCookie: [], csrfCookie: [], csrfHeader: [] }]);
    expect(paths['/s/hook/'].post!.security).toBeUndefined();
    expect(paths['/s/hook/'].post!.responses).toEqual({ '200': { description: 'OK' } });
  });

  test('a csrfHeaderName of its own is named as the header a client sends', () => {
    const document = documentOf([SecureController], { middleware: [...DEFAULT_MIDDLEWARE], settings: { csrfHeaderName: 'HTTP_X_XSRF_TOKEN' } });
    expect(document.components.securitySchemes!.csrfHeader).toMatchObject({ in: 'header', name: 'X-Xsrf-Token' });
  });

  test('without the session and CSRF middleware: no schemes, no requirements', () => {
    const document = documentOf([SecureController]);
    expect(document.components.securitySchemes).toBeUndefined();
    expect(JSON.stringify(document.paths)).not.toContain('"security"');
  });
});
