import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import { Client, Controller, Get, HttpRequest, createApp, currentRequest } from '../../src';

@injectable()
class Counter {
  count = 0;
  next() {
    return ++this.count;
  }
}

@injectable()
class Auditor {
  /** A service deep in a call chain that needs the request without taking it as an argument. */
  who(): string {
    return currentRequest().GET.get('who') ?? 'nobody';
  }
}

@Controller('/singleton')
class SingletonController {
  static constructed = 0;
  constructor(
    private readonly counter: Counter,
    private readonly auditor: Auditor,
  ) {
    SingletonController.constructed++;
  }

  @Get('/')
  index() {
    return { n: this.counter.next(), who: this.auditor.who() };
  }
}

@Controller('/scoped', { scope: 'request' })
class ScopedController {
  static constructed = 0;
  constructor(private readonly request: HttpRequest) {
    ScopedController.constructed++;
  }

  @Get('/')
  index() {
    return { path: this.request.path, q: this.request.GET.get('q') };
  }
}

describe('dependency injection with tsyringe (SPEC §9)', () => {
  test('singleton controllers are resolved once at start with their dependencies; no child container per request', async () => {
    const child = container.createChildContainer();
    const app = createApp({ controllers: [SingletonController], middleware: [], container: child, settings: { secretKey: 's', requestContext: true } });
    expect(SingletonController.constructed).toBe(1);
    const spy = jest.spyOn(child, 'createChildContainer');
    const client = new Client(app);
    expect((await client.get('/singleton/', { who: 'ada' })).json()).toEqual({ n: 1, who: 'ada' });
    expect((await client.get('/singleton/')).json()).toEqual({ n: 2, who: 'nobody' });
    expect(SingletonController.constructed).toBe(1);
    expect(spy).not.toHaveBeenCalled();
  });

  test("request-scoped controllers get a fresh instance per request, with the HttpRequest injected", async () => {
    const child = container.createChildContainer();
    const app = createApp({ controllers: [ScopedController], middleware: [], container: child, settings: { secretKey: 's' } });
    expect(ScopedController.constructed).toBe(0);
    const client = new Client(app);
    expect((await client.get('/scoped/', { q: 'one' })).json()).toEqual({ path: '/scoped/', q: 'one' });
    expect((await client.get('/scoped/', { q: 'two' })).json()).toEqual({ path: '/scoped/', q: 'two' });
    expect(ScopedController.constructed).toBe(2);
  });

  test('currentRequest() outside a request throws a clear error, naming the setting once an app runs without it', () => {
    expect(() => currentRequest()).toThrow(
      'currentRequest() was called outside of a request handled by a Reinhardt app, or in an app without the requestContext setting (createApp({ settings: { requestContext: true } })).',
    );
  });
});
