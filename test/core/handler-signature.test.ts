/**
 * Handler signatures checked at start-up (issue 22 item 4): with the decorator metadata the app
 * knows each handler's parameter types, so a handler that would answer wrongly on every request
 * stops createApp with an ImproperlyConfigured (SystemCheckError) naming `Controller.method` and
 * the parameter — routing.E003 to E006 — while the legitimate shapes keep working.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { IsString } from 'class-validator';
import { container as root, inject, injectable } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Body, Param, Query, User } from '../../decorators/params';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { declaredParameters } from '../../src/core/handler-signature';
import { ImproperlyConfigured } from '../../src/http/errors';
import { HttpRequest } from '../../src/http/http-request';
import { SystemCheckError } from '../../src/checks/check-report';
import { Client } from '../../src/testing/client';

const quiet = new CapturingLogger();

function start(...controllers: Function[]) {
  return createApp({ controllers, middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet });
}

/** The report createApp throws, or null when the app starts. */
function startupError(...controllers: Function[]): string | null {
  try {
    start(...controllers);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SystemCheckError);
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    return (error as Error).message;
  }
}

class CreatePollDto {
  @IsString()
  question!: string;
}

describe('routing.E003: a first parameter that is not the request', () => {
  test('typed number on a route with <int:id>: the request would be its value', () => {
    @Controller('/polls')
    class PollController {
      @Get('/<int:id>/')
      detail(id: number) {
        return { id };
      }
    }
    expect(startupError(PollController)).toBe(
      'SystemCheckError: System check identified some issues:\n\n' +
        'ERRORS:\n' +
        'PollController.detail: (routing.E003) The first parameter #0 `id` of PollController.detail is typed number, but a handler\'s first argument is the HttpRequest.\n' +
        "\tHINT: Take the request first: detail(request: HttpRequest, id), or decorate the parameter (@Param('id'), @Body(Dto), ...).\n\n" +
        'System check identified 1 issue (0 silenced).',
    );
  });

  test('typed as a DTO class: the whole HttpRequest would be answered as JSON with a 200', () => {
    @Controller('/api/polls')
    class PollApi {
      @Post('/')
      create(body: CreatePollDto) {
        return body;
      }
    }
    expect(startupError(PollApi)).toContain(
      "PollApi.create: (routing.E003) The first parameter #0 `body` of PollApi.create is typed CreatePollDto, but a handler's first argument is the HttpRequest.\n" +
        '\tHINT: Take the request first (request: HttpRequest), or decorate the parameter (@Body(Dto), @Query(Dto), @User(), @Session()).',
    );
  });
});

describe('routing.E004: a route parameter that no argument receives', () => {
  test('the second of two route parameters, when the handler takes the first as an argument', () => {
    @Controller('/archive')
    class ArchiveController {
      @Get('/<int:year>/<int:month>/')
      month(_request: HttpRequest, year: number) {
        return { year };
      }
    }
    expect(startupError(ArchiveController)).toContain(
      "ArchiveController.month: (routing.E004) The route parameter 'month' of /archive/<int:year>/<int:month>/ reaches no argument of ArchiveController.month.\n" +
        "\tHINT: Take it as parameter #2 (after the request and the route parameters before it), or anywhere with @Param('month').",
    );
  });

  test('a positional slot taken by @Body while another argument is @Param of the other name', () => {
    @Controller('/items')
    class ItemController {
      @Post('/<int:list>/<int:id>/')
      update(_request: HttpRequest, @Body(CreatePollDto) body: CreatePollDto, @Param('list') list: number) {
        return { body, list };
      }
    }
    expect(startupError(ItemController)).toContain("ItemController.update: (routing.E004) The route parameter 'id' of /items/<int:list>/<int:id>/ reaches no argument of ItemController.update.");
  });
});

describe('routing.E005: a parameter that receives nothing', () => {
  test('a DTO without @Body: always undefined; the hint names @Body and @Query', () => {
    @Controller('/api/polls')
    class PollApi {
      @Post('/')
      create(_request: HttpRequest, body: CreatePollDto) {
        return body;
      }
    }
    expect(startupError(PollApi)).toContain(
      'PollApi.create: (routing.E005) The parameter #1 `body` of PollApi.create (CreatePollDto) receives nothing: the route /api/polls/ has no parameters.\n' +
        "\tHINT: A body or query DTO takes @Body(CreatePollDto) or @Query(CreatePollDto); a service goes in the controller's constructor, where tsyringe injects it.",
    );
  });

  test('one argument more than the route has parameters', () => {
    @Controller('/polls')
    class PollController {
      @Get('/<int:id>/')
      detail(_request: HttpRequest, id: number, page: number) {
        return { id, page };
      }
    }
    expect(startupError(PollController)).toContain(
      'PollController.detail: (routing.E005) The parameter #2 `page` of PollController.detail receives nothing: the route /polls/<int:id>/ has only 1 parameter.\n' +
        '\tHINT: Decorate it (@Param(name), @Body(), @Query(), @User(), @Session()), or remove it.',
    );
  });
});

describe('routing.E006: a controller the container cannot make', () => {
  test("a dependency without @injectable(): said so, instead of tsyringe's TypeInfo not known", () => {
    class Database {
      constructor(readonly url: string) {}
    }
    @injectable()
    class Repo {
      constructor(readonly db: Database) {}
    }
    @Controller('/repo')
    class RepoController {
      constructor(private readonly repo: Repo) {}
      @Get('/')
      index() {
        return { ok: this.repo !== undefined };
      }
    }
    expect(startupError(RepoController)).toBe(
      'SystemCheckError: System check identified some issues:\n\n' +
        'ERRORS:\n' +
        'RepoController: (routing.E006) RepoController cannot be created: the constructor parameter #0 `repo` of RepoController is the class Repo, which cannot be made: ' +
        'the constructor parameter #0 `db` of Repo is the class Database, which is not registered in the container and is not decorated with @injectable(), so tsyringe cannot make it (it would say: TypeInfo not known for "Database").\n' +
        '\tHINT: Decorate the class with @injectable() (from tsyringe) or register it in the container; give a parameter typed by an interface a token with @inject(TOKEN).\n\n' +
        'System check identified 1 issue (0 silenced).',
    );
  });

  test('request-scoped controllers are checked at start too, and an interface-typed parameter without a token is named', () => {
    interface Clock {
      now(): number;
    }
    @Controller('/clock', { scope: 'request' })
    class ClockController {
      constructor(private readonly clock: Clock) {}
      @Get('/')
      index() {
        return { now: this.clock.now() };
      }
    }
    expect(startupError(ClockController)).toContain(
      'ClockController: (routing.E006) ClockController cannot be created: the constructor parameter #0 `clock` of ClockController is typed Object (an interface, a union or a primitive is Object, String... at run time), which tsyringe cannot inject: give it a token with @inject(TOKEN) and register the token.',
    );
  });

  test('registered classes, @inject tokens, no-argument classes and the request of a request-scoped controller pass', async () => {
    class Settings {
      constructor(readonly name: string) {}
    }
    class NoArgs {
      readonly made = true;
    }
    @Controller('/fine', { scope: 'request' })
    class FineController {
      constructor(
        private readonly settings: Settings,
        @inject('greeting') private readonly greeting: string,
        private readonly noArgs: NoArgs,
        private readonly request: HttpRequest,
      ) {}
      @Get('/')
      index() {
        return { name: this.settings.name, greeting: this.greeting, made: this.noArgs.made, path: this.request.path };
      }
    }
    const container = root.createChildContainer();
    container.registerInstance(Settings, new Settings('site'));
    container.registerInstance('greeting', 'hello');
    const app = createApp({ controllers: [FineController], middleware: [], settings: { secretKey: 'k' }, container, logger: quiet });
    expect((await new Client(app).get('/fine/')).json()).toEqual({ name: 'site', greeting: 'hello', made: true, path: '/fine/' });
  });
});

describe('legitimate signatures start and answer', () => {
  class Page {
    @IsString()
    q!: string;
  }
  @Controller('/ok')
  class OkController {
    @Get('/')
    none() {
      return { none: true };
    }

    @Get('/<int:id>/untyped/')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    untyped(request: any, id: number) {
      return { id, path: request.path };
    }

    @Get('/<int:id>/ignored/')
    ignored(request: HttpRequest) {
      return { fromParams: request.params.id };
    }

    @Get('/<int:id>/by-name/')
    byName(@Param('id') id: number) {
      return { id };
    }

    @Get('/<slug:a>/<slug:b>/rest/')
    rest(_request: HttpRequest, ...parts: string[]) {
      return { parts };
    }

    @Post('/<int:id>/decorated/')
    decorated(_request: HttpRequest, id: number, @Query(Page) page: Page, @User() user: unknown) {
      return { id, q: page.q, user: user !== undefined };
    }
  }

  test('no parameters, an untyped request, params read from request.params, @Param first, a rest parameter, decorated extras', async () => {
    const client = new Client(start(OkController));
    expect((await client.get('/ok/')).json()).toEqual({ none: true });
    expect((await client.get('/ok/3/untyped/')).json()).toEqual({ id: 3, path: '/ok/3/untyped/' });
    expect((await client.get('/ok/4/ignored/')).json()).toEqual({ fromParams: 4 });
    expect((await client.get('/ok/5/by-name/')).json()).toEqual({ id: 5 });
    expect((await client.get('/ok/x/y/rest/')).json()).toEqual({ parts: ['x', 'y'] });
    expect((await client.post('/ok/6/decorated/?q=tea')).json()).toEqual({ id: 6, q: 'tea', user: false });
  });

  test('a request typed through `import type` starts: tsc emits Function for it (swc emits Object)', async () => {
    @Controller('/typed-import')
    class TypeImportController {
      @Get('/')
      page(request: HttpRequest) {
        return { path: request.path };
      }
    }
    // What `tsc` writes for `page(request: HttpRequest)` when HttpRequest came from `import type`.
    Reflect.defineMetadata('design:paramtypes', [Function], TypeImportController.prototype, 'page');
    expect(startupError(TypeImportController)).toBeNull();
    expect((await new Client(start(TypeImportController)).get('/typed-import/')).json()).toEqual({ path: '/typed-import/' });
  });

  test('a controller written in plain JavaScript (no metadata) is judged by its parameter names alone', () => {
    const names = declaredParameters(function user(request: unknown, id: unknown) {
      return [request, id];
    }, undefined);
    expect(names.map((p) => [p.name, p.type])).toEqual([
      ['request', undefined],
      ['id', undefined],
    ]);
    expect(declaredParameters(function f({ a }: { a: number }, b = '(,)', ...c: unknown[]) {
      return [a, b, c];
    }, undefined).map((p) => [p.name, p.rest])).toEqual([
      [null, false],
      ['b', false],
      ['c', true],
    ]);
  });
});
