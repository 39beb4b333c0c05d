import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { getCorsOverride } from '../../decorators/cors';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { CompiledRoute } from '../core/route-table';
import { routeForMethod } from '../core/routes-by-settings';
import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { addVary } from '../http/cache-headers';
import { compileRoutePolicy, compileSettingsPolicy, compileUrlsRegex, type CorsPolicy } from './cors-policy';

/** The settings' policy and the paths it covers (null: every path), compiled once per app. */
interface SettingsCors {
  readonly policy: CorsPolicy;
  readonly urls: RegExp | null;
}

/** A route's own policy (`@Cors`), null for `@CorsExempt`, or the settings' (no decorator). */
type RouteCors = CorsPolicy | null | typeof FROM_SETTINGS;
const FROM_SETTINGS = Symbol('cors:from-settings');

const settingsCors = new WeakMap<Readonly<Settings>, SettingsCors>();
/** Each route's decision, made at its first request (routes belong to one app, so one settings). */
const routeCors = new WeakMap<CompiledRoute, RouteCors>();

const VARY_ORIGIN: readonly string[] = ['Origin'];
const ALLOW_ORIGIN = 'Access-Control-Allow-Origin';
const ALLOW_CREDENTIALS = 'Access-Control-Allow-Credentials';
const EXPOSE_HEADERS = 'Access-Control-Expose-Headers';
const ALLOW_HEADERS = 'Access-Control-Allow-Headers';
const ALLOW_METHODS = 'Access-Control-Allow-Methods';
const MAX_AGE = 'Access-Control-Max-Age';
const ALLOW_PRIVATE_NETWORK = 'Access-Control-Allow-Private-Network';

function corsOfSettings(settings: Readonly<Settings>): SettingsCors {
  let compiled = settingsCors.get(settings);
  if (compiled === undefined) {
    // resolveSettings checked these already, so compiling cannot throw here.
    compiled = { policy: compileSettingsPolicy(settings), urls: compileUrlsRegex(settings.corsUrlsRegex) };
    settingsCors.set(settings, compiled);
  }
  return compiled;
}

function corsOfRoute(route: CompiledRoute, settings: Readonly<Settings>): RouteCors {
  let decided = routeCors.get(route);
  if (decided === undefined) {
    const override = getCorsOverride(route.controller, route.methodName);
    decided = override === undefined ? FROM_SETTINGS : override === null ? null : compileRoutePolicy(settings, override, `@Cors() on ${route.culprit}`);
    routeCors.set(route, decided);
  }
  return decided;
}

/**
 * The policy for a request to `route` (null: no route), or null when CORS is off for it: the
 * route's `@Cors` options (whatever its path), nothing for `@CorsExempt`, else the settings'
 * when `corsUrlsRegex` matches the path (django-cors-headers' `is_enabled`).
 */
function policyFor(request: HttpRequest, route: CompiledRoute | null): CorsPolicy | null {
  const settings = request.settings;
  const own = route === null ? FROM_SETTINGS : corsOfRoute(route, settings);
  if (own !== FROM_SETTINGS) return own;
  const { policy, urls } = corsOfSettings(settings);
  if (urls === null) return policy;
  let path: string;
  try {
    path = request.path;
  } catch {
    return null; // an undecodable path: the app answers 400 without CORS headers
  }
  return urls.test(path) ? policy : null;
}

/**
 * Django-cors-headers' `CorsMiddleware` (src/corsheaders/middleware.py): lets pages on other
 * origins call this app from the browser, per the `cors*` settings.
 *
 * - A preflight (an `OPTIONS` request with `Access-Control-Request-Method`) is answered here,
 *   `200` with an empty body, before anything inside the middleware runs: no CSRF check, no
 *   session, no handler and no 405. Its CORS options are those of the route the requested
 *   method would run (its `@Cors`/`@CorsExempt`), else the settings'.
 * - Every response of a path CORS covers gets `Vary: Origin`; one to an allowed `Origin` gets
 *   `Access-Control-Allow-Origin` (`*` when every origin is allowed without credentials, else
 *   the origin itself: `*` is never sent with credentials), `Access-Control-Allow-Credentials:
 *   true` when `corsAllowCredentials`, `Access-Control-Expose-Headers`, and on `OPTIONS` the
 *   allowed methods and headers, `Access-Control-Max-Age`, and
 *   `Access-Control-Allow-Private-Network: true` when the request asks for it and
 *   `corsAllowPrivateNetwork` is on. An origin not allowed gets none of these: the browser then
 *   keeps the response from the page.
 *
 * Off by default, as in Django: not in `DEFAULT_MIDDLEWARE`; an app without it pays nothing. Put
 * it first (outermost), so preflights are answered before the other middleware (an SSL redirect
 * or a CSRF failure would fail them) and error responses carry the headers too. CSRF's
 * `csrfTrustedOrigins` is separate and unchanged by these settings (as in Django): an unsafe
 * cross-origin request with cookies still needs its origin there and a CSRF token.
 * @example
 * createApp({
 *   controllers,
 *   middleware: [CorsMiddleware, ...DEFAULT_MIDDLEWARE],
 *   settings: { corsAllowedOrigins: ['https://app.example.com'], corsUrlsRegex: '^/api/' },
 * });
 */
@injectable()
export class CorsMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    if (request.method === 'OPTIONS') {
      const requested = request.req.headers['access-control-request-method'];
      if (requested !== undefined) {
        const policy = policyFor(request, routeForMethod(request, requested));
        // Not covered (`@CorsExempt`, outside corsUrlsRegex): the app's own OPTIONS answer, bare.
        return policy === null ? next(request) : addCorsHeaders(request, preflightResponse(), policy);
      }
    }
    const policy = policyFor(request, request.route as CompiledRoute | null);
    if (policy === null) return next(request);
    const response = next(request);
    return response instanceof Promise ? addCorsHeadersLater(request, response, policy) : addCorsHeaders(request, response, policy);
  }
}

/** django-cors-headers' preflight answer: 200, empty, `Content-Length: 0`. */
function preflightResponse(): HttpResponse {
  const response = new HttpResponse();
  response.headers.setUnchecked('Content-Length', '0');
  return response;
}

function addCorsHeaders(request: HttpRequest, response: HttpResponse, policy: CorsPolicy): HttpResponse {
  addVary(response, VARY_ORIGIN);
  const origin = request.req.headers.origin;
  if (origin === undefined || origin === '' || !policy.allows(origin)) return response;
  const headers = response.headers;
  // Every value below was checked when the policy was compiled, and an allowed origin is
  // visible ASCII (CorsPolicy.allows), so none can split the header or inject another.
  headers.setUnchecked(ALLOW_ORIGIN, policy.wildcard ? '*' : origin);
  if (policy.allowCredentials) headers.setUnchecked(ALLOW_CREDENTIALS, 'true');
  if (policy.exposeHeaders !== null) headers.setUnchecked(EXPOSE_HEADERS, policy.exposeHeaders);
  if (request.method === 'OPTIONS') {
    headers.setUnchecked(ALLOW_HEADERS, policy.allowHeaders);
    headers.setUnchecked(ALLOW_METHODS, policy.allowMethods);
    if (policy.maxAge !== null) headers.setUnchecked(MAX_AGE, policy.maxAge);
    // Private Network Access (WICG): a public page asking to reach this private-network server.
    if (policy.allowPrivateNetwork && request.req.headers['access-control-request-private-network'] === 'true') {
      headers.setUnchecked(ALLOW_PRIVATE_NETWORK, 'true');
    }
  }
  return response;
}

async function addCorsHeadersLater(request: HttpRequest, pending: Promise<HttpResponse>, policy: CorsPolicy): Promise<HttpResponse> {
  return addCorsHeaders(request, await pending, policy);
}
