import 'reflect-metadata';

type Framework = typeof import('../../src');

/** A fresh copy of the framework, so request tracking starts switched off as in a new process. */
function freshFramework(): Framework {
  let framework: Framework | undefined;
  jest.isolateModules(() => {
    framework = require('../../src') as Framework;
  });
  return framework!;
}

function appWithSlowHandler(framework: Framework, settings: Record<string, unknown> = {}) {
  const { Controller, Get, createApp } = framework;
  const { container } = require('tsyringe') as typeof import('tsyringe');

  @Controller()
  class SlowController {
    @Get('/who/')
    async who() {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { q: framework.currentRequest().GET.get('q') };
    }
  }
  return createApp({
    controllers: [SlowController],
    middleware: [],
    container: container.createChildContainer(),
    settings: { secretKey: 's', ...settings },
    logger: { error: () => undefined, warn: () => undefined },
  });
}

describe('currentRequest() and when request tracking switches on', () => {
  test('a first call after an await with one request in flight finds it', async () => {
    const framework = freshFramework();
    const client = new framework.Client(appWithSlowHandler(framework));
    expect((await client.get('/who/', { q: 'solo' })).json()).toEqual({ q: 'solo' });
  });

  test('a first call that cannot tell concurrent requests apart says so; from then on every request is tracked', async () => {
    const framework = freshFramework();
    const client = new framework.Client(appWithSlowHandler(framework));
    const [a, b] = await Promise.all([client.get('/who/', { q: 'a' }), client.get('/who/', { q: 'b' })]);
    // Both handlers resume after an await, while two requests were in flight and nothing tracked
    // them: neither can be told apart, so both fail loudly rather than guess.
    expect([a.statusCode, b.statusCode]).toEqual([500, 500]);
    const [c, d] = await Promise.all([client.get('/who/', { q: 'c' }), client.get('/who/', { q: 'd' })]);
    expect([c.json(), d.json()]).toEqual([{ q: 'c' }, { q: 'd' }]);
  });

  test('with requestContext: true concurrent requests are told apart from the first one', async () => {
    const framework = freshFramework();
    const client = new framework.Client(appWithSlowHandler(framework, { requestContext: true }));
    const responses = await Promise.all(['x', 'y', 'z'].map((q) => client.get('/who/', { q })));
    expect(responses.map((r) => r.json())).toEqual([{ q: 'x' }, { q: 'y' }, { q: 'z' }]);
  });
});
