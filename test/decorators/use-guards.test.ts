/**
 * @UseGuards and @UseMiddleware on a controller class or a handler, and the built-in guards on a
 * class (issue 22 item 1): class before method, in the order written; a guard class resolved
 * once from the app's container; per-route middleware composed like the app's onion (Django's
 * decorator_from_middleware); and a class-level @CsrfExempt over a real socket.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { container as root, injectable } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { CsrfExempt, LoginRequired, PermissionRequired } from '../../decorators/guards';
import { RateLimit } from '../../decorators/rate-limit';
import { Get, Post } from '../../decorators/route';
import { UseGuards, UseMiddleware } from '../../decorators/use';
import { createApp, type Application } from '../../src/core/application';
import { isSimpleRoute } from '../../src/core/invoke';
import type { NextHandler } from '../../src/core/middleware';
import type { CompiledRoute, RouteGuard } from '../../src/core/route-table';
import { Http404, ImproperlyConfigured, PermissionDenied } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { JsonResponse } from '../../src/http/json-response';
import type { RouteInfo } from '../../src/routing/resolver-match';
import { Client } from '../../src/testing/client';
import { Accounts, alice, bob } from '../auth/fixtures';
import { UserProvider } from '../../src/auth/user-provider';

const quiet = new CapturingLogger();
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

/** What the guards and middleware of one request did, in order. */
let trail: string[] = [];

const classGuardA: RouteGuard = (_request, route) => {
  trail.push(`classA:${route.controllerName}.${route.methodName}`);
};
const classGuardB: RouteGuard = () => {
  trail.push('classB');
};
const methodGuardC: RouteGuard = () => {
  trail.push('methodC');
};
const methodGuardD: RouteGuard = async () => {
  await Promise.resolve();
  trail.push('methodD');
};
const answersTeapot: RouteGuard = () => new HttpResponse('short and stout', { status: 418 });
const hidesIt: RouteGuard = () => {
  throw new Http404('hidden');
};

/** A service the guard class needs: its constructor takes it from the container. */
@injectable()
class ApiKeys {
  static made = 0;
  constructor() {
    ApiKeys.made++;
  }
  isValid(key: string | undefined): boolean {
    return key === 'sesame';
  }
}

@injectable()
class ApiKeyGuard {
  static made = 0;
  constructor(private readonly keys: ApiKeys) {
    ApiKeyGuard.made++;
  }
  check(request: HttpRequest, route: RouteInfo): void {
    trail.push(`apiKey:${route.route}`);
    if (!this.keys.isValid(request.headers.get('X-Api-Key'))) throw new PermissionDenied();
  }
}

@Controller('/mixed')
@UseGuards(classGuardA)
@UseGuards(classGuardB)
class MixedController {
  @Get('/')
  @UseGuards(methodGuardC, methodGuardD)
  index() {
    trail.push('handler');
    return { ok: true };
  }

  @Get('/teapot/')
  @UseGuards(answersTeapot, methodGuardC)
  teapot() {
    trail.push('handler');
    return { ok: true };
  }

  @Get('/hidden/')
  @UseGuards(hidesIt)
  hidden() {
    return { ok: true };
  }
}

@Controller('/keyed')
@UseGuards(ApiKeyGuard)
class KeyedController {
  @Get('/')
  index() {
    return { secret: 42 };
  }

  @Get('/<int:id>/')
  detail(_request: HttpRequest, id: number) {
    return { id };
  }
}

@Controller('/also-keyed')
class AlsoKeyedController {
  @Get('/')
  @UseGuards(ApiKeyGuard)
  index() {
    return { also: true };
  }
}

function keyedApp() {
  const container = root.createChildContainer();
  return createApp({ controllers: [KeyedController, AlsoKeyedController], middleware: [], settings: { secretKey: 'k' }, container, logger: quiet });
}

describe('@UseGuards: class and method guards', () => {
  const client = new Client(createApp({ controllers: [MixedController], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet }));
  beforeEach(() => {
    trail = [];
  });

  test("the class's guards run before the method's, each in the order written, then the handler", async () => {
    const response = await client.get('/mixed/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(trail).toEqual(['classA:MixedController.index', 'classB', 'methodC', 'methodD', 'handler']);
  });

  test('a guard that returns a response answers instead of the handler; the guards after it do not run', async () => {
    const response = await client.get('/mixed/teapot/');
    expect(response.statusCode).toBe(418);
    expect(response.text).toBe('short and stout');
    expect(trail).toEqual(['classA:MixedController.teapot', 'classB']);
  });

  test('a guard that throws Http404 gives the 404 view', async () => {
    const response = await client.get('/mixed/hidden/', undefined, JSON_ACCEPT);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'hidden' });
  });
});

describe('@UseGuards with an injectable guard class', () => {
  beforeEach(() => {
    trail = [];
    ApiKeys.made = 0;
    ApiKeyGuard.made = 0;
  });

  test('it is resolved from the container once per app, its dependency injected, whatever the number of routes', () => {
    keyedApp();
    expect(ApiKeyGuard.made).toBe(1);
    expect(ApiKeys.made).toBe(1);
  });

  test('without the key: 403 from the PermissionDenied it throws; with it: the handler answers', async () => {
    const client = new Client(keyedApp());
    const refused = await client.get('/keyed/7/', undefined, JSON_ACCEPT);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    const allowed = await client.get('/keyed/7/', undefined, { headers: { 'X-Api-Key': 'sesame' } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json()).toEqual({ id: 7 });
    expect(trail).toEqual(['apiKey:/keyed/<int:id>/', 'apiKey:/keyed/<int:id>/']);
  });

  test('on a method of another controller too', async () => {
    const client = new Client(keyedApp());
    expect((await client.get('/also-keyed/', undefined, JSON_ACCEPT)).statusCode).toBe(403);
    expect((await client.get('/also-keyed/', undefined, { headers: { 'X-Api-Key': 'sesame' } })).json()).toEqual({ also: true });
  });

  test('a subclass of a guarded controller stays guarded: its own guards wrap the inherited ones, as they always did on methods', async () => {
    @Controller('/keyed-child')
    @UseGuards(methodGuardC)
    class KeyedChildController extends KeyedController {
      @Get('/child/')
      child() {
        return { child: true };
      }
    }
    const client = new Client(createApp({ controllers: [KeyedChildController], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet }));
    expect((await client.get('/keyed-child/child/', undefined, JSON_ACCEPT)).statusCode).toBe(403);
    expect(trail).toEqual(['methodC', 'apiKey:/keyed-child/child/']);
  });

  test('a middleware that is none fails at createApp, naming the route', () => {
    @Controller('/broken-mw')
    class BrokenMiddlewareController {
      @Get('/')
      @UseMiddleware(42 as never)
      index() {
        return {};
      }
    }
    expect(() => createApp({ controllers: [BrokenMiddlewareController], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet })).toThrow(
      new ImproperlyConfigured('@UseMiddleware on BrokenMiddlewareController.index: Middleware must be a function, a class with handle(request, next), or an instance of one; got 42.'),
    );
  });

  test('a value that is no guard fails at createApp, naming the route', () => {
    @Controller('/broken')
    @UseGuards({} as never)
    class BrokenController {
      @Get('/')
      index() {
        return {};
      }
    }
    expect(() => createApp({ controllers: [BrokenController], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet })).toThrow(
      new ImproperlyConfigured('A guard of BrokenController.index is not a function, a class with check(request, route), or an instance of one; got a object.'),
    );
  });

  test('a class without check() fails at createApp instead of throwing on every request', () => {
    class NotAGuard {}
    @Controller('/broken2')
    class BrokenController2 {
      @Get('/')
      @UseGuards(NotAGuard as never)
      index() {
        return {};
      }
    }
    expect(() => createApp({ controllers: [BrokenController2], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet })).toThrow(
      'A guard of BrokenController2.index is not a function, a class with check(request, route), or an instance of one; got the class NotAGuard (it has no check method).',
    );
  });
});

@Controller('/members')
@LoginRequired()
class MembersController {
  @Get('/')
  index(request: HttpRequest) {
    return { username: request.user.username };
  }

  @Get('/editors/')
  @PermissionRequired('polls.change_poll')
  editors() {
    return { editors: true };
  }
}

@Controller('/staff')
@PermissionRequired('polls.change_poll')
class StaffController {
  @Get('/')
  index() {
    return { staff: true };
  }
}

describe('the built-in guards on a controller class', () => {
  function setup() {
    const container = root.createChildContainer();
    container.register(UserProvider, { useClass: Accounts });
    return new Client(createApp({ controllers: [MembersController, StaffController], settings: { secretKey: 'k' }, container, logger: quiet }));
  }

  test('@LoginRequired() on the class: every handler sends anonymous visitors to log in (302 for HTML, 401 for JSON)', async () => {
    const client = setup();
    const page = await client.get('/members/editors/');
    expect(page.statusCode).toBe(302);
    expect(page.headers.get('Location')).toBe('/accounts/login/?next=/members/editors/');
    const api = await client.get('/members/', undefined, JSON_ACCEPT);
    expect(api.statusCode).toBe(401);
    expect(api.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  test('class @LoginRequired() runs before the method @PermissionRequired(): logged in without the permission is 403', async () => {
    const client = setup();
    await client.forceLogin(bob);
    expect((await client.get('/members/')).json()).toEqual({ username: 'bob' });
    expect((await client.get('/members/editors/', undefined, JSON_ACCEPT)).statusCode).toBe(403);
    await client.forceLogin(alice);
    expect((await client.get('/members/editors/')).json()).toEqual({ editors: true });
  });

  test('@PermissionRequired() on the class: 403 without it, the handler with it', async () => {
    const client = setup();
    expect((await client.get('/staff/', undefined, JSON_ACCEPT)).statusCode).toBe(403);
    await client.forceLogin(alice);
    expect((await client.get('/staff/')).json()).toEqual({ staff: true });
  });
});

@Controller('/limited-class')
@RateLimit('2/h', { key: () => 'use-guards-test' })
class LimitedController {
  @Get('/a/')
  a() {
    return { a: true };
  }

  @Get('/b/')
  b() {
    return { b: true };
  }
}

describe('@RateLimit on a controller class', () => {
  test('the handlers of the class share one count: the third request to either is 429', async () => {
    const client = new Client(createApp({ controllers: [LimitedController], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet }));
    expect((await client.get('/limited-class/a/')).statusCode).toBe(200);
    expect((await client.get('/limited-class/b/')).statusCode).toBe(200);
    const over = await client.get('/limited-class/a/', undefined, JSON_ACCEPT);
    expect(over.statusCode).toBe(429);
    expect(over.headers.get('Retry-After')).toMatch(/^\d+$/);
  });
});

/** A middleware class with a dependency, resolved from the container as the app's middleware are. */
@injectable()
class Stamp {
  readonly value = 'stamped';
}

@injectable()
class StampMiddleware {
  constructor(private readonly stamp: Stamp) {}
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    trail.push('class-mw:before');
    const response = await next(request);
    trail.push(`class-mw:after:${response.statusCode}`);
    response.headers.set('X-Stamp', this.stamp.value);
    return response;
  }
}

async function methodMiddleware(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
  trail.push('method-mw:before');
  const response = await next(request);
  trail.push(`method-mw:after:${response.statusCode}`);
  return response;
}

function shortCircuit(): HttpResponse {
  trail.push('short-circuit');
  return new JsonResponse({ cached: true });
}

const refuse: RouteGuard = () => {
  trail.push('guard');
  throw new PermissionDenied();
};

@Controller('/wrapped')
@UseMiddleware(StampMiddleware)
class WrappedController {
  @Get('/')
  @UseMiddleware(methodMiddleware)
  index() {
    trail.push('handler');
    return { ok: true };
  }

  @Get('/guarded/')
  @UseMiddleware(methodMiddleware)
  @UseGuards(refuse)
  guarded() {
    trail.push('handler');
    return { ok: true };
  }

  @Get('/missing/')
  missing() {
    throw new Http404('no such report');
  }

  @Get('/short/')
  @UseMiddleware(shortCircuit)
  short() {
    trail.push('handler');
    return { ok: true };
  }
}

@Controller('/plain')
class PlainController {
  @Get('/')
  index() {
    return { plain: true };
  }
}

describe('@UseMiddleware: per-route middleware, the same onion as the app\'s', () => {
  let app: Application;
  let client: Client;
  beforeAll(() => {
    app = createApp({ controllers: [WrappedController, PlainController], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: quiet });
    client = new Client(app);
  });
  beforeEach(() => {
    trail = [];
  });

  test("the class's middleware is outside the method's; both wrap the handler", async () => {
    const response = await client.get('/wrapped/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('X-Stamp')).toBe('stamped');
    expect(trail).toEqual(['class-mw:before', 'method-mw:before', 'handler', 'method-mw:after:200', 'class-mw:after:200']);
  });

  test('the guards run inside the route middleware, which see the 403 a guard threw as a response', async () => {
    const response = await client.get('/wrapped/guarded/', undefined, JSON_ACCEPT);
    expect(response.statusCode).toBe(403);
    expect(response.headers.get('X-Stamp')).toBe('stamped');
    expect(trail).toEqual(['class-mw:before', 'method-mw:before', 'guard', 'method-mw:after:403', 'class-mw:after:403']);
  });

  test("a handler's exception becomes the error view's response inside the route middleware", async () => {
    const response = await client.get('/wrapped/missing/', undefined, JSON_ACCEPT);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'no such report' });
    expect(response.headers.get('X-Stamp')).toBe('stamped');
    expect(trail).toEqual(['class-mw:before', 'class-mw:after:404']);
  });

  test('a route middleware may answer without calling next: the handler does not run', async () => {
    const response = await client.get('/wrapped/short/');
    expect(response.json()).toEqual({ cached: true });
    expect(trail).toEqual(['class-mw:before', 'short-circuit', 'class-mw:after:200']);
  });

  test('the app middleware still wraps the route (security headers), and other controllers are untouched', async () => {
    const wrapped = await client.get('/wrapped/');
    expect(wrapped.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const plain = await client.get('/plain/');
    expect(plain.json()).toEqual({ plain: true });
    expect(plain.headers.has('X-Stamp')).toBe(false);
  });

  test('a route without guards or middleware keeps the synchronous fast path; one with middleware leaves it', () => {
    const routeOf = (path: string) => app.router.match('GET', path)!.value as CompiledRoute;
    expect(isSimpleRoute(routeOf('/plain/'))).toBe(true);
    expect(routeOf('/plain/').chain).toBeNull();
    expect(isSimpleRoute(routeOf('/wrapped/missing/'))).toBe(false);
    expect(routeOf('/wrapped/missing/').chain).not.toBeNull();
  });
});

@Controller('/hooks')
@CsrfExempt()
class HooksController {
  @Post('/payment/')
  payment(request: HttpRequest) {
    return { received: request.POST.get('amount') };
  }
}

@Controller('/forms')
class FormsController {
  @Post('/')
  submit() {
    return { ok: true };
  }
}

/** One raw HTTP/1.1 request over a socket; the whole answer as text. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text);
  });
}

describe('@CsrfExempt() on a controller class, over a socket with the default middleware', () => {
  let app: Application;
  let port: number;
  beforeAll(async () => {
    app = createApp({ controllers: [HooksController, FormsController], settings: { secretKey: 'k', allowedHosts: ['127.0.0.1'] }, container: root.createChildContainer(), logger: quiet });
    const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  function post(path: string): Promise<string> {
    const body = 'amount=12';
    return rawRequest(
      port,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  test('a POST without a CSRF cookie or token reaches every handler of the exempt class', async () => {
    const answer = await post('/hooks/payment/');
    expect(answer.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(answer.endsWith('\r\n\r\n{"received":"12"}')).toBe(true);
  });

  test('the same POST to a controller that is not exempt is refused 403 (CSRF cookie not set)', async () => {
    const answer = await post('/forms/');
    expect(answer.startsWith('HTTP/1.1 403 Forbidden\r\n')).toBe(true);
    expect(answer).toContain('CSRF cookie not set');
  });
});
