/**
 * Issue 19, item 10: signed cookies are bound to one (name, salt) pair, and the secret key can be
 * rotated (Django 4.1's SECRET_KEY_FALLBACKS): values signed with a key listed in
 * `secretKeyFallbacks` still verify — signed cookies, cookie sessions, `loads()` tokens — while
 * every new value is signed with `secretKey` alone. Through the test Client, as a browser
 * would see it.
 *
 * `setSignedCookie`, `dumps` and `loads` without a key use the app created last (Django's global
 * settings), so each app below is created right before it is used.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Settings } from '../../src/core/settings';
import { dumps, loads, unsignCookieValue } from '../../src/signing';
import { BadSignature, ImproperlyConfigured } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { JsonResponse } from '../../src/http/json-response';
import { SessionStore } from '../../src/sessions/session-store';
import { SignedCookieSessionStore } from '../../src/sessions/signed-cookie-session-store';
import { Client } from '../../src/testing/client';

const SESSION_SALT = 'django.contrib.sessions.backends.signed_cookies';
const RESET_SALT = 'password-reset';

@Controller('')
class SignedController {
  @Get('/cookie/set/')
  setCookie() {
    const response = new HttpResponse('set');
    response.setSignedCookie('a', 'admin', { salt: 'bc' });
    return response;
  }

  @Get('/cookie/read/')
  readCookies(request: HttpRequest) {
    return {
      a: request.getSignedCookie('a', { salt: 'bc', default: null }),
      ab: request.getSignedCookie('ab', { salt: 'c', default: null }),
    };
  }

  @Post('/session/')
  login(request: HttpRequest) {
    request.session.set('user', request.POST.get('user'));
    return { saved: true };
  }

  @Get('/session/')
  whoAmI(request: HttpRequest) {
    return { user: request.session.get('user') ?? null };
  }

  @Get('/reset/new/')
  newToken() {
    return { token: dumps({ user: 42 }, { salt: RESET_SALT }) };
  }

  @Get('/reset/')
  reset(request: HttpRequest) {
    try {
      return loads(request.GET.get('token') ?? '', { salt: RESET_SALT, maxAge: 3600 });
    } catch (error) {
      if (error instanceof BadSignature) return new JsonResponse({ detail: 'This link is invalid.' }, { status: 400 });
      throw error;
    }
  }
}

function clientFor(settings: Partial<Settings>): Client {
  const container = root.createChildContainer();
  container.register(SessionStore, { useValue: new SignedCookieSessionStore() });
  const app = createApp({ controllers: [SignedController], settings: { allowedHosts: ['testserver'], ...settings }, container, logger });
  return new Client(app);
}

const logger = new CapturingLogger();
beforeEach(() => logger.clear());

describe('a signed cookie is bound to its name and salt', () => {
  test('set as `a` with salt `bc`, it is refused as `ab` with salt `c` (Django accepts it)', async () => {
    const client = clientFor({ secretKey: 'key' });
    await client.get('/cookie/set/');
    client.cookies.set('ab', client.cookies.get('a')!);
    const response = await client.get('/cookie/read/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ a: 'admin', ab: null });
  });
});

describe('secretKeyFallbacks: rotating the secret key', () => {
  test('the setting must be an array of non-empty strings', () => {
    expect(() => clientFor({ secretKey: 'new', secretKeyFallbacks: [''] })).toThrow(
      new ImproperlyConfigured('The secretKeyFallbacks setting must be an array of non-empty strings.'),
    );
    expect(() => clientFor({ secretKey: 'new', secretKeyFallbacks: 'old' as unknown as string[] })).toThrow(ImproperlyConfigured);
  });

  test('a signed cookie set under the old key reads when the old key is a fallback, and not otherwise', async () => {
    const before = clientFor({ secretKey: 'old' });
    await before.get('/cookie/set/');
    const cookie = before.cookies.get('a')!;

    const rotated = clientFor({ secretKey: 'new', secretKeyFallbacks: ['older', 'old'] });
    rotated.cookies.set('a', cookie);
    expect((await rotated.get('/cookie/read/')).json()).toEqual({ a: 'admin', ab: null });

    const forgotten = clientFor({ secretKey: 'new' });
    forgotten.cookies.set('a', cookie);
    expect((await forgotten.get('/cookie/read/')).json()).toEqual({ a: null, ab: null });
  });

  test('a new signed cookie is signed with secretKey only', async () => {
    const client = clientFor({ secretKey: 'new', secretKeyFallbacks: ['old'] });
    await client.get('/cookie/set/');
    const cookie = client.cookies.get('a')!;
    expect(unsignCookieValue('a', cookie, 'new', 'bc')).toBe('admin');
    expect(() => unsignCookieValue('a', cookie, 'old', 'bc')).toThrow(BadSignature);
  });

  test('a cookie session signed with the old key loads when the old key is a fallback, and is re-signed with the new key', async () => {
    const before = clientFor({ secretKey: 'old' });
    await before.post('/session/', { user: 'ada' });
    const sessionCookie = before.cookies.get('sessionid')!;

    const forgotten = clientFor({ secretKey: 'new' });
    forgotten.cookies.set('sessionid', sessionCookie);
    const refused = await forgotten.get('/session/');
    expect(refused.json()).toEqual({ user: null });
    expect(logger.named('reinhardt.security.SuspiciousSession')).toEqual([
      {
        level: 'warn',
        name: 'reinhardt.security.SuspiciousSession',
        requestId: refused.headers.get('X-Request-ID'),
        msg: expect.stringMatching(/^SignedCookieSessionStore: Signature ".+" does not match$/),
      },
    ]);
    expect(refused.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);

    const rotated = clientFor({ secretKey: 'new', secretKeyFallbacks: ['old'] });
    rotated.cookies.set('sessionid', sessionCookie);
    expect((await rotated.get('/session/')).json()).toEqual({ user: 'ada' });
    await rotated.post('/session/', { user: 'bob' });
    const resigned = rotated.cookies.get('sessionid')!;
    expect(loads(resigned, { key: 'new', salt: SESSION_SALT })).toEqual({ user: 'bob' });
    expect(() => loads(resigned, { key: 'old', salt: SESSION_SALT })).toThrow(BadSignature);
  });

  test('a dumps() token (a password-reset link) made with the old key loads when the old key is a fallback', async () => {
    const token = dumps({ user: 42 }, { key: 'old', salt: RESET_SALT });

    const forgotten = clientFor({ secretKey: 'new' });
    const refused = await forgotten.get('/reset/', { token });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ detail: 'This link is invalid.' });

    const rotated = clientFor({ secretKey: 'new', secretKeyFallbacks: ['old'] });
    const accepted = await rotated.get('/reset/', { token });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ user: 42 });

    const fresh = (await rotated.get('/reset/new/')).json<{ token: string }>().token;
    expect(loads(fresh, { key: 'new', salt: RESET_SALT })).toEqual({ user: 42 });
    expect(() => loads(fresh, { key: 'old', salt: RESET_SALT })).toThrow(BadSignature);
  });
});
