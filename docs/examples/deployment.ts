import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, Post, RedisSessionStore, SessionStore, createApp, serve } from 'reinhardt';

@Controller()
export class SiteController {
  @Get('/where/')
  where(request: HttpRequest) {
    return { secure: request.isSecure(), host: request.getHost(), url: request.buildAbsoluteUri() };
  }

  @Post('/visits/')
  visit(request: HttpRequest) {
    request.session.set('visits', (request.session.get<number>('visits') ?? 0) + 1);
    return { visits: request.session.get('visits'), pid: process.pid };
  }
}

/** Every worker builds the same app; sessions live in Redis, so any worker serves any session. */
export function buildProductionApp(redisUrl: string, secretKey = process.env.SECRET_KEY ?? '') {
  const scope = container.createChildContainer();
  const store = new RedisSessionStore({ url: redisUrl, prefix: 'mysite:session:' });
  scope.register(SessionStore, { useValue: store });
  const app = createApp({
    controllers: [SiteController],
    container: scope,
    settings: {
      secretKey, // required when debug is false
      allowedHosts: ['www.example.com'],
      // Behind nginx or a load balancer that sets X-Forwarded-Proto and X-Forwarded-Host:
      secureProxySslHeader: ['HTTP_X_FORWARDED_PROTO', 'https'],
      useXForwardedHost: true,
      secureSslRedirect: true, // plain HTTP -> 301 to https://
      secureHstsSeconds: 60 * 60 * 24 * 365,
      sessionCookieSecure: true,
      csrfCookieSecure: true,
    },
  });
  return { app, store };
}

// node dist/main.js: one primary process forking 4 workers that share port 8000.
if (require.main === module) {
  void serve(() => buildProductionApp(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').app, { port: 8000, workers: 4 });
}
