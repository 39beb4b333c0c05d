/**
 * currentRequest() (src/di/current-request.ts): the request a service runs for, found after any
 * number of awaits, from the very first call of a fresh app whatever the concurrency (issue 25
 * item 9: a first call while several requests were in flight used to throw, so a service using it
 * failed intermittently after each deploy).
 */
import 'reflect-metadata';
import { httpGet } from '../helpers/http-get';
import type { AddressInfo } from 'node:net';

type Framework = typeof import('../../src') & { tsyringe: typeof import('tsyringe') };

/** A fresh copy of the framework, as in a new process: nothing tracked, no call made yet. */
function freshFramework(): Framework {
  let framework: Framework | undefined;
  jest.isolateModules(() => {
    // tsyringe too: the framework's decorators and the test's must share one container registry.
    framework = { ...(require('../../src') as object), tsyringe: require('tsyringe') } as Framework;
  });
  return framework!;
}

/** An app whose handler calls a service that reads currentRequest() after awaits. */
function appWithService(framework: Framework, settings: Record<string, unknown> = {}) {
  const { Controller, Get, createApp, currentRequest } = framework;
  const { container, injectable } = framework.tsyringe;

  @injectable()
  class Greeter {
    async greet(): Promise<string> {
      // Let the other requests interleave before the service asks whose request this is.
      await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.resolve();
      return `hello ${currentRequest().GET.get('q')}`;
    }
  }

  @Controller()
  class GreetController {
    constructor(private readonly greeter: Greeter) {}

    @Get('/greet/')
    async greet() {
      return { greeting: await this.greeter.greet() };
    }
  }
  return createApp({
    controllers: [GreetController],
    middleware: [],
    container: container.createChildContainer(),
    settings: { secretKey: 's', ...settings },
    logger: silentLogger,
  });
}

/** Records nothing: the 500s of the test without requestContext are expected. */
const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

describe('currentRequest()', () => {
  test('works on its first call while several requests are in flight (test Client, app.dispatch)', async () => {
    const framework = freshFramework();
    const client = new framework.Client(appWithService(framework, { requestContext: true }));
    const responses = await Promise.all(['a', 'b', 'c', 'd'].map((q) => client.get('/greet/', { q })));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(responses.map((r) => r.json())).toEqual([
      { greeting: 'hello a' },
      { greeting: 'hello b' },
      { greeting: 'hello c' },
      { greeting: 'hello d' },
    ]);
  });

  test('works on its first call while several requests are in flight (node:http through app.handle)', async () => {
    const framework = freshFramework();
    const app = appWithService(framework, { allowedHosts: ['localhost'], requestContext: true });
    const server = await app.listen(0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const responses = await Promise.all(['w', 'x', 'y', 'z'].map((q) => httpGet(port, `/greet/?q=${q}`)));
      expect(responses).toEqual(['w', 'x', 'y', 'z'].map((q) => ({ status: 200, body: JSON.stringify({ greeting: `hello ${q}` }) })));
    } finally {
      await app.close();
    }
  });

  test('outside a request it throws a clear error', () => {
    const framework = freshFramework();
    expect(() => framework.currentRequest()).toThrow('currentRequest() was called outside of a request handled by a Reinhardt app.');
  });

  test('without requestContext (the default) it throws on every call, naming the setting (never only sometimes)', async () => {
    const framework = freshFramework();
    const client = new framework.Client(appWithService(framework));
    const solo = await client.get('/greet/', { q: 'solo' });
    const [a, b] = await Promise.all([client.get('/greet/', { q: 'a' }), client.get('/greet/', { q: 'b' })]);
    expect([solo.statusCode, a.statusCode, b.statusCode]).toEqual([500, 500, 500]);
    expect(() => framework.currentRequest()).toThrow(
      'currentRequest() was called outside of a request handled by a Reinhardt app, or in an app without the requestContext setting (createApp({ settings: { requestContext: true } })).',
    );
  });
});
