/**
 * API authentication, Django REST framework's model (issue 22 item 2): `@Authentication(...)`
 * per controller or handler, `TokenAuthentication` / `BearerAuthentication` over a `TokenStore`
 * that keeps only digests, and CSRF checked for requests no header authenticated
 * (DRF's SessionAuthentication.enforce_csrf), through the Client and over a real socket.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendRaw } from '../helpers/raw-request';
import { container as root, injectable } from 'tsyringe';
import {
  AbstractBaseUser,
  Authentication,
  BearerAuthentication,
  Client,
  Controller,
  Get,
  HttpRequest,
  ImproperlyConfigured,
  JsonResponse,
  LoginRequired,
  MemoryTokenStore,
  NotAuthenticated,
  PermissionRequired,
  Post,
  SessionAuthentication,
  TokenAuthentication,
  TokenStore,
  UserProvider,
  UseGuards,
  authenticate,
  createApp,
  findToken,
  issueToken,
  revokeToken,
  type Application,
} from '../../src';
import { forceLogin } from '../../src/testing/force-login';

class Member extends AbstractBaseUser {
  constructor(
    readonly id: number,
    readonly username: string,
    readonly perms: string[] = [],
    readonly isActive = true,
  ) {
    super();
  }
  hasPerm(perm: string): boolean {
    return this.perms.includes(perm);
  }
}

const ada = new Member(1, 'ada', ['notes.publish']);
const bob = new Member(2, 'bob');
const gone = new Member(3, 'gone', [], false);
const members = new Map([ada, bob, gone].map((m) => [String(m.id), m]));

@injectable()
class Members implements UserProvider<Member> {
  async getUser(id: string) {
    return members.get(id) ?? null;
  }
  getUserId(member: Member) {
    return String(member.id);
  }
}

const whoami = (request: HttpRequest) => ({ user: request.user.isAuthenticated ? request.user.username : null });

/** A guard of one's own (DRF's IsAuthenticated) throwing NotAuthenticated without naming a challenge. */
const requireUser = (request: HttpRequest) => {
  if (!request.user.isAuthenticated) throw new NotAuthenticated();
};

@Controller('/api', { api: true })
@Authentication(TokenAuthentication, SessionAuthentication)
class NotesApi {
  @Get('/me/')
  me(request: HttpRequest) {
    return whoami(request);
  }

  @Post('/notes/')
  @LoginRequired()
  create(request: HttpRequest) {
    return new JsonResponse({ by: request.user.username }, { status: 201 });
  }

  @Post('/publish/')
  @PermissionRequired('notes.publish')
  publish(request: HttpRequest) {
    return whoami(request);
  }

  /** Anonymous allowed: only CSRF stands between a forged form and this. */
  @Post('/echo/')
  echo(request: HttpRequest) {
    return whoami(request);
  }

  @Post('/custom-guard/')
  @UseGuards(requireUser)
  customGuard(request: HttpRequest) {
    return whoami(request);
  }

  /** The handler's @Authentication replaces the class's. */
  @Post('/bearer/')
  @Authentication(BearerAuthentication)
  @LoginRequired()
  bearer(request: HttpRequest) {
    return whoami(request);
  }
}

@Controller('/token-only', { api: true })
@Authentication(TokenAuthentication)
class TokenOnlyApi {
  @Post('/whoami/')
  whoami(request: HttpRequest) {
    return whoami(request);
  }
}

@Controller('/sessions-only', { api: true })
@Authentication(SessionAuthentication)
class SessionOnlyApi {
  @Post('/notes/')
  @LoginRequired()
  create(request: HttpRequest) {
    return whoami(request);
  }

  @Post('/custom-guard/')
  @UseGuards(requireUser)
  customGuard(request: HttpRequest) {
    return whoami(request);
  }
}

const SETTINGS = { secretKey: 'token-authentication-test-key', allowedHosts: ['localhost', 'testserver'] };

function build(): { app: Application; store: MemoryTokenStore } {
  const scope = root.createChildContainer();
  scope.register(UserProvider, { useClass: Members });
  const store = new MemoryTokenStore();
  scope.registerInstance(TokenStore, store);
  const app = createApp({
    controllers: [NotesApi, TokenOnlyApi, SessionOnlyApi],
    container: scope,
    settings: SETTINGS,
    logger: new CapturingLogger(),
  });
  return { app, store };
}

const HTML = { headers: { Accept: 'text/html' } };
let app: Application;
let store: MemoryTokenStore;
let adaToken: string;
let bobToken: string;

beforeAll(async () => {
  ({ app, store } = build());
  adaToken = await issueToken(store, '1');
  bobToken = await issueToken(store, '2');
});

describe('the token store keeps digests, never tokens', () => {
  test('a token is 40 letters and digits; the store holds its 8-character prefix and SHA-256, not the token', async () => {
    const fresh = new MemoryTokenStore();
    const token = await issueToken(fresh, '7');
    expect(token).toMatch(/^[A-Za-z0-9]{40}$/);
    const stored = fresh.find(token.slice(0, 8))!;
    expect(stored).toEqual({ prefix: token.slice(0, 8), digest: createHash('sha256').update(token).digest('hex'), userId: '7', created: expect.any(Date) });
    expect(JSON.stringify(stored)).not.toContain(token.slice(8));
  });

  test('the right prefix with the wrong rest finds nothing, and cannot revoke the token', async () => {
    const fresh = new MemoryTokenStore();
    const token = await issueToken(fresh, '7');
    const forged = token.slice(0, 8) + 'x'.repeat(32);
    expect(await findToken(fresh, forged)).toBeNull();
    expect(await revokeToken(fresh, forged)).toBe(false);
    expect((await findToken(fresh, token))?.userId).toBe('7');
    expect(await revokeToken(fresh, token)).toBe(true);
    expect(await findToken(fresh, token)).toBeNull();
  });

  test('anything not shaped like a token is refused before the store is asked', async () => {
    const fresh = new MemoryTokenStore();
    const find = jest.spyOn(fresh, 'find');
    for (const candidate of ['', 'short', 'a'.repeat(41), 'a'.repeat(39) + '/', 'é'.repeat(40)]) expect(await findToken(fresh, candidate)).toBeNull();
    expect(find).not.toHaveBeenCalled();
  });
});

describe('TokenAuthentication through the Client', () => {
  test('Authorization: Token <token> authenticates the request as the token\'s user', async () => {
    const response = await new Client(app, { token: adaToken }).get('/api/me/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: 'ada' });
  });

  test('the keyword is case-insensitive, as an auth-scheme is (RFC 9110 §11.1)', async () => {
    const response = await new Client(app).get('/api/me/', undefined, { headers: { Authorization: `token ${adaToken}` } });
    expect(response.json()).toEqual({ user: 'ada' });
  });

  test('no Authorization header: anonymous, and a route that needs a login answers 401 with WWW-Authenticate: Token', async () => {
    expect((await new Client(app).get('/api/me/')).json()).toEqual({ user: null });
    const response = await new Client(app).post('/api/notes/', {}, { json: true, ...HTML });
    expect(response.statusCode).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Token');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  test.each([
    ['an unknown token', `Token ${'z'.repeat(40)}`, 'Invalid token.'],
    ['a token of another shape', 'Token not-a-token', 'Invalid token.'],
    ['the keyword alone', 'Token', 'Invalid token header. No credentials provided.'],
    ['a token with spaces', 'Token abc def', 'Invalid token header. Token string should not contain spaces.'],
    ['a token with characters outside printable ASCII', 'Token abc\u00e9', 'Invalid token header. Token string should not contain invalid characters.'],
  ])('%s answers 401 with WWW-Authenticate: Token and DRF\'s detail, even on a route anonymous users may use', async (_name, header, detail) => {
    const response = await new Client(app).get('/api/me/', undefined, { headers: { Authorization: header, Accept: 'text/html' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Token');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ detail });
  });

  test('the token of an inactive user, and a revoked token, are refused', async () => {
    const inactive = await issueToken(store, '3');
    const inactiveResponse = await new Client(app, { token: inactive }).get('/api/me/');
    expect([inactiveResponse.statusCode, inactiveResponse.json()]).toEqual([401, { detail: 'User inactive or deleted.' }]);
    const revoked = await issueToken(store, '1');
    await revokeToken(store, revoked);
    const revokedResponse = await new Client(app, { token: revoked }).get('/api/me/');
    expect([revokedResponse.statusCode, revokedResponse.json()]).toEqual([401, { detail: 'Invalid token.' }]);
  });

  test('a logged-in user without the permission gets 403; an anonymous request gets 401 (DRF\'s permission_denied)', async () => {
    const denied = await new Client(app, { token: bobToken }).post('/api/publish/');
    expect(denied.statusCode).toBe(403);
    expect(denied.headers.has('WWW-Authenticate')).toBe(false);
    expect(denied.json()).toEqual({ detail: 'You do not have permission to perform this action.' });
    const anonymous = await new Client(app).post('/api/publish/');
    expect([anonymous.statusCode, anonymous.headers.get('WWW-Authenticate')]).toEqual([401, 'Token']);
    const allowed = await new Client(app, { token: adaToken }).post('/api/publish/');
    expect([allowed.statusCode, allowed.json()]).toEqual([200, { user: 'ada' }]);
  });

  test('BearerAuthentication: Authorization: Bearer <token>, and 401s say WWW-Authenticate: Bearer', async () => {
    const client = new Client(app);
    client.credentials({ Authorization: `Bearer ${adaToken}` });
    expect((await client.post('/api/bearer/')).json()).toEqual({ user: 'ada' });
    client.credentials({ Authorization: 'Bearer nope' });
    const bad = await client.post('/api/bearer/');
    expect([bad.statusCode, bad.headers.get('WWW-Authenticate'), bad.json()]).toEqual([401, 'Bearer', { detail: 'Invalid token.' }]);
    // `Token ...` is not this route's scheme: the request is anonymous, and the login it lacks is a Bearer one.
    client.credentials({ Authorization: `Token ${adaToken}` });
    const other = await client.post('/api/bearer/');
    expect([other.statusCode, other.headers.get('WWW-Authenticate')]).toEqual([401, 'Bearer']);
  });

  test('a route with sessions only has no challenge: a missing login answers 403, not a 401 without WWW-Authenticate', async () => {
    const response = await new Client(app).post('/sessions-only/notes/');
    expect(response.statusCode).toBe(403);
    expect(response.headers.has('WWW-Authenticate')).toBe(false);
    expect(response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  test('a custom guard\'s NotAuthenticated gets the route\'s challenge, as DRF\'s handle_exception fills it in: 401 Token, or 403 on a sessions-only route', async () => {
    const anonymous = await new Client(app).post('/api/custom-guard/', {}, { json: true, ...HTML });
    expect([anonymous.statusCode, anonymous.headers.get('WWW-Authenticate'), anonymous.headers.get('Content-Type'), anonymous.json()]).toEqual([
      401,
      'Token',
      'application/json',
      { detail: 'Authentication credentials were not provided.' },
    ]);
    expect((await new Client(app, { token: adaToken }).post('/api/custom-guard/')).json()).toEqual({ user: 'ada' });
    const sessionsOnly = await new Client(app).post('/sessions-only/custom-guard/');
    expect([sessionsOnly.statusCode, sessionsOnly.headers.has('WWW-Authenticate')]).toEqual([403, false]);
  });
});

describe('TokenAuthentication as an AuthenticationBackend', () => {
  test('authenticate(request, { token }) gives the token\'s user; other credentials and wrong tokens give null', async () => {
    const backend = new TokenAuthentication(store, new Members());
    expect(await authenticate(null, { token: adaToken }, [backend])).toBe(ada);
    expect(await authenticate(null, { token: 'z'.repeat(40) }, [backend])).toBeNull();
    expect(await authenticate(null, { username: 'ada', password: adaToken }, [backend])).toBeNull();
  });
});

describe('CSRF is checked only for requests no header authenticated', () => {
  test('a token-authenticated POST needs no CSRF token', async () => {
    const response = await new Client(app, { token: adaToken, enforceCsrfChecks: true }).post('/api/notes/', { text: 'hi' }, { json: true });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ by: 'ada' });
  });

  test('a session-authenticated POST without the CSRF token is refused 403; with it, accepted', async () => {
    const client = new Client(app, { enforceCsrfChecks: true });
    await client.forceLogin(ada);
    const refused = await client.post('/api/notes/', { text: 'hi' }, { json: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' });
    const secret = 'a'.repeat(32);
    client.cookies.set('csrftoken', secret);
    const accepted = await client.post('/api/notes/', { text: 'hi' }, { json: true, headers: { 'X-CSRFToken': secret } });
    expect([accepted.statusCode, accepted.json()]).toEqual([201, { by: 'ada' }]);
  });

  test('an anonymous POST to a route that allows sessions still needs the CSRF token', async () => {
    const response = await new Client(app, { enforceCsrfChecks: true }).post('/api/echo/', { text: 'hi' }, { json: true });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' });
  });

  test('a route without sessions ignores the session cookie: its user is anonymous, so skipping CSRF there forges nothing', async () => {
    const client = new Client(app, { enforceCsrfChecks: true });
    await client.forceLogin(ada);
    const response = await client.post('/token-only/whoami/', { text: 'hi' }, { json: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: null });
  });
});

describe('start-up checks', () => {
  test('TokenAuthentication without a TokenStore is an ImproperlyConfigured at createApp', () => {
    const scope = root.createChildContainer();
    scope.register(UserProvider, { useClass: Members });
    expect(() => createApp({ controllers: [TokenOnlyApi], container: scope, settings: SETTINGS })).toThrow(ImproperlyConfigured);
    expect(() => createApp({ controllers: [TokenOnlyApi], container: scope, settings: SETTINGS })).toThrow(/TokenAuthentication needs a TokenStore/);
  });

  test('@Authentication with something that cannot authenticate names the route', () => {
    class NotAnAuthenticator {}
    @Controller('/x')
    class Broken {
      @Get('/')
      @Authentication(NotAnAuthenticator as never)
      index() {
        return {};
      }
    }
    expect(() => createApp({ controllers: [Broken], container: root.createChildContainer(), settings: SETTINGS })).toThrow(
      '@Authentication on Broken.index: NotAnAuthenticator has no authenticateRequest(request) method.',
    );
  });
});

/** One request over a real socket, the bytes as written; the response's status, headers and body. */
async function rawRequest(server: Server, head: string, body = ''): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const { port } = server.address() as AddressInfo;
  const response = await sendRaw(port, head.replace(/\n/g, '\r\n') + '\r\n' + body);
  return { status: response.status, headers: new Map(Object.entries(response.headers)), body: response.body.toString('utf8') };
}

describe('over a socket', () => {
  let server: Server;
  let socketApp: Application;
  let token: string;
  let session: { name: string; value: string };

  beforeAll(async () => {
    const built = build();
    socketApp = built.app;
    token = await issueToken(built.store, '1');
    session = await forceLogin(socketApp, ada);
    server = await socketApp.listen(0, '127.0.0.1', { handleSignals: false });
  });
  afterAll(() => socketApp.close());

  const post = (extra: string) =>
    `POST /api/notes/ HTTP/1.1\nHost: localhost\nAccept: text/html\nContent-Type: application/json\nContent-Length: 2\nConnection: close\n${extra}`;

  test('a token-authenticated POST without a CSRF token is accepted', async () => {
    const response = await rawRequest(server, post(`Authorization: Token ${token}\n`), '{}');
    expect(response.status).toBe(201);
    expect(response.body).toBe('{"by":"ada"}');
  });

  test('a session-authenticated POST without a CSRF token is refused 403', async () => {
    const response = await rawRequest(server, post(`Cookie: ${session.name}=${session.value}\n`), '{}');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toBe('{"detail":"CSRF Failed: CSRF cookie not set."}');
  });

  test('a bad token is 401 with WWW-Authenticate: Token, in JSON whatever Accept says', async () => {
    const response = await rawRequest(server, post('Authorization: Token 0123456789\n'), '{}');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Token');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toBe('{"detail":"Invalid token."}');
  });
});
