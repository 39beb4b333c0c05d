/**
 * openApiController(): the document at /api/openapi.json and Swagger UI at /api/docs/, its files
 * from the installed swagger-ui-dist package (never a CDN), through the test Client with the
 * default middleware. The asset route is reviewed as an attacker would use it: only a fixed list
 * of file names is ever read.
 */
import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { container } from 'tsyringe';
import { Client, Controller, Get, LoginRequired, createApp, openApiController } from '../../src';
import { app } from './fixtures/api/app';

const SWAGGER = dirname(require.resolve('swagger-ui-dist/package.json'));
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

describe('openApiController()', () => {
  const client = new Client(app);

  test('GET /api/openapi.json: the document, as application/json', async () => {
    const response = await client.get('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(app.openapi({ title: 'Polls', version: '1.0.0' }))));
  });

  test('GET /api/docs/: the Swagger UI page, loading only files beside it (no CDN, no inline script)', async () => {
    const response = await client.get('/api/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.text).toBe(
      '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Polls documentation</title>\n' +
        '<link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">\n' +
        '<link rel="stylesheet" href="swagger-ui.css">\n</head>\n<body>\n<div id="swagger-ui"></div>\n' +
        '<script src="swagger-ui-bundle.js"></script>\n<script src="swagger-initializer.js"></script>\n</body>\n</html>\n',
    );
  });

  test("the page's files are swagger-ui-dist's own, byte for byte, with their types", async () => {
    for (const [file, type] of [
      ['swagger-ui.css', 'text/css; charset=utf-8'],
      ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
      ['favicon-32x32.png', 'image/png'],
    ]) {
      const response = await client.get(`/api/docs/${file}`);
      expect({ file, status: response.statusCode, type: response.headers.get('Content-Type') }).toEqual({ file, status: 200, type });
      expect(response.content.equals(readFileSync(join(SWAGGER, file)))).toBe(true);
    }
    const init = await client.get('/api/docs/swagger-initializer.js');
    expect(init.text).toBe("window.ui = SwaggerUIBundle({ url: new URL('../openapi.json', window.location.href).href, dom_id: '#swagger-ui' });\n");
  });

  test('any other name is a 404: files of the package off the list, and paths out of it', async () => {
    for (const path of [
      '/api/docs/package.json',
      '/api/docs/index.html',
      '/api/docs/swagger-ui-bundle.js.map',
      '/api/docs/..%2Fpackage.json',
      '/api/docs/%2e%2e%2f%2e%2e%2fpackage.json',
      '/api/docs/../../package.json',
      '/api/docs/constructor',
      '/api/docs/__proto__',
    ]) {
      const response = await client.get(path, undefined, JSON_ACCEPT);
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
      expect(response.text).not.toContain('"name"');
    }
  });

  test('{ docs: false }: the document only; the docs page is a 404', async () => {
    @Controller()
    class Home {
      @Get('/') home() {}
    }
    const bare = createApp({
      controllers: [Home, openApiController({ prefix: '/schema', docs: false })],
      settings: { secretKey: 'openapi-tests-secret-key' },
      container: container.createChildContainer(),
    });
    const bareClient = new Client(bare);
    expect((await bareClient.get('/schema/openapi.json')).json()).toMatchObject({ openapi: '3.1.0', info: { title: 'API', version: '1.0.0' }, paths: { '/': {} } });
    expect((await bareClient.get('/schema/docs/', undefined, JSON_ACCEPT)).statusCode).toBe(404);
    expect((await bareClient.get('/schema/docs/swagger-ui.css', undefined, JSON_ACCEPT)).statusCode).toBe(404);
  });

  test('a class decorator applied to the returned controller guards it: @LoginRequired keeps the document private', async () => {
    @Controller()
    class Home {
      @Get('/') home() {}
    }
    const Docs = openApiController();
    LoginRequired()(Docs);
    const guarded = new Client(
      createApp({ controllers: [Home, Docs], settings: { secretKey: 'openapi-tests-secret-key' }, container: container.createChildContainer() }),
    );
    const refused = await guarded.get('/api/openapi.json', undefined, JSON_ACCEPT);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
});
