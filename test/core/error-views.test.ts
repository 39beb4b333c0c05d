import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import {
  BadRequest,
  Client,
  Controller,
  DisallowedRedirect,
  Get,
  Http404,
  HttpRequest,
  HttpResponse,
  HttpResponseGone,
  PermissionDenied,
  RequestDataTooBig,
  SuspiciousOperation,
  ValidationError,
  createApp,
  type AppOptions,
} from '../../src';

@Controller('/err')
class ErrorController {
  @Get('/404/') notFound(): never { throw new Http404('No poll 7'); }
  @Get('/403/') forbidden(): never { throw new PermissionDenied('Members only'); }
  @Get('/400/') bad(): never { throw new BadRequest('Malformed thing'); }
  @Get('/suspicious/') suspicious(): never { throw new SuspiciousOperation('Tampered'); }
  @Get('/redirect/') redirect(): never { throw new DisallowedRedirect('Unsafe redirect'); }
  @Get('/too-big/') tooBig(): never { throw new RequestDataTooBig('Request body exceeded dataUploadMaxMemorySize.'); }
  @Get('/validation/') invalid(): never { throw new ValidationError({ 'address.city': ['city should not be empty'] }); }
  @Get('/thrown-response/') thrown(): never { throw new HttpResponseGone('gone for good'); }
  @Get('/500/') crash(): never { throw new Error('secret internals at /srv/app.ts:12'); }
}

const silent = new CapturingLogger();
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

function client(options: Partial<AppOptions> = {}, settings: Record<string, unknown> = {}) {
  return new Client(
    createApp({
      controllers: [ErrorController],
      middleware: [],
      container: container.createChildContainer(),
      settings: { secretKey: 's', ...settings },
      logger: silent,
      ...options,
    }),
  );
}

describe('exceptions to responses (SPEC §3)', () => {
  const c = client();

  test.each([
    ['/err/404/', 404, { detail: 'No poll 7' }],
    ['/err/403/', 403, { detail: 'Members only' }],
    ['/err/400/', 400, { detail: 'Malformed thing' }],
    // Without debug a SuspiciousOperation's message goes to the log only (Django's bad_request).
    ['/err/suspicious/', 400, { detail: 'Bad Request' }],
    ['/err/redirect/', 400, { detail: 'Bad Request' }],
    ['/err/too-big/', 413, { detail: 'Payload Too Large' }],
    ['/err/validation/', 400, { errors: { 'address.city': ['city should not be empty'] } }],
    ['/err/500/', 500, { detail: 'Server Error' }],
  ])('%s answers %i with JSON to a JSON client', async (path, status, body) => {
    const response = await c.get(path, undefined, JSON_ACCEPT);
    expect(response.statusCode).toBe(status);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual(body);
  });

  test('HTML clients get the plain built-in pages', async () => {
    const notFound = await c.get('/err/404/');
    expect(notFound.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(notFound.text).toContain('<h1>Not Found</h1>');
    const crash = await c.get('/err/500/');
    expect(crash.statusCode).toBe(500);
    expect(crash.text).toContain('<h1>Server Error (500)</h1>');
    expect(crash.text).not.toContain('secret internals');
  });

  test('validationErrorStatus 422 changes the validation status', async () => {
    const response = await client({}, { validationErrorStatus: 422 }).get('/err/validation/');
    expect(response.statusCode).toBe(422);
  });

  test('a thrown HttpResponse is sent as it is', async () => {
    const response = await c.get('/err/thrown-response/');
    expect(response.statusCode).toBe(410);
    expect(response.text).toBe('gone for good');
  });

  test('404.html and 500.html from templatesDir are used when present', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-templates-'));
    writeFileSync(join(dir, '404.html'), '<h1>Lost: {{ request_path }}</h1>');
    writeFileSync(join(dir, '500.html'), '<h1>Our fault</h1>');
    const templated = client({}, { templatesDir: dir });
    const notFound = await templated.get('/err/404/');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.text).toBe('<h1>Lost: /err/404/</h1>');
    const crash = await templated.get('/err/500/');
    expect(crash.text).toBe('<h1>Our fault</h1>');
  });

  test('custom error views replace the defaults', async () => {
    const custom = client({
      handler404: (request: HttpRequest, error: unknown) => new HttpResponse(`custom 404 for ${request.path}: ${(error as Error).message}`, { status: 404 }),
      handler403: () => new HttpResponse('custom 403', { status: 403 }),
    });
    expect((await custom.get('/err/404/')).text).toBe('custom 404 for /err/404/: No poll 7');
    expect((await custom.get('/err/403/')).text).toBe('custom 403');
  });

  test('an error view that throws falls back to the built-in 500', async () => {
    const broken = client({
      handler404: () => {
        throw new Error('the 404 view is broken');
      },
    });
    const response = await broken.get('/err/404/');
    expect(response.statusCode).toBe(500);
    expect(response.text).toContain('<h1>Server Error (500)</h1>');
  });

  test('error views are settable on the app too', async () => {
    const app = createApp({ controllers: [ErrorController], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's' }, logger: silent });
    const appClient = new Client(app);
    expect((await appClient.get('/err/404/')).text).toContain('<h1>Not Found</h1>');
    app.handler404 = (request: HttpRequest) => new HttpResponse(`set on the app: ${request.path}`, { status: 404 });
    app.handler400 = () => new HttpResponse('400 on the app', { status: 400 });
    app.handler403 = () => new HttpResponse('403 on the app', { status: 403 });
    app.handler500 = () => new HttpResponse('500 on the app', { status: 500 });
    expect((await appClient.get('/err/404/')).text).toBe('set on the app: /err/404/');
    expect((await appClient.get('/no/route/')).text).toBe('set on the app: /no/route/');
    expect((await appClient.get('/err/400/')).text).toBe('400 on the app');
    expect((await appClient.get('/err/403/')).text).toBe('403 on the app');
    expect((await appClient.get('/err/500/')).text).toBe('500 on the app');
  });

  test('a 404 view that throws for a path no route matches gives the built-in 500, not the 500 view', async () => {
    const handler500 = jest.fn(() => new HttpResponse('custom 500', { status: 500 }));
    for (const handler404 of [
      () => { throw new Error('the 404 view is broken'); },
      async () => { throw new Error('the async 404 view is broken'); },
    ]) {
      for (const middleware of [[], undefined]) {
        const app = createApp({
          controllers: [ErrorController], middleware, container: container.createChildContainer(),
          settings: { secretKey: 's', allowedHosts: ['testserver'] }, logger: silent, handler404, handler500,
        });
        const response = await new Client(app).get('/no/such/path/', undefined, JSON_ACCEPT);
        expect(response.statusCode).toBe(500);
        expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
        expect(response.text).toBe('<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1>\n');
      }
    }
    expect(handler500).not.toHaveBeenCalled();
  });

  test('a ValidationError goes to handler400 with its status; the default answers its errors as JSON', async () => {
    const seen: [string, number | undefined][] = [];
    const custom = client({
      handler400: (request: HttpRequest, error: unknown, status?: number) => {
        seen.push([(error as Error).constructor.name, status]);
        return new HttpResponse(`custom 400: ${JSON.stringify((error as ValidationError).errors)}`, { status: status ?? 400 });
      },
    }, { validationErrorStatus: 422 });
    const response = await custom.get('/err/validation/');
    expect(response.statusCode).toBe(422);
    expect(response.text).toBe('custom 400: {"address.city":["city should not be empty"]}');
    expect(seen).toEqual([['ValidationError', 422]]);
    // The default view answers JSON even to an HTML client (SPEC §8).
    const html = await c.get('/err/validation/');
    expect(html.statusCode).toBe(400);
    expect(html.headers.get('Content-Type')).toBe('application/json');
    expect(html.json()).toEqual({ errors: { 'address.city': ['city should not be empty'] } });
  });

  test('the built-in 500 is utf-8 whatever defaultCharset says, so a charset Node cannot encode still gets an answer', async () => {
    const app = createApp({
      controllers: [ErrorController], middleware: [], container: container.createChildContainer(),
      settings: { secretKey: 's', defaultCharset: 'shift_jis' }, logger: silent,
    });
    // The 404 view's page cannot be encoded in shift_jis (Node has no encoder for it).
    const response = await new Client(app).get('/err/404/');
    expect(response.statusCode).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<h1>Server Error (500)</h1>');
  });

  test('debug: the technical 404 lists the patterns tried', async () => {
    const response = await client({}, { debug: true }).get('/nowhere/');
    expect(response.statusCode).toBe(404);
    expect(response.text).toContain("The current path, <code>/nowhere/</code>, didn't match any of these.");
    expect(response.text).toContain('/err/404/');
  });

  test('debug: the technical 500 shows the stack; without debug nothing leaks', async () => {
    const debug = await client({}, { debug: true }).get('/err/500/');
    expect(debug.statusCode).toBe(500);
    expect(debug.text).toContain('secret internals at /srv/app.ts:12');
    expect(debug.text).toContain('Traceback');
    const production = await c.get('/err/500/');
    expect(production.text).not.toContain('Traceback');
    expect(production.text).not.toContain('secret internals');
  });
});
