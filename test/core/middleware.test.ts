import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container, injectable } from 'tsyringe';
import { Client, Controller, Get, HttpRequest, HttpResponse, createApp, type NextHandler } from '../../src';

const calls: string[] = [];

@Controller()
class OnionController {
  @Get('/ok/')
  ok() {
    calls.push('handler');
    return 'ok';
  }

  @Get('/boom/')
  boom(): never {
    throw new Error('handler exploded');
  }
}

@injectable()
class Greeting {
  readonly word = 'hello';
}

@injectable()
class HeaderMiddleware {
  static instances = 0;
  constructor(private readonly greeting: Greeting) {
    HeaderMiddleware.instances++;
  }
  async handle(request: HttpRequest, next: NextHandler) {
    calls.push('class:before');
    const response = await next(request);
    calls.push('class:after');
    response.headers.set('X-Greeting', this.greeting.word);
    return response;
  }
}

async function outer(request: HttpRequest, next: NextHandler) {
  calls.push('outer:before');
  const response = await next(request);
  calls.push(`outer:after:${response.statusCode}`);
  response.headers.set('X-Outer', 'seen');
  return response;
}

async function explode(): Promise<HttpResponse> {
  throw new Error('middleware exploded');
}

const silent = new CapturingLogger();

describe('middleware onion (SPEC §3)', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  test('runs outermost first, sees the response on the way out, classes resolved once from the container', async () => {
    const app = createApp({
      controllers: [OnionController],
      middleware: [outer, HeaderMiddleware],
      container: container.createChildContainer(),
      settings: { secretKey: 's' },
      logger: silent,
    });
    const client = new Client(app);
    const first = await client.get('/ok/');
    await client.get('/ok/');
    expect(first.text).toBe('ok');
    expect(first.headers.get('X-Greeting')).toBe('hello');
    expect(first.headers.get('X-Outer')).toBe('seen');
    expect(calls.slice(0, 5)).toEqual(['outer:before', 'class:before', 'handler', 'class:after', 'outer:after:200']);
    expect(HeaderMiddleware.instances).toBe(1);
  });

  test('a handler exception becomes a response before the middleware sees it', async () => {
    const app = createApp({ controllers: [OnionController], middleware: [outer], container: container.createChildContainer(), settings: { secretKey: 's' }, logger: silent });
    const response = await new Client(app).get('/boom/');
    expect(response.statusCode).toBe(500);
    expect(response.headers.get('X-Outer')).toBe('seen');
    expect(calls).toEqual(['outer:before', 'outer:after:500']);
  });

  test('a middleware exception becomes a response at that layer, so the outer layer still sees one', async () => {
    const app = createApp({ controllers: [OnionController], middleware: [outer, explode], container: container.createChildContainer(), settings: { secretKey: 's' }, logger: silent });
    const response = await new Client(app).get('/ok/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ detail: 'Server Error' });
    expect(response.headers.get('X-Outer')).toBe('seen');
    expect(calls).toEqual(['outer:before', 'outer:after:500']);
  });

  test('a middleware that returns no response is named in the 500 it causes', async () => {
    const logger = new CapturingLogger();
    const broken = async () => undefined as unknown as HttpResponse;
    const app = createApp({
      controllers: [OnionController],
      middleware: [broken],
      container: container.createChildContainer(),
      settings: { secretKey: 's' },
      logger,
    });
    expect((await new Client(app).get('/ok/')).statusCode).toBe(500);
    expect(String((logger.records[0].err as Error).message)).toContain("broken didn't return an HttpResponse object");
  });

  test('an instance with handle() is used as given', async () => {
    const instance = {
      async handle(request: HttpRequest, next: NextHandler) {
        const response = await next(request);
        response.headers.set('X-Instance', '1');
        return response;
      },
    };
    const app = createApp({ controllers: [OnionController], middleware: [instance], container: container.createChildContainer(), settings: { secretKey: 's' } });
    expect((await new Client(app).get('/ok/')).headers.get('X-Instance')).toBe('1');
  });
});
