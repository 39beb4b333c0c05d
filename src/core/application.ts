import 'reflect-metadata';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { requestStorage } from '../di/current-request';
import type { RouteMatch, Router } from '../routing/router';
import { setActiveRouter } from '../routing/reverse';
import { SessionStore } from '../sessions/session-store';
import { MemorySessionStore } from '../sessions/memory-session-store';
import { SessionMiddleware } from '../sessions/session-middleware';
import { AuthenticationMiddleware } from '../auth/authentication-middleware';
import { CsrfMiddleware } from '../middleware/csrf';
import { SecurityMiddleware } from '../middleware/security';
import { configureResponses } from '../http/response-config';
import { composeMiddleware } from './compose';
import { defaultHandler400, defaultHandler403, defaultHandler404, defaultHandler429, defaultHandler500, type ErrorView } from './error-views';
import { registerApiPrefixes } from '../http/api-prefixes';
import { getControllerMetadata } from '../../decorators/controller';
import { registerErrorViews, responseForException, type ErrorViews } from './exception-to-response';
import { noRouteResponse } from './no-route';
import { composeRouteMiddleware, invokeRoute, isSimpleRoute, runReadyRoute, runRoute } from './invoke';
import type { InlineNext, Middleware } from './middleware';
import { writeResponse, type BytesSent } from './response-writer';
import { buildRouter, type CompiledRoute } from './route-table';
import { registerRouter } from './routes-by-settings';
import { closeGracefully, listenAndAnnounce } from './server';
import { resolveSettings, type Settings } from './settings';
import { runStartupChecks } from '../checks/system-checks';
import { registerOpenApiProvider } from '../openapi/document-sources';
import type { OpenApiDocument, OpenApiInfo } from '../openapi/openapi-types';
import { requestChannel } from '../tracing/channels';
import { traceRequest } from '../tracing/request-trace';
import type { Logger } from '../logging/logger';
import { registerAppLogger, resolveAppLogger } from '../logging/app-loggers';
import { AccessLog } from '../logging/access-log';
import { logResponse } from '../logging/log-response';

export interface AppOptions {
  /** Classes decorated with `@Controller`. */
  controllers: Function[];
  /** The onion, outermost first. Omitted: Django's default stack. `[]`: the bare pipeline. */
  middleware?: Middleware[];
  /** Partial settings; the rest take Django's defaults. */
  settings?: Partial<Settings>;
  /** The tsyringe container (default: the root container). */
  container?: DependencyContainer;
  handler400?: ErrorView;
  handler403?: ErrorView;
  handler404?: ErrorView;
  handler500?: ErrorView;
  /** Answers requests over a `@RateLimit` / `RateLimitMiddleware` rate (default: JSON or HTML 429 with Retry-After). */
  handler429?: ErrorView;
  /**
   * Where every record goes (docs/logging.md): any logger of pino's shape, `pino()` included.
   * Registered in the container under LOGGER. Default: the one registered there, else the default
   * logger (human lines on stderr with `debug`, JSON lines without).
   */
  logger?: Logger;
}

/**
 * Django's default middleware. CsrfMiddleware comes after AuthenticationMiddleware: Django lists
 * it before, but checks in `process_view`, after every middleware's `process_request`, so its
 * failure page (and a 400/413 from reading the form) sees the signed-in user; in an onion that
 * timing is the inner position.
 */
export const DEFAULT_MIDDLEWARE: readonly Middleware[] = [SecurityMiddleware, SessionMiddleware, AuthenticationMiddleware, CsrfMiddleware];

/**
 * A Reinhardt application: the compiled routes, the middleware onion and the error views, built
 * once; `handle` serves a request from node:http.
 * @example
 * const app = createApp({ controllers: [PollController], settings: { secretKey: process.env.SECRET_KEY } });
 * await app.listen(8000);
 */
export class Application {
  readonly settings: Readonly<Settings>;
  readonly container: DependencyContainer;
  readonly router: Router<CompiledRoute>;
  /**
   * The app's logger (createApp's `logger`, the container's LOGGER, or the default logger); each
   * part logs through a child named as Django's loggers.
   * @example app.logger.child({ name: 'reinhardt.server' }).info(`Listening on http://127.0.0.1:${port}/`);
   */
  readonly logger: Logger;
  /** A plain `(req, res)` listener: `http.createServer(app.handle)`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  private readonly chain: InlineNext;
  private readonly views: ErrorViews;
  private readonly servers = new Set<Server>();
  private readonly middleware: readonly Middleware[];
  private openApiDocument: OpenApiDocument | null = null;
  /** The access log when the `accessLog` setting (or runserver) turned it on; null costs a request nothing. */
  private accessLog: AccessLog | null;
  /** Bound once so that dispatching allocates no closure per request. */
  private readonly dispatchBound: (request: HttpRequest) => Promise<HttpResponse>;
  /** Where `currentRequest()` finds the request; null with `requestContext: false`. */
  private readonly tracking: AsyncLocalStorage<HttpRequest> | null;
  /** The onion after routing, bound once: what `reinhardt:request` traces when someone listens. */
  private readonly runChainBound: InlineNext;

  constructor(options: AppOptions) {
    this.settings = resolveSettings(options.settings);
    this.container = options.container ?? rootContainer;
    this.logger = resolveAppLogger(options.logger, this.container, this.settings);
    registerAppLogger(this.settings, this.logger);
    this.accessLog = this.settings.accessLog ? new AccessLog(this.logger) : null;
    // One store per app, whatever lifecycle it was registered with: the session middleware,
    // forceLogin() and the test Client's logout() must see the same sessions, which a transient
    // `{ useClass }` registration would give each its own of.
    this.container.registerInstance(
      SessionStore,
      this.container.isRegistered(SessionStore, true) ? this.container.resolve(SessionStore) : new MemorySessionStore(),
    );
    this.tracking = requestStorage(this.settings.requestContext);
    configureResponses({ secretKey: this.settings.secretKey, secretKeyFallbacks: this.settings.secretKeyFallbacks, defaultCharset: this.settings.defaultCharset });
    // Django's system checks, once, before the routes are built: errors stop the app, warnings are logged.
    runStartupChecks(this, { settings: this.settings, controllers: options.controllers, middleware: options.middleware ?? DEFAULT_MIDDLEWARE, container: this.container }, this.logger);
    this.router = buildRouter(options.controllers, this.container);
    registerRouter(this.settings, this.router);
    // `api: true` controllers: a 404/405 under their prefix answers JSON like their routes' errors.
    const apiControllers = options.controllers.map((controller) => getControllerMetadata(controller)).filter((meta) => meta?.api === true);
    registerApiPrefixes(this.settings, apiControllers.map((meta) => meta!.prefix));
    setActiveRouter(this.router);
    const router = this.router;
    const appLogger = this.logger;
    this.views = {
      handler400: options.handler400 ?? defaultHandler400,
      handler403: options.handler403 ?? defaultHandler403,
      handler404: options.handler404 ?? defaultHandler404,
      handler500: options.handler500 ?? defaultHandler500,
      handler429: options.handler429 ?? defaultHandler429,
      context: { patterns: () => router.routes().map((r) => `${r.pattern} [${r.methods.join(', ')}]${r.name ? ` [name='${r.name}']` : ''}`) },
      // Through the request's logger, so the record carries its ID (the response then echoes it).
      log: (request, level, fields, message) => (request === null ? appLogger : request.log)[level](fields, message),
    };
    registerErrorViews(this.settings, this.views);
    // Each route's @UseMiddleware, composed once now that the error views exist.
    composeRouteMiddleware(this.router, this.container, this.views);
    // Conditional GET and Range sit inside the middleware (Django's ConditionalGetMiddleware is
    // below SecurityMiddleware), so a 304 or 416 still gets the security headers and cookies.
    const core: InlineNext = (request) => {
      const route = request.route as CompiledRoute | null;
      return route === null ? this.noRoute(request) : runRoute(route, request, this.container);
    };
    this.dispatchBound = (request) => this.dispatchInContext(request);
    this.runChainBound = (request) => this.runChain(request);
    const middleware = options.middleware ?? DEFAULT_MIDDLEWARE;
    this.middleware = middleware;
    registerOpenApiProvider(this.settings, this);
    this.chain = composeMiddleware(middleware, core, this.container, this.views);
    const bare = middleware.length === 0;
    const serve = (request: HttpRequest, res: ServerResponse): void => {
      if (this.accessLog !== null) this.accessLog.begin(request);
      // The bare fast path has no single place to trace from (its body may arrive a tick later),
      // so a traced request takes the layered one, which gives the same answers.
      const response = bare && !requestChannel.hasSubscribers ? this.dispatchBare(request) : this.dispatchLayered(request);
      if (response === null) process.nextTick(afterHead, this, request, res);
      else this.sendOrWait(request, res, response);
    };
    // Chosen once: a tracked request runs the same fast path inside the storage's run(), which
    // creates no promise for a GET answered in this tick (src/di/current-request.ts).
    const tracking = this.tracking;
    this.handle =
      tracking === null
        ? (req, res) => serve(new HttpRequest(req, this.settings), res)
        : (req, res) => {
            const request = new HttpRequest(req, this.settings);
            tracking.run(request, serve, request, res);
          };
  }

  /**
   * The error views (SPEC §3), settable on the app as well as through `createApp`'s options; a
   * new view answers from the next exception on.
   * @example app.handler404 = (request, error) => new HttpResponseNotFound(`No ${request.path} here`);
   */
  get handler400(): ErrorView {
    return this.views.handler400;
  }
  set handler400(view: ErrorView) {
    this.views.handler400 = view;
  }
  get handler403(): ErrorView {
    return this.views.handler403;
  }
  set handler403(view: ErrorView) {
    this.views.handler403 = view;
  }
  get handler404(): ErrorView {
    return this.views.handler404;
  }
  set handler404(view: ErrorView) {
    this.views.handler404 = view;
  }
  get handler500(): ErrorView {
    return this.views.handler500;
  }
  set handler500(view: ErrorView) {
    this.views.handler500 = view;
  }
  get handler429(): ErrorView {
    return this.views.handler429;
  }
  set handler429(view: ErrorView) {
    this.views.handler429 = view;
  }

  /**
   * Runs the whole pipeline for a request and returns the response without writing it: routing,
   * the middleware onion, the handler, error views, conditional GET and Range. Never throws.
   */
  dispatch(request: HttpRequest): Promise<HttpResponse> {
    const tracking = this.tracking;
    return tracking === null ? this.dispatchInContext(request) : tracking.run(request, this.dispatchBound, request);
  }

  private async dispatchInContext(request: HttpRequest): Promise<HttpResponse> {
    let response: HttpResponse;
    try {
      response = await this.dispatchLayered(request);
    } catch (error) {
      // Only possible without middleware: the core's own exceptions are the caller's to convert.
      response = await responseForException(request, error, this.views);
    }
    // Django's get_response: every 4xx/5xx is logged once, the ones nothing logged yet here.
    if (response.statusCode >= 400) logResponse(request, response);
    if (request.hasId) echoRequestId(request, response);
    return response;
  }

  /**
   * Routing, then the onion: the response at once when every layer answered synchronously (the
   * built-in middleware do unless they need the session store or the body), else a promise.
   * Never throws; without middleware the promise rejects with what an async handler threw.
   */
  private dispatchLayered(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    try {
      this.route(request);
    } catch {
      // An undecodable path (`/%ZZ/`): no route, and the onion runs anyway. The core's noRoute
      // reads request.path again and throws the same BadRequest there, inside the middleware, so
      // the 400 gets the security headers like any other response (issue 19 item 6). A valid
      // path pays nothing for this.
    }
    // After routing, so the trace's start names the route (src/tracing/channels.ts).
    if (requestChannel.hasSubscribers) return traceRequest(request, this.runChainBound);
    try {
      return this.chain(request);
    } catch (error) {
      return responseForException(request, error, this.views);
    }
  }

  /**
   * The onion for a routed request, traced: never throws nor rejects, so the trace's result is
   * the response even without middleware (whose core's promise rejects with a handler's error).
   */
  private runChain(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    try {
      const response = this.chain(request);
      return response instanceof Promise ? this.settleChain(request, response) : response;
    } catch (error) {
      return responseForException(request, error, this.views);
    }
  }

  private async settleChain(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
    try {
      return await pending;
    } catch (error) {
      return await responseForException(request, error, this.views);
    }
  }

  /**
   * The bare pipeline (no middleware) for node:http: the same steps as `dispatch`, but a simple
   * route (see `isSimpleRoute`) whose handler returns a value is answered with no promise at all:
   * in the same tick without a body, and with one on the next tick — null says so, and
   * {@link bodyArrived} goes on there. Anything else continues asynchronously. Never throws.
   */
  private dispatchBare(request: HttpRequest): HttpResponse | Promise<HttpResponse> | null {
    try {
      const match = this.route(request);
      if (match === null || match.value === null) return this.noRoute(request, match);
      const route = match.value;
      if (!isSimpleRoute(route)) return invokeRoute(route, request, this.container);
      return request.hasBody ? null : runReadyRoute(route, request);
    } catch (error) {
      return responseForException(request, error, this.views);
    }
  }

  /**
   * A simple route's request with a body, on the tick after its head: node:http has pushed the
   * body that came with the head by then, and it is taken whole from the stream's buffer; a body
   * still arriving (or one to refuse, or multipart) is read as `dispatch` reads it.
   * @internal
   */
  bodyArrived(request: HttpRequest, res: ServerResponse): void {
    let response: HttpResponse | Promise<HttpResponse>;
    try {
      const route = request.route as CompiledRoute;
      response = request.loadBufferedBody() ? runReadyRoute(route, request) : invokeRoute(route, request, this.container);
    } catch (error) {
      response = responseForException(request, error, this.views);
    }
    this.sendOrWait(request, res, response);
  }

  /** Sends a response now, or once the pending one settles. */
  private sendOrWait(request: HttpRequest, res: ServerResponse, response: HttpResponse | Promise<HttpResponse>): void {
    if (response instanceof HttpResponse) {
      this.send(request, res, response);
    } else {
      void this.sendWhenReady(request, res, response);
    }
  }

  /** Looks the request up: `request.route` and `request.params` when a handler matches. */
  private route(request: HttpRequest): RouteMatch<CompiledRoute> | null {
    // reverse() without an app serves the app handling the request (the last created until then).
    setActiveRouter(this.router);
    const match = this.router.match(request.method, request.path);
    if (match !== null && match.value !== null) {
      request.route = match.value;
      request.params = match.params;
    }
    return match;
  }

  /** Waits for a response the pipeline could not give at once, then sends it. */
  private async sendWhenReady(request: HttpRequest, res: ServerResponse, pending: Promise<HttpResponse>): Promise<void> {
    let response: HttpResponse;
    try {
      response = await pending;
    } catch (error) {
      response = await responseForException(request, error, this.views);
    }
    this.send(request, res, response);
  }

  /** No route for this method: 405, OPTIONS, append-slash or 404 (./no-route.ts). */
  private noRoute(request: HttpRequest, known?: RouteMatch<CompiledRoute> | null): HttpResponse | Promise<HttpResponse> {
    return noRouteResponse(request, this.router, this.views, known);
  }

  /**
   * Writes the response: a buffered body at once, a streamed one in the background; then removes
   * the request's uploaded files (after the last byte, or when the client went away).
   */
  private send(request: HttpRequest, res: ServerResponse, response: HttpResponse): void {
    const accessLog = this.accessLog;
    // Django's get_response: every 4xx/5xx is logged once (every path of `handle` ends here, as
    // every path of `dispatch` ends in dispatchInContext). Before the echo, so its ID is echoed.
    if (response.statusCode >= 400) logResponse(request, response);
    // The access log reads the ID at the end, after the head is sent: make it now, so it is echoed.
    if (accessLog !== null || request.hasId) echoRequestId(request, response);
    if (request.bodyIncomplete && !drainable(request, response)) response.headers.set('Connection', 'close');
    const sent = accessLog === null ? undefined : { bytes: 0 };
    let streaming: Promise<void> | undefined;
    try {
      streaming = writeResponse(res, response, request.method === 'HEAD', undefined, sent);
    } catch (error) {
      this.views.log(request, 'error', { name: 'reinhardt.request', err: error }, 'Writing the response failed');
      res.destroy();
    }
    if (sent !== undefined && streaming === undefined) accessLog!.end(request, response.statusCode, sent.bytes);
    if (streaming !== undefined || request.hasUploadedFiles) void this.afterResponse(request, streaming, response.statusCode, sent);
  }

  private async afterResponse(request: HttpRequest, streaming: Promise<void> | undefined, status: number, sent: BytesSent | undefined): Promise<void> {
    if (streaming !== undefined) await streaming;
    if (streaming !== undefined && sent !== undefined) this.accessLog?.end(request, status, sent.bytes);
    if (request.hasUploadedFiles) {
      await request.cleanup().catch((error: unknown) => this.views.log(request, 'error', { name: 'reinhardt.request', err: error }, 'Removing uploaded files failed'));
    }
  }

  /**
   * The app's OpenAPI 3.1 document, built from its routes on the first call and kept (src/openapi/;
   * loaded only then, so an app that never asks pays nothing). `info` names the API.
   * @example const document = app.openapi({ title: 'Polls', version: '1.0.0' });
   */
  openapi(info?: OpenApiInfo): OpenApiDocument {
    if (this.openApiDocument === null) {
      const { buildOpenApiDocument } = require('../openapi/build-document') as typeof import('../openapi/build-document');
      this.openApiDocument = buildOpenApiDocument({ router: this.router, settings: this.settings, middleware: this.middleware, container: this.container });
    }
    const document = this.openApiDocument;
    return info === undefined ? document : { ...document, info: { ...info } };
  }

  /**
   * Turns the access log on for an app made with it off: `reinhardt runserver` logs every request
   * whatever the settings say, as Django's runserver does. @internal
   */
  enableAccessLog(): void {
    this.accessLog ??= new AccessLog(this.logger);
  }

  /** `reverse()` on this app's routes. */
  reverse(name: string, params?: Record<string, unknown> | unknown[], query?: Record<string, unknown>): string {
    return this.router.reverse(name, params, query as Parameters<Router<CompiledRoute>['reverse']>[2]);
  }

  /**
   * Listens on `port` (0 for a free one) and logs `Listening at http://127.0.0.1:8000/ (production)`
   * (`reinhardt.server`). SIGTERM/SIGINT stop accepting connections, let in-flight requests finish
   * within `shutdownTimeout`, log the drain's start and end, then exit 0; an address that cannot
   * be used is one error line (`Error: That port is already in use.`) and exit code 1.
   * `handleSignals: false` (tests, a server embedded in another): no signal handlers, no lines,
   * and a failed listen rejects (docs/deployment.md).
   * @example await app.listen(8000, '127.0.0.1'); // Listening at http://127.0.0.1:8000/ (production)
   */
  async listen(port: number, host?: string, options: { handleSignals?: boolean } = {}): Promise<Server> {
    const server = await listenAndAnnounce(this.handle, this.settings, port, host, options.handleSignals ?? true, this.logger);
    this.servers.add(server);
    server.on('close', () => this.servers.delete(server));
    return server;
  }

  /** Closes every server this app started, gracefully. */
  async close(): Promise<void> {
    await Promise.all(Array.from(this.servers, (server) => closeGracefully(server, this.settings.shutdownTimeout)));
  }
}

/**
 * Builds an application.
 * @example
 * const app = createApp({ controllers: [PollController], middleware: [], settings: { debug: true } });
 */
export function createApp(options: AppOptions): Application {
  return new Application(options);
}

/** Largest unread body Node may read and discard to keep the connection alive. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * Whether a body nobody read (a POST to a missing route, say) is small enough for Node to read
 * and discard after the response, keeping the connection; a large, unsized or refused one (413)
 * closes the connection instead of being read.
 */
function drainable(request: HttpRequest, response: HttpResponse): boolean {
  if (response.statusCode === 413) return false;
  const length = request.req.headers['content-length'];
  return length !== undefined && request.req.headers['transfer-encoding'] === undefined && Number(length) <= DRAIN_LIMIT;
}

/**
 * The request's ID in the response's `requestIdHeader`, once the request has one: something was
 * logged about it (its records carry it), the access log is on, or the app read `request.id`.
 * A request that has none gets none, and pays nothing.
 */
function echoRequestId(request: HttpRequest, response: HttpResponse): void {
  response.setHeader(request.settings.requestIdHeader, request.id);
}

/** process.nextTick's callback for {@link Application.bodyArrived}: arguments, no closure per request. */
function afterHead(app: Application, request: HttpRequest, res: ServerResponse): void {
  app.bodyArrived(request, res);
}
