/**
 * `@Controller(prefix, { api: true })` (issue 22 item 3): every error under an API controller —
 * a 400 parse error, 401/403/404/405/413/429/500, a validation error — answers JSON with
 * `Content-Type: application/json` whatever the client's Accept says, in one shape
 * (`{"detail": ...}`, plus `errors` for validation). A path under the prefix that no route
 * matches, and a method the path does not have, are JSON too; the rest of the site keeps HTML.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendRaw } from '../helpers/raw-request';
import { IsString, MinLength } from 'class-validator';
import { container as root } from 'tsyringe';
import {
  Body,
  Client,
  Controller,
  Delete,
  Get,
  HttpRequest,
  LoginRequired,
  PermissionDenied,
  Post,
  RateLimit,
  createApp,
  type Application,
  type Settings,
} from '../../src';

class NoteDto {
  @IsString()
  @MinLength(3)
  text!: string;
}

@Controller('/api/notes', { api: true })
class NotesApi {
  @Get('/')
  list() {
    return [{ text: 'first' }];
  }

  @Post('/')
  create(request: HttpRequest) {
    return { received: request.data };
  }

  @Post('/validated/')
  validated(request: HttpRequest, @Body(NoteDto) note: NoteDto) {
    return { text: note.text };
  }

  @Get('/private/')
  @LoginRequired()
  private(request: HttpRequest) {
    return { user: request.user.username };
  }

  @Get('/forbidden/')
  forbidden() {
    throw new PermissionDenied();
  }

  @Get('/broken/')
  broken() {
    throw new Error('database password is hunter2');
  }

  @Get('/limited/')
  @RateLimit('1/h')
  limited() {
    return { ok: true };
  }

  @Delete('/<int:id>/')
  remove(request: HttpRequest, id: number) {
    return { removed: id };
  }
}

@Controller('/pages')
class Pages {
  @Get('/')
  index() {
    return { page: true };
  }

  @Post('/')
  create(request: HttpRequest) {
    return { received: request.data };
  }
}

const HTML = { headers: { Accept: 'text/html' } };

function build(settings: Partial<Settings> = {}): Application {
  return createApp({
    controllers: [NotesApi, Pages],
    container: root.createChildContainer(),
    settings: { secretKey: 'api-controller-test-key', allowedHosts: ['testserver', 'localhost'], dataUploadMaxMemorySize: 64, ...settings },
    logger: new CapturingLogger(),
  });
}

const app = build();
const client = new Client(app);

/** The status, Content-Type and parsed body: what an API client reads. */
async function answer(response: Promise<{ statusCode: number; headers: { get(name: string): string | undefined | null }; text: string }>) {
  const r = await response;
  return { status: r.statusCode, type: r.headers.get('Content-Type'), body: JSON.parse(r.text) };
}

describe('errors under an api: true controller are JSON whatever Accept says', () => {
  test('a malformed JSON body: 400 {"detail": "JSON parse error - ..."}', async () => {
    const response = await answer(client.post('/api/notes/', '{"text": ', { contentType: 'application/json', ...HTML }));
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({ detail: expect.stringMatching(/^JSON parse error - /) });
  });

  test('an unknown path under the prefix: 404 {"detail": "Not found."}', async () => {
    expect(await answer(client.get('/api/notes/nothing/here/', undefined, HTML))).toEqual({ status: 404, type: 'application/json', body: { detail: 'Not found.' } });
  });

  test('a method the path does not have: 405 with Allow and DRF\'s detail', async () => {
    const response = await client.put('/api/notes/', { text: 'x' }, { json: true, ...HTML });
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ detail: 'Method "PUT" not allowed.' });
  });

  test('a body over dataUploadMaxMemorySize: 413 JSON', async () => {
    const response = await answer(client.post('/api/notes/', JSON.stringify({ text: 'x'.repeat(100) }), { contentType: 'application/json', ...HTML }));
    expect(response).toEqual({ status: 413, type: 'application/json', body: { detail: expect.any(String) } });
  });

  test('a validation error: 400 with the detail every API error has, plus errors', async () => {
    const response = await answer(client.post('/api/notes/validated/', { text: 'x' }, { json: true, ...HTML }));
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({ detail: 'Validation failed', errors: { text: ['text must be longer than or equal to 3 characters'] } });
  });

  test('a login required: 401 JSON', async () => {
    expect(await answer(client.get('/api/notes/private/', undefined, HTML))).toEqual({
      status: 401,
      type: 'application/json',
      body: { detail: 'Authentication credentials were not provided.' },
    });
  });

  test('PermissionDenied: 403 JSON', async () => {
    expect(await answer(client.get('/api/notes/forbidden/', undefined, HTML))).toEqual({
      status: 403,
      type: 'application/json',
      body: { detail: 'You do not have permission to perform this action.' },
    });
  });

  test('a crash: 500 {"detail": "Server Error"}, nothing of the error shown in production', async () => {
    expect(await answer(client.get('/api/notes/broken/', undefined, HTML))).toEqual({ status: 500, type: 'application/json', body: { detail: 'Server Error' } });
  });

  test('over a rate: 429 JSON with Retry-After', async () => {
    const limitedApp = build();
    const limitedClient = new Client(limitedApp);
    expect((await limitedClient.get('/api/notes/limited/', undefined, HTML)).statusCode).toBe(200);
    const response = await limitedClient.get('/api/notes/limited/', undefined, HTML);
    expect(response.statusCode).toBe(429);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.has('Retry-After')).toBe(true);
    expect(response.json()).toEqual({ detail: expect.stringMatching(/^Request was throttled\./) });
  });

  test('a CSRF failure: 403 JSON', async () => {
    const response = await answer(new Client(app, { enforceCsrfChecks: true }).post('/api/notes/', { text: 'hi' }, { json: true, ...HTML }));
    expect(response).toEqual({ status: 403, type: 'application/json', body: { detail: 'CSRF Failed: CSRF cookie not set.' } });
  });

  test('a converter that refuses (`<int:id>` given letters) is a 404 JSON under the prefix', async () => {
    expect(await answer(client.delete('/api/notes/abc/', undefined, HTML))).toEqual({ status: 404, type: 'application/json', body: { detail: 'Not found.' } });
  });

  test('an undecodable path under the prefix: 400 JSON', async () => {
    const response = await answer(client.get('/api/notes/%ZZ/', undefined, HTML));
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/json');
  });

  test('with debug, the 404 lists the patterns as JSON', async () => {
    const response = await answer(new Client(build({ debug: true })).get('/api/notes/nothing/', undefined, HTML));
    expect(response.status).toBe(404);
    expect(response.type).toBe('application/json');
    expect(response.body.patterns).toEqual(expect.arrayContaining(['/api/notes/ [GET, POST]']));
  });
});

describe('a prefix with a parameter', () => {
  @Controller('/orgs/<int:org>/api', { api: true })
  class OrgApi {
    @Get('/members/')
    members(request: HttpRequest, org: number) {
      return { org };
    }
  }

  test('is known up to its first parameter: an unknown path below it is a JSON 404', async () => {
    const orgClient = new Client(
      createApp({ controllers: [OrgApi], container: root.createChildContainer(), middleware: [], settings: { secretKey: 'k' }, logger: new CapturingLogger() }),
    );
    expect((await orgClient.get('/orgs/3/api/members/')).json()).toEqual({ org: 3 });
    expect(await answer(orgClient.get('/orgs/3/api/missing/', undefined, HTML))).toEqual({ status: 404, type: 'application/json', body: { detail: 'Not found.' } });
  });
});

describe('the rest of the site is unchanged', () => {
  test('a path that only starts with the prefix\'s letters (/api/notesX/) is not under it: HTML 404', async () => {
    const response = await client.get('/api/notesX/', undefined, HTML);
    expect(response.statusCode).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  test('a malformed JSON body to an HTML controller answers HTML to an HTML client', async () => {
    const response = await client.post('/pages/', '{"a": ', { contentType: 'application/json', ...HTML });
    expect(response.statusCode).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  test('a 405 outside the API keeps Django\'s empty body', async () => {
    const response = await client.delete('/pages/', undefined, HTML);
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(response.text).toBe('');
  });
});

/** One request over a real socket: status, headers and body as sent. */
async function rawRequest(server: Server, request: string): Promise<{ status: number; type: string | undefined; body: string }> {
  const { port } = server.address() as AddressInfo;
  const response = await sendRaw(port, request.replace(/\n/g, '\r\n'));
  return { status: response.status, type: response.headers['content-type'], body: response.body.toString('utf8') };
}

const CSRF = 'c'.repeat(32);

describe('over a socket, with Accept: text/html', () => {
  let server: Server;
  const socketApp = build();
  beforeAll(async () => {
    server = await socketApp.listen(0, '127.0.0.1', { handleSignals: false });
  });
  afterAll(() => socketApp.close());

  test('a malformed JSON body is a JSON 400', async () => {
    const response = await rawRequest(
      server,
      // With the CSRF cookie and header, so that the body is what is refused.
      `POST /api/notes/ HTTP/1.1\nHost: localhost\nAccept: text/html\nCookie: csrftoken=${CSRF}\nX-CSRFToken: ${CSRF}\n` +
        'Content-Type: application/json\nContent-Length: 9\nConnection: close\n\n{"text": ',
    );
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/json');
    expect(JSON.parse(response.body).detail).toMatch(/^JSON parse error - /);
  });

  test('an unknown path under /api/notes/ is a JSON 404', async () => {
    const response = await rawRequest(server, 'GET /api/notes/missing/ HTTP/1.1\nHost: localhost\nAccept: text/html\nConnection: close\n\n');
    expect(response).toEqual({ status: 404, type: 'application/json', body: '{"detail":"Not found."}' });
  });

  test('a 405 is JSON', async () => {
    const response = await rawRequest(server, 'PATCH /api/notes/ HTTP/1.1\nHost: localhost\nAccept: text/html\nContent-Length: 0\nConnection: close\n\n');
    expect(response).toEqual({ status: 405, type: 'application/json', body: '{"detail":"Method \\"PATCH\\" not allowed."}' });
  });
});
