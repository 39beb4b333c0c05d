import 'reflect-metadata';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { Http404 } from '../http/errors';
import { escapeLeadingSlashes } from '../http/escape-leading-slashes';
import { HttpResponseNoContent, HttpResponsePermanentRedirect } from '../http/response-subclasses';
import { enableRequestContext, requestContextEnabled, requestFinished, requestStarted, runWithRequest } from '../di/current-request';
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
import { defaultHandler400, defaultHandler403, defaultHandler404, defaultHandler429, defaultHandler500, methodNotAllowed, type ErrorView } from './error-views';
import { registerApiPrefixes } from '../http/api-prefixes';
import { getControllerMetadata } from '../../decorators/controller';
import { errorViewFailed, registerErrorViews, responseForException, type ErrorViews } from './exception-to-response';
import { composeRouteMiddleware, invokeRoute, isSimpleRoute, runReadyRoute, runRoute } from './invoke';
import { errorDetailForLog, escapeLogText } from './log-text';
import type { InlineNext, Middleware } from './middleware';
import { writeResponse } from './response-writer';
import { buildRouter, type CompiledRoute } from './route-table';
import { registerRouter } from './routes-by-settings';
import { closeGracefully, startServer } from './server';
import { resolveSettings, type Settings } from './settings';
import { runStartupChecks } from '../checks/system-checks';
import { registerOpenApiProvider } from '../openapi/document-sources';
import type { OpenApiDocument, OpenApiInfo } from '../openapi/openapi-types';
import { requestChannel } from '../tracing/channels';
import { traceRequest } from '../tracing/request-trace';

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
  /** Where errors go (default: console.error / console.warn). */
  logger?: Pick<Console, 'error' | 'warn'>;
}

/** Django's default middleware, in Django's order. */
export const DEFAULT_MIDDLEWARE: readonly Middleware[] = [SecurityMiddleware, SessionMiddleware, CsrfMiddleware, AuthenticationMiddleware];

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
  /** A plain `(req, res)` listener: `http.createServer(app.handle)`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  private readonly chain: InlineNext;
  private readonly views: ErrorViews;
  private readonly servers = new Set<Server>();
  private readonly middleware: readonly Middleware[];
  private openApiDocument: OpenApiDocument | null = null;
  /** Bound once so that dispatching allocates no closure per request. */
  private readonly dispatchBound: (request: HttpRequest) => Promise<HttpResponse>;
  /** The onion after routing, bound once: what `reinhardt:request` traces when someone listens. */
  private readonly runChainBound: InlineNext;

  constructor(options: AppOptions) {
    this.settings = resolveSettings(options.settings);
    this.container = options.container ?? rootContainer;
    // One store per app, whatever lifecycle it was registered with: the session middleware,
    // forceLogin() and the test Client's logout() must see the same sessions, which a transient
    // `{ useClass }` registration would give each its own of.
    this.container.registerInstance(
      SessionStore,
      this.container.isRegistered(SessionStore, true) ? this.container.resolve(SessionStore) : new MemorySessionStore(),
    );
    if (this.settings.requestContext) enableRequestContext();
    configureResponses({ secretKey: this.settings.secretKey, secretKeyFallbacks: this.settings.secretKeyFallbacks, defaultCharset: this.settings.defaultCharset });
    // Django's system checks, once, before the routes are built: errors stop the app, warnings are logged.
    runStartupChecks(this, { settings: this.settings, controllers: options.controllers, middleware: options.middleware ?? DEFAULT_MIDDLEWARE, container: this.container }, options.logger ?? console);
    this.router = buildRouter(options.controllers, this.container);
    registerRouter(this.settings, this.router);
    // `api: true` controllers: a 404/405 under their prefix answers JSON like their routes' errors.
    const apiControllers = options.controllers.map((controller) => getControllerMetadata(controller)).filter((meta) => meta?.api === true);
    registerApiPrefixes(this.settings, apiControllers.map((meta) => meta!.prefix));
    setActiveRouter(this.router);
    const logger = options.logger ?? console;
    const router = this.router;
    this.views = {
      handler400: options.handler400 ?? defaultHandler400,
      handler403: options.handler403 ?? defaultHandler403,
      handler404: options.handler404 ?? defaultHandler404,
      handler500: options.handler500 ?? defaultHandler500,
      handler429: options.handler429 ?? defaultHandler429,
      context: { patterns: () => router.routes().map((r) => `${r.pattern} [${r.methods.join(', ')}]${r.name ? ` [name='${r.name}']` : ''}`) },
      // Errors with their stack; warnings (security events) are one line, their message already in it.
      log: (level, message, error) => (level === 'error' ? logger.error(escapeLogText(message), errorDetailForLog(error)) : logger.warn(escapeLogText(message))),
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
    this.handle = (req, res) => {
      const request = new HttpRequest(req, this.settings);
      if (requestContextEnabled()) {
        void this.respond(request, res);
        return;
      }
      requestStarted(request);
      // The bare fast path has no single place to trace from (its body may arrive a tick later),
      // so a traced request takes the layered one, which gives the same answers.
      const response = bare && !requestChannel.hasSubscribers ? this.dispatchBare(request) : this.dispatchLayered(request);
      if (response === null) process.nextTick(afterHead, this, request, res);
      else this.sendOrWait(request, res, response);
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
    return runWithRequest(request, this.dispatchBound);
  }

  private async dispatchInContext(request: HttpRequest): Promise<HttpResponse> {
    requestStarted(request);
    try {
      return await this.dispatchLayered(request);
    } catch (error) {
      // Only possible without middleware: the core's own exceptions are the caller's to convert.
      return await responseForException(request, error, this.views);
    } finally {
      requestFinished(request);
    }
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
      requestFinished(request);
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
    } finally {
      requestFinished(request);
    }
    this.send(request, res, response);
  }

  /** No route for this method: 405 or OPTIONS when the path exists, else append-slash or 404. */
  private noRoute(request: HttpRequest, known?: RouteMatch<CompiledRoute> | null): HttpResponse | Promise<HttpResponse> {
    const path = request.path;
    const match = known === undefined ? this.router.match(request.method, path) : known;
    if (match !== null) {
      if (request.method === 'OPTIONS') {
        return new HttpResponseNoContent(undefined, { headers: { Allow: match.allowed.join(', ') } });
      }
      return methodNotAllowed(request, match.allowed);
    }
    if (
      this.settings.appendSlash &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !path.endsWith('/') &&
      this.router.matchWithSlash(request.method, path) !== null
    ) {
      // Django's CommonMiddleware.get_full_path_with_slash: `GET //evil.com` must not answer
      // `Location: //evil.com/`, a scheme-relative URL to another host (CVE-2018-14574).
      return new HttpResponsePermanentRedirect(escapeLeadingSlashes(request.getFullPath(true)));
    }
    const error = this.settings.debug ? notFound(`The current path, ${path}, didn't match any of these.`) : NOT_FOUND;
    // As responseForException: a 404 view that fails gives the built-in 500 page, not the 500 view.
    let response: HttpResponse | Promise<HttpResponse>;
    try {
      response = this.views.handler404(request, error, this.views.context);
    } catch (viewError) {
      return errorViewFailed(request, this.views, viewError);
    }
    return response instanceof Promise ? this.settleNotFound(request, response) : response;
  }

  private async settleNotFound(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
    try {
      return await pending;
    } catch (viewError) {
      return errorViewFailed(request, this.views, viewError);
    }
  }

  private async respond(request: HttpRequest, res: ServerResponse): Promise<void> {
    this.send(request, res, await this.dispatch(request));
  }

  /**
   * Writes the response: a buffered body at once, a streamed one in the background; then removes
   * the request's uploaded files (after the last byte, or when the client went away).
   */
  private send(request: HttpRequest, res: ServerResponse, response: HttpResponse): void {
    if (request.bodyIncomplete && !drainable(request, response)) response.headers.set('Connection', 'close');
    let streaming: Promise<void> | undefined;
    try {
      streaming = writeResponse(res, response, request.method === 'HEAD');
    } catch (error) {
      this.views.log('error', 'Writing the response failed', error);
      res.destroy();
    }
    if (streaming !== undefined || request.hasUploadedFiles) void this.afterResponse(request, streaming);
  }

  private async afterResponse(request: HttpRequest, streaming: Promise<void> | undefined): Promise<void> {
    if (streaming !== undefined) await streaming;
    if (request.hasUploadedFiles) {
      await request.cleanup().catch((error: unknown) => this.views.log('error', 'Removing uploaded files failed', error));
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

  /** `reverse()` on this app's routes. */
  reverse(name: string, params?: Record<string, unknown> | unknown[], query?: Record<string, unknown>): string {
    return this.router.reverse(name, params, query as Parameters<Router<CompiledRoute>['reverse']>[2]);
  }

  /**
   * Listens on `port` (0 for a free one). SIGTERM/SIGINT stop accepting connections, let in-flight
   * requests finish within `shutdownTimeout`, then exit.
   */
  async listen(port: number, host?: string, options: { handleSignals?: boolean } = {}): Promise<Server> {
    const server = await startServer(this.handle, this.settings, port, host, options.handleSignals ?? true);
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

/**
 * The Http404 for a path no route matches. Nothing threw it, so its stack says nothing: leaving
 * it out spares the 404 path the cost of capturing one (scanners send many). Without debug its
 * message is empty, so one frozen instance serves every such request.
 */
function notFound(message: string): Http404 {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Http404(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const NOT_FOUND = Object.freeze(notFound(''));

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

/** process.nextTick's callback for {@link Application.bodyArrived}: arguments, no closure per request. */
function afterHead(app: Application, request: HttpRequest, res: ServerResponse): void {
  app.bodyArrived(request, res);
}
