import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Settings } from '../../src/core/settings';
import { HttpResponse } from '../../src/http/http-response';
import { SecurityMiddleware } from '../../src/middleware/security';
import { Client } from '../../src/testing/client';

@Controller('')
class PageController {
  @Get('/page/')
  page() {
    return 'hello';
  }

  @Get('/framed/')
  framed() {
    return new HttpResponse('ok', { headers: { 'X-Frame-Options': 'SAMEORIGIN', 'Referrer-Policy': 'no-referrer' } });
  }

  @Get('/health/')
  health() {
    return 'up';
  }
}

function client(settings: Partial<Settings> = {}, middleware = true) {
  const app = createApp({
    controllers: [PageController],
    settings: { secretKey: 'k', ...settings },
    container: root.createChildContainer(),
    middleware: middleware ? [SecurityMiddleware] : undefined,
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

describe('SecurityMiddleware', () => {
  test("Django's default headers: nosniff, X-Frame-Options DENY, Referrer-Policy and COOP same-origin; no HSTS", async () => {
    const response = await client().get('/page/');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(response.headers.has('Strict-Transport-Security')).toBe(false);
  });

  test('the default stack (no middleware option) includes it', async () => {
    const response = await client({}, false).get('/page/');
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
  });

  test('headers the handler set are kept', async () => {
    const response = await client().get('/framed/');
    expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
  });

  test('each header can be turned off or changed by setting', async () => {
    const response = await client({
      secureContentTypeNosniff: false,
      xFrameOptions: 'sameorigin',
      secureReferrerPolicy: 'no-referrer, strict-origin',
      secureCrossOriginOpenerPolicy: null,
    }).get('/page/');
    expect(response.headers.has('X-Content-Type-Options')).toBe(false);
    expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer,strict-origin');
    expect(response.headers.has('Cross-Origin-Opener-Policy')).toBe(false);
  });

  test('HSTS only on secure requests, with includeSubDomains and preload by setting', async () => {
    const c = client({ secureHstsSeconds: 31536000, secureHstsIncludeSubdomains: true, secureHstsPreload: true });
    expect((await c.get('/page/', undefined, { secure: true })).headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains; preload');
    expect((await c.get('/page/')).headers.has('Strict-Transport-Security')).toBe(false);
    expect((await client({ secureHstsSeconds: 60 }).get('/page/', undefined, { secure: true })).headers.get('Strict-Transport-Security')).toBe('max-age=60');
  });

  test('secureSslRedirect: 301 to https with the full path; secure requests and exempt paths pass', async () => {
    const c = client({ secureSslRedirect: true, secureRedirectExempt: ['^health/$'] });
    const response = await c.get('/page/?q=1');
    expect(response.statusCode).toBe(301);
    expect(response.headers.get('Location')).toBe('https://testserver/page/?q=1');
    expect((await c.get('/page/', undefined, { secure: true })).statusCode).toBe(200);
    expect((await c.get('/health/')).statusCode).toBe(200);
    const elsewhere = await client({ secureSslRedirect: true, secureSslHost: 'secure.example.com' }).get('/page/');
    expect(elsewhere.headers.get('Location')).toBe('https://secure.example.com/page/');
  });

  test('a Host outside allowedHosts is answered 400 before anything else', async () => {
    const response = await client({ allowedHosts: ['example.com'] }).get('/page/', undefined, { headers: { Host: 'evil.com' } });
    expect(response.statusCode).toBe(400);
  });
});
