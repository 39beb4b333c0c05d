/**
 * CORS as headless Chromium enforces it: a page on one origin (http://127.0.0.1:A) calls a JSON
 * API on another (http://localhost:B) with fetch. The browser sends its own preflights; the test
 * records what reached the API and asserts what the page's fetch got: the data, or a CORS error.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Controller } from '../../decorators/controller';
import { Cors } from '../../decorators/cors';
import { CsrfExempt } from '../../decorators/guards';
import { Get, Post } from '../../decorators/route';
import { createApp, DEFAULT_MIDDLEWARE } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import type { HttpRequest } from '../../src/http/http-request';
import { JsonResponse } from '../../src/http/json-response';
import { CorsMiddleware } from '../../src/middleware/cors';
import { chromiumInstalled, chromiumMissingError, launchChromium } from '../helpers/chromium';

@Controller('/api')
class ApiController {
  @Get('/polls/')
  polls(request: HttpRequest) {
    return new JsonResponse({ polls: ['What’s up?'], cookie: request.COOKIES.visitor ?? null });
  }

  @Post('/polls/')
  @CsrfExempt()
  create(request: HttpRequest) {
    const body = JSON.parse(request.body.toString('utf8')) as { question: string };
    return new JsonResponse({ created: body.question, clientVersion: request.headers.get('x-client-version') ?? null }, { status: 201 });
  }

  @Get('/partners-only/')
  @Cors({ allowedOrigins: ['https://partner.example'] })
  partnersOnly() {
    return new JsonResponse({ secret: 'partner data' });
  }

  @Get('/no-credentials/')
  @Cors({ allowCredentials: false })
  noCredentials() {
    return new JsonResponse({ credentials: false });
  }

  @Get('/public/')
  @Cors({ allowAllOrigins: true, allowCredentials: false })
  open() {
    return new JsonResponse({ open: true });
  }
}

/** What reached the API, in order: the browser's preflights included. */
interface Seen {
  method: string;
  path: string;
  origin: string | null;
  requestMethod: string | null;
  requestHeaders: string | null;
}

// Without the browser the suite fails with one line, once.
if (!chromiumInstalled()) {
  test('headless Chromium is installed', () => {
    throw chromiumMissingError();
  });
}

(chromiumInstalled() ? describe : describe.skip)('CORS in a browser: a page on 127.0.0.1 calling an API on localhost', () => {
  let pageServer: Server;
  let apiServer: Server;
  let pageOrigin: string;
  let apiBase: string;
  let browser: Browser | undefined;
  let page: Page;
  /** The same page server as `localhost`: another origin than the API, but the same site. */
  let sameSitePage: Page;
  let sameSiteOrigin: string;
  const seen: Seen[] = [];
  /** Console errors of both pages, and who waits for which (the CORS error may come after fetch settles). */
  const consoleErrors: string[] = [];
  const waiting: { text: string; done: () => void }[] = [];
  const onConsole = (text: string) => {
    consoleErrors.push(text);
    for (const waiter of waiting) if (text.includes(waiter.text)) waiter.done();
  };
  /** Resolves once a console error containing `text` was logged (now or before); the test times out otherwise. */
  const consoleError = (text: string) =>
    new Promise<void>((done) => {
      if (consoleErrors.some((logged) => logged.includes(text))) done();
      else waiting.push({ text, done });
    });

  const record: Middleware = (request, next) => {
    const header = (name: string) => (request.req.headers[name] as string | undefined) ?? null;
    seen.push({
      method: request.method,
      path: request.path,
      origin: header('origin'),
      requestMethod: header('access-control-request-method'),
      requestHeaders: header('access-control-request-headers'),
    });
    return next(request);
  };

  /** Runs fetch in the page: the JSON the page could read, or the error fetch rejected with. */
  async function pageFetch(
    path: string,
    init: { method?: string; credentials?: 'include' | 'omit'; json?: unknown; headers?: Record<string, string> } = {},
    from: Page = page,
  ) {
    return from.evaluate(
      async ({ url, init }) => {
        try {
          const response = await fetch(url, {
            method: init.method ?? 'GET',
            credentials: init.credentials ?? 'same-origin',
            headers: { ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }), ...(init.headers ?? {}) },
            body: init.json === undefined ? undefined : JSON.stringify(init.json),
          });
          return { status: response.status, body: await response.json() };
        } catch (error) {
          return { error: `${(error as Error).name}: ${(error as Error).message}` };
        }
      },
      { url: `${apiBase}${path}`, init },
    );
  }

  beforeAll(async () => {
    pageServer = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Poll client</title><p>A page on another origin.</p>');
    });
    await new Promise<void>((done) => pageServer.listen(0, '127.0.0.1', done));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    sameSiteOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;

    const app = createApp({
      controllers: [ApiController],
      middleware: [record, CorsMiddleware, ...DEFAULT_MIDDLEWARE],
      settings: {
        secretKey: 'cors-browser-test',
        allowedHosts: ['localhost'],
        corsAllowedOrigins: [pageOrigin, sameSiteOrigin],
        corsAllowCredentials: true,
        corsAllowHeaders: ['content-type', 'x-client-version'],
        corsUrlsRegex: '^/api/',
      },
    });
    apiServer = await app.listen(0, 'localhost', { handleSignals: false });
    apiBase = `http://localhost:${(apiServer.address() as AddressInfo).port}`;

    browser = await launchChromium();
    const context = await browser.newContext();
    // A cookie of the API's origin, for the credentialed calls. SameSite=Lax: sent from the
    // localhost page (same site, other port); a browser context blocks third-party cookies, so
    // from 127.0.0.1 a credentialed call carries none.
    await context.addCookies([{ name: 'visitor', value: 'ada', url: apiBase, sameSite: 'Lax' }]);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') onConsole(message.text());
    });
    await page.goto(`${pageOrigin}/`);
    sameSitePage = await context.newPage();
    sameSitePage.on('console', (message) => {
      if (message.type() === 'error') onConsole(message.text());
    });
    await sameSitePage.goto(`${sameSiteOrigin}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(
      [pageServer, apiServer].filter(Boolean).map((server) => new Promise<void>((done) => server.close(() => done()))),
    );
  });

  beforeEach(() => {
    seen.length = 0;
    consoleErrors.length = 0;
    waiting.length = 0;
  });

  test('an allowed origin reads the JSON of a simple GET, with no preflight', async () => {
    expect(await pageFetch('/api/polls/')).toEqual({ status: 200, body: { polls: ['What’s up?'], cookie: null } });
    expect(seen).toEqual([{ method: 'GET', path: '/api/polls/', origin: pageOrigin, requestMethod: null, requestHeaders: null }]);
  });

  test('with credentials: the cookie goes along and the page reads the answer (origin reflected, Allow-Credentials: true)', async () => {
    expect(await pageFetch('/api/polls/', { credentials: 'include' }, sameSitePage)).toEqual({ status: 200, body: { polls: ['What’s up?'], cookie: 'ada' } });
    expect(await pageFetch('/api/polls/', {}, sameSitePage)).toEqual({ status: 200, body: { polls: ['What’s up?'], cookie: null } });
    const crossSite = await pageFetch('/api/polls/', { credentials: 'include' });
    expect(crossSite).toMatchObject({ status: 200, body: { polls: ['What’s up?'] } });
    expect(seen.map((s) => s.origin)).toEqual([sameSiteOrigin, sameSiteOrigin, pageOrigin]);
  });

  test('with credentials to a route that does not allow them: the page cannot read the answer', async () => {
    expect(await pageFetch('/api/no-credentials/')).toEqual({ status: 200, body: { credentials: false } });
    expect(await pageFetch('/api/no-credentials/', { credentials: 'include' }, sameSitePage)).toEqual({ error: 'TypeError: Failed to fetch' });
    await consoleError(
      "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
    );
  });

  test('a JSON POST with a custom header: Chromium preflights it, then sends it', async () => {
    const result = await pageFetch('/api/polls/', { method: 'POST', json: { question: 'Tea?' }, headers: { 'X-Client-Version': '7' } });
    expect(result).toEqual({ status: 201, body: { created: 'Tea?', clientVersion: '7' } });
    expect(seen).toEqual([
      { method: 'OPTIONS', path: '/api/polls/', origin: pageOrigin, requestMethod: 'POST', requestHeaders: 'content-type,x-client-version' },
      { method: 'POST', path: '/api/polls/', origin: pageOrigin, requestMethod: null, requestHeaders: null },
    ]);
  });

  test('a header the API does not allow: the preflight answer refuses it and the POST is never sent', async () => {
    const result = await pageFetch('/api/polls/', { method: 'POST', json: { question: 'Tea?' }, headers: { 'X-Not-Allowed': '1' } });
    expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS']);
    await consoleError('Request header field x-not-allowed is not allowed by Access-Control-Allow-Headers in preflight response.');
  });

  test('an origin the route does not allow: the request arrives, but the page cannot read it (CORS error)', async () => {
    expect(await pageFetch('/api/partners-only/')).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(seen.map((s) => s.method)).toEqual(['GET']);
    await consoleError(
      `Access to fetch at '${apiBase}/api/partners-only/' from origin '${pageOrigin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
  });

  test('a preflighted call from an origin not allowed: only the preflight arrives', async () => {
    const result = await pageFetch('/api/partners-only/', { headers: { 'X-Client-Version': '7' } });
    expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS']);
  });

  test('`*` serves uncredentialed calls; with credentials the browser refuses `*` — why the origin is reflected instead', async () => {
    expect(await pageFetch('/api/public/')).toEqual({ status: 200, body: { open: true } });
    expect(await pageFetch('/api/public/', { credentials: 'include' })).toEqual({ error: 'TypeError: Failed to fetch' });
    await consoleError(
      "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    );
  });
});
