import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  CacheControl,
  ConditionalGetMiddleware,
  Controller,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpRequest,
  HttpResponse,
  LoginRequired,
  NeverCache,
  VaryOnCookie,
  VaryOnHeaders,
  createApp,
  patchCacheControl,
} from 'reinhardt';

@Controller('')
export class SiteController {
  // Any cache may keep it for 5 minutes, and serve it stale for a minute while it refetches.
  @Get('/prices/')
  @CacheControl({ public: true, maxAge: 300, staleWhileRevalidate: 60 })
  prices() {
    return { eur: 1.08, gbp: 0.86 };
  }

  // One copy per language and per cookie header (the greeting depends on the session).
  @Get('/')
  @VaryOnHeaders('Accept-Language')
  @VaryOnCookie()
  home(request: HttpRequest) {
    const french = request.headers.get('Accept-Language')?.startsWith('fr') ?? false;
    const who = request.user.isAuthenticated ? (french ? 'de retour' : 'back') : french ? 'visiteur' : 'visitor';
    return `<h1>${french ? 'Bienvenue' : 'Welcome'} ${who}</h1>`;
  }

  // A page for one user: no cache keeps it, not even the login redirect an anonymous visitor gets.
  @Get('/account/')
  @NeverCache()
  @LoginRequired()
  account() {
    return '<p>Your orders, your addresses</p>';
  }

  // The helpers work on any response, here when the policy depends on the data.
  @Get('/news/<int:id>/')
  news(request: HttpRequest, id: number) {
    const response = new HttpResponse(`<article>News ${id}</article>`);
    patchCacheControl(response, id < 100 ? { public: true, maxAge: 86400, immutable: true } : { public: true, maxAge: 60 });
    return response;
  }
}

export function buildApp() {
  return createApp({
    controllers: [SiteController],
    // Innermost: every GET page with a body gets ETag: W/"<md5 of the body>", and a 304 when it matches.
    middleware: [...DEFAULT_MIDDLEWARE, ConditionalGetMiddleware],
    container: container.createChildContainer(),
    settings: { secretKey: 'caching' },
  });
}
