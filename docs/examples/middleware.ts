import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import {
  Controller,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpRequest,
  HttpResponseForbidden,
  createApp,
  type MiddlewareFunction,
  type NextHandler,
} from 'reinhardt';

/** Function form: work before `next`, then with the response on the way out. */
export const timing: MiddlewareFunction = async (request, next) => {
  const started = performance.now();
  const response = await next(request);
  response.headers.set('Server-Timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
  return response;
};

@injectable()
export class Blocklist {
  readonly blocked = new Set(['10.0.0.66']);
}

/** Class form: resolved once from the container, so its constructor can inject services. */
@injectable()
export class BlocklistMiddleware {
  constructor(private readonly blocklist: Blocklist) {}

  async handle(request: HttpRequest, next: NextHandler) {
    if (this.blocklist.blocked.has(request.headers.get('X-Real-IP') ?? '')) {
      return new HttpResponseForbidden('Go away'); // short-circuits: the handler never runs
    }
    return next(request);
  }
}

@Controller()
export class PingController {
  @Get('/ping/')
  ping() {
    return 'pong';
  }
}

/** Django's default stack (Security, Session, Csrf, Authentication) with ours around and inside it. */
export function buildApp() {
  return createApp({
    controllers: [PingController],
    middleware: [timing, ...DEFAULT_MIDDLEWARE, BlocklistMiddleware],
    container: container.createChildContainer(),
    settings: { debug: true },
  });
}

/** The bare pipeline: routing, the handler and the error views, nothing else. */
export function buildBareApp() {
  return createApp({ controllers: [PingController], middleware: [], container: container.createChildContainer(), settings: { debug: true } });
}
