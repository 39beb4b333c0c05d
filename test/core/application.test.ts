import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { container } from 'tsyringe';
import {
  Client,
  Controller,
  Delete,
  Get,
  Head,
  HttpRequest,
  HttpResponse,
  Options,
  Post,
  Put,
  Route,
  createApp,
} from '../../src';

@Controller('/items')
class ItemController {
  @Get('/', { name: 'item-list' })
  list() {
    return { items: [1, 2] };
  }

  @Get('/<int:id>/', { name: 'item-detail' })
  detail(request: HttpRequest, id: number) {
    return { id, type: typeof id, params: request.params, name: request.resolverMatch?.routeName };
  }

  @Get('/match/<slug:tag>/', { name: 'item-match' })
  match(request: HttpRequest) {
    return request.resolverMatch;
  }

  @Put('/<int:id>/')
  replace(_request: HttpRequest, id: number) {
    return { replaced: id };
  }

  @Delete('/<int:id>/')
  remove() {
    return null;
  }

  @Get('/<slug:category>/<int:page>/')
  page(_request: HttpRequest, category: string, page: number) {
    return { category, page };
  }

  @Route(['GET', 'POST'], '/both/')
  both(request: HttpRequest) {
    return request.method;
  }

  @Head('/ping/')
  pingHead() {
    return new HttpResponse('', { headers: { 'X-Ping': 'head' } });
  }

  @Get('/ping/')
  ping() {
    return 'pong';
  }

  @Options('/custom-options/')
  customOptions() {
    return new HttpResponse('custom', { status: 200 });
  }

  @Get('/custom-options/')
  customGet() {
    return 'x';
  }
}

function makeApp(settings: Record<string, unknown> = {}) {
  return createApp({
    controllers: [ItemController],
    middleware: [],
    container: container.createChildContainer(),
    settings: { secretKey: 'test-secret', ...settings },
  });
}

describe('routing through the pipeline (SPEC §2–3)', () => {
  const client = new Client(makeApp());

  test('a static route answers with the handler result as JSON', async () => {
    const response = await client.get('/items/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ items: [1, 2] });
  });

  test('path parameters arrive converted, in pattern order, and in request.params', async () => {
    const response = await client.get('/items/42/');
    expect(response.json()).toEqual({ id: 42, type: 'number', params: { id: 42 }, name: 'item-detail' });
    const page = await client.get('/items/books/3/');
    expect(page.json()).toEqual({ category: 'books', page: 3 });
  });

  test('resolverMatch shows the route, not the compiled handler', async () => {
    const response = await client.get('/items/match/blue-sky/');
    expect(response.json()).toEqual({
      routeName: 'item-match',
      urlName: 'item-match',
      route: '/items/match/<slug:tag>/',
      controllerName: 'ItemController',
      methodName: 'match',
      csrfExempt: false,
      params: { tag: 'blue-sky' },
      kwargs: { tag: 'blue-sky' },
    });
  });

  test('no matching path: 404', async () => {
    const response = await client.get('/nothing/here/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'Not found.' });
  });

  test('a converter that refuses the text is no match: 404', async () => {
    expect((await client.get('/items/abc/')).statusCode).toBe(404);
  });

  test('path matches, method does not: 405 with Allow', async () => {
    const response = await client.post('/items/42/');
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, PUT, DELETE, HEAD, OPTIONS');
  });

  test('one handler for several methods', async () => {
    expect((await client.get('/items/both/')).text).toBe('GET');
    expect((await client.post('/items/both/')).text).toBe('POST');
  });

  test('HEAD is served by the GET handler with the body dropped and the length kept', async () => {
    const response = await client.head('/items/');
    expect(response.statusCode).toBe(200);
    expect(response.body.length).toBe(0);
    // As Django's test client: content and text are empty too.
    expect(response.content.length).toBe(0);
    expect(response.text).toBe('');
    expect(response.headers.get('Content-Type')).toBe('application/json');
  });

  test('a declared HEAD handler wins over the GET one', async () => {
    const response = await client.head('/items/ping/');
    expect(response.headers.get('X-Ping')).toBe('head');
  });

  test('OPTIONS answers 204 with Allow unless a handler is declared', async () => {
    const response = await client.options('/items/42/');
    expect(response.statusCode).toBe(204);
    expect(response.headers.get('Allow')).toBe('GET, PUT, DELETE, HEAD, OPTIONS');
    const custom = await client.options('/items/custom-options/');
    expect(custom.statusCode).toBe(200);
    expect(custom.text).toBe('custom');
  });

  test('null becomes 204 No Content', async () => {
    const response = await client.delete('/items/7/');
    expect(response.statusCode).toBe(204);
    expect(response.body.length).toBe(0);
  });

  test('appendSlash: GET /x that only matches /x/ redirects 301, query kept', async () => {
    const response = await client.get('/items/42?a=1&b=2');
    expect(response.statusCode).toBe(301);
    expect(response.headers.get('Location')).toBe('/items/42/?a=1&b=2');
  });

  test('appendSlash does not redirect POST and can be turned off', async () => {
    expect((await client.post('/items/42')).statusCode).toBe(404);
    const strict = new Client(makeApp({ appendSlash: false }));
    expect((await strict.get('/items/42')).statusCode).toBe(404);
  });

  test('app.reverse builds URLs from route names', () => {
    const app = makeApp();
    expect(app.reverse('item-detail', { id: 5 })).toBe('/items/5/');
    expect(app.reverse('item-list', {}, { page: 2 })).toBe('/items/?page=2');
  });

  test('an undecodable path is a 400, not a 500', async () => {
    const response = await client.get('/items/%E0%A4%A/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(400);
  });
});
