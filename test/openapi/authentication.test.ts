/**
 * `@Authentication(...)` routes (Django REST framework's authentication_classes) in the document:
 * one security alternative per authenticator — the `Authorization: Token` header, HTTP bearer,
 * the session cookie with the CSRF pair on unsafe methods — plus an anonymous one unless a login
 * is needed, and 401 when an authenticator has a challenge (DRF's permission_denied).
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  Client, Authentication, BearerAuthentication, Controller, CsrfExempt, Get, LoginRequired, MemoryTokenStore, Post, SessionAuthentication, TokenAuthentication,
  TokenStore, UserProvider, createApp,
} from '../../src';

const ERROR = { $ref: '#/components/schemas/ErrorDetail' };
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });

@Controller('/api', { api: true })
@Authentication(TokenAuthentication, SessionAuthentication)
class ApiController {
  @Get('/polls/') list() {
    return [];
  }
  @Post('/polls/') @LoginRequired() create() {}
  @Post('/votes/') vote() {}
  @Post('/hooks/') @CsrfExempt() hook() {}
  @Get('/me/') @Authentication(BearerAuthentication) @LoginRequired() me() {}
  @Get('/session-only/') @Authentication(SessionAuthentication) @LoginRequired() sessionOnly() {}
}

function apiApp() {
  const scope = container.createChildContainer();
  scope.register(UserProvider, { useValue: { getUser: async () => null, getUserId: () => '1' } as UserProvider });
  scope.registerInstance(TokenStore, new MemoryTokenStore());
  return createApp({ controllers: [ApiController], middleware: [], settings: { secretKey: 'openapi-auth-secret' }, container: scope });
}

function documentOfApi() {
  return apiApp().openapi();
}

describe('@Authentication routes', () => {
  const document = documentOfApi();
  const paths = document.paths;

  test('the schemes: the Token header, HTTP bearer, the session cookie and the CSRF pair', () => {
    expect(document.components.securitySchemes).toEqual({
      tokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token-based authentication with the required prefix "Token": Authorization: Token <token>' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sessionid', description: 'The session cookie set at login.' },
      csrfCookie: { type: 'apiKey', in: 'cookie', name: 'csrftoken', description: 'The CSRF cookie; the header must carry its token.' },
      csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRFToken', description: 'The CSRF token of the cookie, required on POST, PUT, PATCH and DELETE.' },
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token>' },
    });
  });

  test('a safe method open to anyone: the token, the session, or nobody; 401 for a bad token', () => {
    expect(paths['/api/polls/'].get!.security).toEqual([{ tokenAuth: [] }, { sessionCookie: [] }, {}]);
    expect(paths['/api/polls/'].get!.responses).toEqual({ '200': { description: 'OK' }, '401': json('Unauthorized', ERROR) });
  });

  test('an unsafe method needing a login: the token, or the session with the CSRF pair; 401 and 403', () => {
    expect(paths['/api/polls/'].post!.security).toEqual([{ tokenAuth: [] }, { sessionCookie: [], csrfCookie: [], csrfHeader: [] }]);
    expect(paths['/api/polls/'].post!.responses).toEqual({ '200': { description: 'OK' }, '401': json('Unauthorized', ERROR), '403': json('Forbidden', ERROR) });
  });

  test('an unsafe method open to anyone: an anonymous request needs the CSRF pair (sessions are listed)', () => {
    expect(paths['/api/votes/'].post!.security).toEqual([{ tokenAuth: [] }, { sessionCookie: [], csrfCookie: [], csrfHeader: [] }, { csrfCookie: [], csrfHeader: [] }]);
  });

  test('@CsrfExempt: no CSRF pair and no 403', () => {
    expect(paths['/api/hooks/'].post!.security).toEqual([{ tokenAuth: [] }, { sessionCookie: [] }, {}]);
    expect(paths['/api/hooks/'].post!.responses).toEqual({ '200': { description: 'OK' }, '401': json('Unauthorized', ERROR) });
  });

  test("a handler's @Authentication replaces its class's: bearer only", () => {
    expect(paths['/api/me/'].get!.security).toEqual([{ bearerAuth: [] }]);
    expect(paths['/api/me/'].get!.responses).toEqual({ '200': { description: 'OK' }, '401': json('Unauthorized', ERROR) });
  });

  test('sessions only: no challenge, so a missing login is a 403, not a 401', () => {
    expect(paths['/api/session-only/'].get!.security).toEqual([{ sessionCookie: [] }]);
    expect(paths['/api/session-only/'].get!.responses).toEqual({ '200': { description: 'OK' }, '403': json('Forbidden', ERROR) });
  });

  test('the app answers as the document says: 401 with a challenge, 403 without one, 401 for a bad token', async () => {
    const client = new Client(apiApp());
    expect((await client.get('/api/me/')).statusCode).toBe(401);
    expect((await client.get('/api/session-only/')).statusCode).toBe(403);
    expect((await client.get('/api/polls/', undefined, { headers: { Authorization: 'Token nope' } })).statusCode).toBe(401);
    expect((await client.get('/api/polls/')).statusCode).toBe(200);
  });
});
