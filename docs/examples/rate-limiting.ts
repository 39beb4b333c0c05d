import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, CsrfExempt, DEFAULT_MIDDLEWARE, Get, HttpRequest, Post, RateLimit, RateLimitMiddleware, createApp } from 'reinhardt';

@Controller('/accounts')
export class AccountController {
  // Five login attempts a minute per client address; the 6th is answered 429 before the
  // handler runs. GETs of the form are not counted.
  @Post('/login/')
  @CsrfExempt()
  @RateLimit('5/m', { key: 'ip', method: 'POST' })
  login(request: HttpRequest) {
    return { username: request.POST.get('username') ?? null };
  }

  @Get('/login/')
  loginForm() {
    return '<form method="post">...</form>';
  }

  // block: false lets the request through and tells the handler, which may ask for a captcha.
  @Post('/signup/')
  @CsrfExempt()
  @RateLimit('3/h', { method: 'POST', block: false })
  signup(request: HttpRequest) {
    return request.limited ? { captcha: true } : { created: true };
  }

  // Counted per API token rather than per address.
  @Get('/export/')
  @RateLimit('2/d', { key: (request) => request.headers.get('X-Api-Token') ?? 'anonymous' })
  exportData() {
    return { rows: [] };
  }
}

export function buildApp() {
  return createApp({
    controllers: [AccountController],
    container: container.createChildContainer(),
    // And a ceiling for the whole site: 300 requests a minute per client, every route together.
    middleware: [...DEFAULT_MIDDLEWARE, new RateLimitMiddleware('300/m')],
    settings: {
      secretKey: process.env.SECRET_KEY ?? 'dev-only-secret',
      // Behind several workers or machines, count in Redis so all of them share each count:
      // caches: { default: { backend: 'redis', location: process.env.REDIS_URL } },
      // Behind a reverse proxy that sets X-Real-IP, count by that header instead of the socket:
      // rateLimitIpMetaKey: 'HTTP_X_REAL_IP',
    },
  });
}
