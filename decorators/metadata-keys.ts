/** Every reflect-metadata key Reinhardt uses, in one place (Fastify's lib/symbols.js). */
export const CONTROLLER = Symbol('reinhardt:controller');
export const ROUTES = Symbol('reinhardt:routes');
export const PARAMS = Symbol('reinhardt:params');
export const CSRF_EXEMPT = Symbol('reinhardt:csrf-exempt');
export const LOGIN_REQUIRED = Symbol('reinhardt:login-required');
export const PERMISSION_REQUIRED = Symbol('reinhardt:permission-required');
/** Route guards: functions run before the handler that may answer instead of it (@LoginRequired, ...). */
export const GUARDS = Symbol('reinhardt:guards');
/** Conditional view processing: the ETag / Last-Modified functions of @Condition, @ETag, @LastModified. */
export const CONDITIONS = Symbol('reinhardt:conditions');
/** Per-route Content-Security-Policy: the policies of @CspOverride / @CspReportOnlyOverride / @CspExempt. */
export const CSP_OVERRIDE = Symbol('reinhardt:csp-override');
export const CSP_REPORT_ONLY_OVERRIDE = Symbol('reinhardt:csp-report-only-override');
/** @GzipPage: the ResponseCompressor a handler compresses its responses with. */
export const GZIP_PAGE = Symbol('reinhardt:gzip-page');
/** Per-route CORS: the options of @Cors, or null for @CorsExempt. */
export const CORS_OVERRIDE = Symbol('reinhardt:cors-override');
/** Response header patches of @CacheControl / @NeverCache / @VaryOnHeaders / @VaryOnCookie, innermost first. */
export const RESPONSE_PATCHES = Symbol('reinhardt:response-patches');
/** The page cache of @CachePage (a PageCache built when the decorator runs). */
export const CACHE_PAGE = Symbol('reinhardt:cache-page');
/** The rate limits of @RateLimit, outermost first (for checks and `reinhardt routes`). */
export const RATE_LIMITS = Symbol('reinhardt:rate-limits');
/** OpenAPI: the responses of @Returns, the texts of @ApiOperation, and @ApiExclude (src/openapi/). */
export const API_RESPONSES = Symbol('reinhardt:api-responses');
export const API_OPERATION = Symbol('reinhardt:api-operation');
export const API_EXCLUDE = Symbol('reinhardt:api-exclude');
/** Per-route middleware of @UseMiddleware, on a handler or a controller class, outermost first. */
export const ROUTE_MIDDLEWARE = Symbol('reinhardt:route-middleware');
/** The request authenticators of @Authentication, on a handler or a controller class (the handler's replace the class's). */
export const AUTHENTICATION = Symbol('reinhardt:authentication');
