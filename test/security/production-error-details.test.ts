/**
 * Issue 19 item 5: production answers carry no internal details. A session store that is down
 * and a Host outside `allowedHosts` used to tell every client which address refused the
 * connection and which host and setting failed. With `debug` off the client now gets the generic
 * page (JSON or HTML as it prefers) and the detail goes to the app's log; with `debug` on the
 * answers stay as detailed as before. Django's `bad_request` view passes no exception content to
 * the page "to not disclose any sensitive information".
 */
import 'reflect-metadata';
import { container as root } from 'tsyringe';
import { CapturingLogger, Client, Controller, createApp, Get, RedisSessionStore, RequestDataTooBig, SessionStore, type HttpRequest, type Settings } from '../../src';
import { freePort } from '../helpers/redis-server';

@Controller('/s')
class SessionController {
  @Get('/read/')
  read(request: HttpRequest) {
    return { n: request.session.get('n') ?? null };
  }

  @Get('/too-big/')
  tooBig(): never {
    throw new RequestDataTooBig('Request body exceeded settings.dataUploadMaxMemorySize.');
  }
}

/** A record as [level, `name: message`], for the assertions on what was logged. */
type LogLine = [level: string, text: string];

const stores: RedisSessionStore[] = [];
let closedPort: number;

beforeAll(async () => {
  closedPort = await freePort(); // nothing listens there: every connection is refused
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

function setup(settings: Partial<Settings>) {
  const store = new RedisSessionStore({ url: `redis://127.0.0.1:${closedPort}` });
  stores.push(store);
  const container = root.createChildContainer();
  container.register(SessionStore, { useValue: store });
  const logger = new CapturingLogger();
  const app = createApp({
    controllers: [SessionController],
    settings: { secretKey: 'production-error-details', allowedHosts: ['testserver'], ...settings },
    container,
    logger,
  });
  const client = new Client(app);
  client.cookies.set('sessionid', 'abcdefghijklmnopqrstuvwxyz012345');
  const lines = (): LogLine[] => logger.records.map((record) => [record.level, `${record.name}: ${record.msg}`]);
  return { client, logger, lines };
}

const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const HTML_ACCEPT = { headers: { Accept: 'text/html' } };

describe('a session store that is down (Redis on a closed port)', () => {
  const reason = () => `Session store unavailable: connect ECONNREFUSED 127.0.0.1:${closedPort}`;

  test('debug off: a generic 503, JSON or HTML by negotiation; the reason goes to the log', async () => {
    const { client, logger, lines } = setup({ debug: false });
    const json = await client.get('/s/read/', undefined, JSON_ACCEPT);
    expect(json.statusCode).toBe(503);
    expect(json.json()).toEqual({ detail: 'Service Unavailable' });
    const html = await client.get('/s/read/', undefined, HTML_ACCEPT);
    expect(html.statusCode).toBe(503);
    expect(html.content.toString()).toBe('<!doctype html>\n<title>Service Unavailable (503)</title>\n<h1>Service Unavailable (503)</h1>\n<p>Service Unavailable</p>\n');
    expect(lines()).toEqual([
      ['error', `reinhardt.request: Service Unavailable: /s/read/: ${reason()}`],
      ['error', `reinhardt.request: Service Unavailable: /s/read/: ${reason()}`],
    ]);
    expect((logger.records[0].err as Error).stack).toContain(`ServiceUnavailable: ${reason()}`);
  });

  test('debug on: the reason is in the answer as before', async () => {
    const { client, lines } = setup({ debug: true });
    const json = await client.get('/s/read/', undefined, JSON_ACCEPT);
    expect(json.statusCode).toBe(503);
    expect(json.json()).toEqual({ detail: reason() });
    const html = await client.get('/s/read/', undefined, HTML_ACCEPT);
    expect(html.content.toString()).toBe(
      `<!doctype html>\n<title>Service Unavailable (503)</title>\n<h1>Service Unavailable (503)</h1>\n<p>${reason()}</p>\n`,
    );
    expect(lines()).toEqual([
      ['error', `reinhardt.request: Service Unavailable: /s/read/: ${reason()}`],
      ['error', `reinhardt.request: Service Unavailable: /s/read/: ${reason()}`],
    ]);
  });
});

describe('a Host outside allowedHosts', () => {
  const detail = "Invalid HTTP_HOST header: 'evil.com'. You may need to add 'evil.com' to allowedHosts.";
  const badHost = (accept: string) => ({ headers: { Host: 'evil.com', Accept: accept } });

  test("debug off: handler400's plain page, JSON or HTML; which host and setting failed goes to the log", async () => {
    const { client, lines } = setup({ debug: false });
    const json = await client.get('/s/read/', undefined, badHost('application/json'));
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ detail: 'Bad Request' });
    const html = await client.get('/s/read/', undefined, badHost('text/html'));
    expect(html.statusCode).toBe(400);
    expect(html.content.toString()).toBe('<!doctype html>\n<title>Bad Request (400)</title>\n<h1>Bad Request (400)</h1>\n<p>Bad Request</p>\n');
    expect(lines()).toEqual([
      ['error', `reinhardt.security.DisallowedHost: ${detail}`],
      ['error', `reinhardt.security.DisallowedHost: ${detail}`],
    ]);
  });

  test('debug on: the answer says which host and setting failed, as before', async () => {
    const { client, lines } = setup({ debug: true });
    const json = await client.get('/s/read/', undefined, badHost('application/json'));
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ detail });
    const html = await client.get('/s/read/', undefined, badHost('text/html'));
    expect(html.content.toString()).toBe(
      `<!doctype html>\n<title>Bad Request (400)</title>\n<h1>Bad Request (400)</h1>\n<p>${detail.replace(/'/g, '&#39;')}</p>\n`,
    );
    expect(lines()).toEqual([
      ['error', `reinhardt.security.DisallowedHost: ${detail}`],
      ['error', `reinhardt.security.DisallowedHost: ${detail}`],
    ]);
  });
});

describe('every SuspiciousOperation, not only the Host', () => {
  const detail = 'Request body exceeded settings.dataUploadMaxMemorySize.';

  test('debug off: a 413 answers its reason phrase; the message is logged', async () => {
    const { client, lines } = setup({ debug: false });
    client.cookies.clear(); // no session to load: the handler runs
    const json = await client.get('/s/too-big/', undefined, JSON_ACCEPT);
    expect([json.statusCode, json.json()]).toEqual([413, { detail: 'Payload Too Large' }]);
    expect(lines()).toEqual([['error', `reinhardt.security.RequestDataTooBig: ${detail}`]]);
  });

  test('debug on: the message is in the answer', async () => {
    const { client } = setup({ debug: true });
    client.cookies.clear();
    const json = await client.get('/s/too-big/', undefined, JSON_ACCEPT);
    expect([json.statusCode, json.json()]).toEqual([413, { detail }]);
  });
});
