import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { container } from 'tsyringe';
import {
  Controller,
  Get,
  HttpRequest,
  HttpResponse,
  MemorySessionStore,
  SessionStore,
  createApp,
  type Middleware,
  type NextHandler,
  SecurityMiddleware,
  SessionMiddleware,
} from '../../src';

/**
 * `app.handle` answers in the same tick when nothing needs awaiting: the bare pipeline, and the
 * default stack (Security, Session, Csrf, Authentication) for a request that needs neither the
 * session store nor the body. These tests drive `handle` with a request and response that record
 * when `end()` ran, so they see the difference between "now" and "after a microtask".
 */

@Controller()
class InlineController {
  @Get('/now/')
  now() {
    return { now: true };
  }

  @Get('/later/')
  async later() {
    return { now: false };
  }

  @Get('/boom/')
  boom(): never {
    throw new Error('handler exploded');
  }
}

interface Written {
  status: number;
  headers: string[];
  body: string;
}

function fakeRequest(url: string, cookie?: string): IncomingMessage {
  const rawHeaders = ['Host', 'testserver.local', 'Accept', 'application/json'];
  if (cookie !== undefined) rawHeaders.push('Cookie', cookie);
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i].toLowerCase()] = rawHeaders[i + 1];
  return { method: 'GET', url, headers, rawHeaders, socket: { remoteAddress: '127.0.0.1', localPort: 80, encrypted: false } } as unknown as IncomingMessage;
}

/** Calls `handle` and returns what was written by the time it returned, and a promise of the final answer. */
function serve(handle: (req: IncomingMessage, res: ServerResponse) => void, url: string, cookie?: string) {
  let written: Written | null = null;
  let done!: (value: Written) => void;
  const finished = new Promise<Written>((resolve) => (done = resolve));
  let status = 0;
  let headers: string[] = [];
  const res = {
    writeHead(code: number, _reason: string, list: string[]) {
      status = code;
      headers = list;
      return res;
    },
    end(body?: Buffer) {
      written = { status, headers, body: body === undefined ? '' : body.toString('utf8') };
      done(written);
    },
    destroy() {},
  } as unknown as ServerResponse;
  handle(fakeRequest(url, cookie), res);
  return { immediately: written as Written | null, finished };
}

function header(written: Written, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < written.headers.length; i += 2) if (written.headers[i].toLowerCase() === name) values.push(written.headers[i + 1]);
  return values;
}

function app(middleware?: Middleware[]) {
  const child = container.createChildContainer();
  child.registerInstance(SessionStore, new MemorySessionStore());
  return createApp({
    controllers: [InlineController],
    middleware,
    container: child,
    settings: { secretKey: 'inline-tests', allowedHosts: ['testserver.local'] },
    logger: new CapturingLogger(),
  });
}

describe('the pipeline answers in the same tick when nothing needs awaiting', () => {
  test('bare pipeline, synchronous handler: written before handle returns', () => {
    const { immediately } = serve(app([]).handle, '/now/');
    expect(immediately).toEqual({ status: 200, headers: ['Content-Type', 'application/json', 'Content-Length', '12'], body: '{"now":true}' });
  });

  test('default stack, synchronous handler, no cookies: written before handle returns, with the security headers', () => {
    const { immediately } = serve(app().handle, '/now/');
    expect(immediately).not.toBeNull();
    const written = immediately as Written;
    expect(written.status).toBe(200);
    expect(written.body).toBe('{"now":true}');
    expect(header(written, 'x-content-type-options')).toEqual(['nosniff']);
    expect(header(written, 'x-frame-options')).toEqual(['DENY']);
    expect(header(written, 'set-cookie')).toEqual([]);
  });

  test('default stack with a session cookie too short to look up: the stale cookie is deleted in the same tick', () => {
    const { immediately } = serve(app().handle, '/now/', 'sessionid=abc');
    expect(immediately).not.toBeNull();
    const written = immediately as Written;
    expect(header(written, 'set-cookie')).toEqual(['sessionid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax']);
    expect(header(written, 'vary')).toEqual(['Cookie']);
  });

  test('default stack with a session key to look up: answered once the store has answered', async () => {
    const { immediately, finished } = serve(app().handle, '/now/', 'sessionid=abcdefgh12345678abcdefgh12345678');
    expect(immediately).toBeNull();
    const written = await finished;
    expect(written.status).toBe(200);
    expect(header(written, 'set-cookie')).toEqual(['sessionid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax']);
  });

  test('an async handler is answered later, through every layer', async () => {
    const { immediately, finished } = serve(app().handle, '/later/');
    expect(immediately).toBeNull();
    const written = await finished;
    expect(written.body).toBe('{"now":false}');
    expect(header(written, 'x-frame-options')).toEqual(['DENY']);
  });

  test('a synchronous handler that throws still gets the 500 view and the security headers', async () => {
    const { finished } = serve(app().handle, '/boom/');
    const written = await finished;
    expect(written.status).toBe(500);
    expect(written.body).toBe('{"detail":"Server Error"}');
    expect(header(written, 'x-content-type-options')).toEqual(['nosniff']);
  });

  test("a user middleware's next() still returns a promise, and the built-in layers inside it still run", async () => {
    const seen: boolean[] = [];
    const recorder = async (request: HttpRequest, next: NextHandler): Promise<HttpResponse> => {
      const pending = next(request);
      seen.push(pending instanceof Promise);
      return pending;
    };
    const child = container.createChildContainer();
    child.registerInstance(SessionStore, new MemorySessionStore());
    const handle = createApp({
      controllers: [InlineController],
      middleware: [recorder, SecurityMiddleware, SessionMiddleware],
      container: child,
      settings: { secretKey: 'inline-tests', allowedHosts: ['testserver.local'] },
    }).handle;
    const written = await serve(handle, '/now/').finished;
    expect(seen).toEqual([true]);
    expect(written.body).toBe('{"now":true}');
    expect(header(written, 'x-frame-options')).toEqual(['DENY']);
  });
});
