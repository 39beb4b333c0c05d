import { checkCspConfig, type CspConfig } from '../http/csp';
import { resolve } from 'node:path';
import { ImproperlyConfigured } from '../http/errors';
import { checkCachesSetting, type CachesSetting } from '../cache/cache-config';
import { checkRateLimitSettings } from '../ratelimit/rate-limit-settings';
import { checkMessageSettings, type MessageStorageName } from '../messages/message-settings';
import { checkTemplateSettings, type TemplateConfigurator } from '../templates/template-settings';
import { checkLoggingSettings } from '../logging/logging-settings';
import type { LogLevel } from '../logging/log-levels';
import { checkCorsSettings, DEFAULT_CORS_ALLOW_HEADERS, DEFAULT_CORS_ALLOW_METHODS, DEFAULT_CORS_URLS_REGEX } from '../middleware/cors-policy';

/**
 * Application settings, named after Django's (camelCase). Every field has Django's default;
 * `createApp({ settings })` takes a partial object and `resolveSettings` fills and checks it once.
 */
export interface Settings {
  /** Technical 404/500 pages with patterns and stack traces. Never in production. Default false. */
  debug: boolean;
  /** Key for signing (cookies, sessions, CSRF). Required when `debug` is false. */
  secretKey: string;
  /**
   * Older secret keys, still accepted when verifying signed cookies, cookie sessions and
   * `loads()` values, never used to sign (Django 4.1's SECRET_KEY_FALLBACKS). Default [].
   */
  secretKeyFallbacks: string[];
  /** Host names this site serves (`*`, `.example.com`, `example.com`). Default []. */
  allowedHosts: string[];
  /** A GET to `/x` that only matches `/x/` redirects (301) to it. Default true. */
  appendSlash: boolean;
  /** Folder of Nunjucks templates (`404.html`, `500.html`, `render()`). Default null. */
  templatesDir: string | null;
  /** More template folders, searched after `templatesDir` in order (Django's TEMPLATES DIRS). Default []. */
  templateDirs: string[];
  /** Adds filters, globals and extensions to the Nunjucks environment when it is built. Default null. */
  configureTemplates: TemplateConfigurator | null;
  /** Charset of responses and of decoded request data. Default 'utf-8'. */
  defaultCharset: string;

  // -- Static files (docs/static-files.md) --
  /**
   * URL prefix of static files, ending in '/': a path ('/static/') or an absolute URL (a CDN).
   * Default '/static/' (Django's default is None, and its project template sets 'static/').
   */
  staticUrl: string;
  /** Folders of static files, searched in order (STATICFILES_DIRS). Default []. */
  staticDirs: string[];
  /** Folder `reinhardt collectstatic` writes into and StaticFilesMiddleware serves (STATIC_ROOT). Default null. */
  staticRoot: string | null;

  // -- Body and upload limits (SPEC §6) --
  /** Largest body outside file parts, in bytes; over it: 413. null disables. Default 2.5 MB. */
  dataUploadMaxMemorySize: number | null;
  /** Most GET+POST fields; over it: 400. null disables. Default 1000. */
  dataUploadMaxNumberFields: number | null;
  /** Most uploaded files; over it: 400. null disables. Default 100. */
  dataUploadMaxNumberFiles: number | null;
  /** Files larger than this spill to a temporary file. Default 2.5 MB. */
  fileUploadMaxMemorySize: number;
  /** Folder for spilled uploads. Default null: the OS temporary folder. */
  fileUploadTempDir: string | null;
  /** Largest whole request body, in bytes; over it: 413. null disables. Default 100 MB. */
  maxUploadSize: number | null;

  // -- Sessions --
  sessionCookieName: string;
  /** Seconds. Default two weeks. */
  sessionCookieAge: number;
  sessionCookieDomain: string | null;
  sessionCookiePath: string;
  sessionCookieSecure: boolean;
  sessionCookieHttpOnly: boolean;
  sessionCookieSameSite: 'Lax' | 'Strict' | 'None' | null;
  sessionSaveEveryRequest: boolean;
  sessionExpireAtBrowserClose: boolean;
  /** Milliseconds a session store call may take before the request answers 503. Default 2000. */
  sessionStoreTimeout: number;

  // -- Messages (docs/messages.md) --
  /** Where MessageMiddleware keeps messages: 'FallbackStorage' (default), 'CookieStorage' or 'SessionStorage'. */
  messageStorage: MessageStorageName;
  /** Messages below this level are dropped. Default 20 (INFO). */
  messageLevel: number;
  /** Level -> CSS tag, merged over Django's defaults (e.g. `{ 40: 'danger' }`). Default {}. */
  messageTags: Record<number, string>;

  // -- CSRF --
  csrfCookieName: string;
  /** Seconds. Default one year (Django's 31449600); null: a browser-session cookie (no Max-Age). */
  csrfCookieAge: number | null;
  csrfCookieDomain: string | null;
  csrfCookiePath: string;
  csrfCookieSecure: boolean;
  csrfCookieHttpOnly: boolean;
  csrfCookieSameSite: 'Lax' | 'Strict' | 'None' | null;
  /** META name of the header carrying the token. Default 'HTTP_X_CSRFTOKEN'. */
  csrfHeaderName: string;
  /** Origins (`https://example.com`, `https://*.example.com`) trusted for unsafe requests. */
  csrfTrustedOrigins: string[];
  // csrfFailureView (CSRF_FAILURE_VIEW) is declared beside its view in templates/csrf-failure-view.ts:
  // its type names HttpRequest, which imports this file.

  // -- Auth --
  /** Where `@LoginRequired()` sends anonymous HTML requests. Default '/accounts/login/'. */
  loginUrl: string;
  /** Query parameter carrying the original path. Default 'next'. */
  redirectFieldName: string;

  // -- Proxies and hosts --
  useXForwardedHost: boolean;
  useXForwardedPort: boolean;
  /** Django's pair, e.g. ['HTTP_X_FORWARDED_PROTO', 'https']. Default null. */
  secureProxySslHeader: [string, string] | null;

  // -- Security middleware --
  secureContentTypeNosniff: boolean;
  /** Default 'same-origin'. null sends no header. */
  secureReferrerPolicy: string | null;
  /** Default 'DENY'. null sends no header. */
  xFrameOptions: string | null;
  /** Cross-Origin-Opener-Policy. Default 'same-origin' (Django's SECURE_CROSS_ORIGIN_OPENER_POLICY). null sends no header. */
  secureCrossOriginOpenerPolicy: string | null;
  secureHstsSeconds: number;
  secureHstsIncludeSubdomains: boolean;
  secureHstsPreload: boolean;
  secureSslRedirect: boolean;
  secureSslHost: string | null;
  /** Regular expressions (source text) of paths exempt from the SSL redirect. */
  secureRedirectExempt: string[];
  /**
   * The enforced Content-Security-Policy, directive → sources (Django 6.0's SECURE_CSP), sent by
   * ContentSecurityPolicyMiddleware. Default {}: no header.
   */
  secureCsp: CspConfig;
  /** The report-only policy (SECURE_CSP_REPORT_ONLY), same shape. Default {}: no header. */
  secureCspReportOnly: CspConfig;

  // -- CORS (django-cors-headers' settings; sent by CorsMiddleware, which is off by default) --
  /** Origins (`https://app.example.com`, scheme and host, no path) allowed to read responses. Default []. */
  corsAllowedOrigins: string[];
  /** Regular expressions (source text) an Origin must match whole to be allowed. Default []. */
  corsAllowedOriginRegexes: string[];
  /** Allow every origin (`*`; the origin itself when credentials are allowed). Default false. */
  corsAllowAllOrigins: boolean;
  /** Paths CORS applies to, matched from the start of the path. Default '^.*$' (every path). */
  corsUrlsRegex: string;
  /** `Access-Control-Allow-Methods` of a preflight answer. Default django-cors-headers' six methods. */
  corsAllowMethods: string[];
  /** `Access-Control-Allow-Headers` of a preflight answer. Default django-cors-headers' six headers. */
  corsAllowHeaders: string[];
  /** `Access-Control-Expose-Headers`: response headers the page may read. Default []. */
  corsExposeHeaders: string[];
  /** Seconds a browser caches a preflight answer (`Access-Control-Max-Age`); 0 sends none. Default 86400. */
  corsPreflightMaxAge: number;
  /** Let cross-origin requests carry cookies (`Access-Control-Allow-Credentials: true`). Default false. */
  corsAllowCredentials: boolean;
  /** Answer `Access-Control-Request-Private-Network: true` with `Access-Control-Allow-Private-Network: true`. Default false. */
  corsAllowPrivateNetwork: boolean;

  // -- Cache and rate limiting --
  /**
   * Cache configurations by alias (Django's CACHES), each built on first use; `cachesFor(settings)`
   * gives them. Default: 'default' in this process's memory.
   */
  caches: CachesSetting;
  /** The cache alias rate limits count in (django-ratelimit's RATELIMIT_USE_CACHE). Default 'default'. */
  rateLimitCache: string;
  /**
   * META key holding the client IP set by YOUR reverse proxy (e.g. 'HTTP_X_REAL_IP'; for
   * 'HTTP_X_FORWARDED_FOR' the last address, the one your proxy appended, is used). Default null:
   * the socket's address; a client-sent X-Forwarded-For is never trusted.
   */
  rateLimitIpMetaKey: string | null;
  /** When the rate limit's cache fails: false (default) limits the request (429); true lets it through. */
  rateLimitFailOpen: boolean;

  // -- Request context --
  /**
   * Track each request with AsyncLocalStorage, for `currentRequest()`. Default false: on Node 20
   * tracking costs every async handler about 4 µs (async hooks), and an app that never calls
   * `currentRequest()` should not pay it; while it is false every `currentRequest()` call throws,
   * naming this setting (AdonisJS's `useAsyncLocalStorage` is opt-in for the same reason).
   */
  requestContext: boolean;

  // -- Validation --
  /** Status for failed DTO validation: 400 (default) or 422. */
  validationErrorStatus: number;
  /** The test Client checks every response against the app's OpenAPI document (docs/openapi.md). */
  openApiValidateResponses: boolean;

  // -- Server --
  /** Milliseconds to receive a whole request before answering 408. Default 30000. */
  requestTimeout: number;
  /** Milliseconds to receive the request headers before answering 408. Default 10000. */
  headersTimeout: number;
  /** Milliseconds in-flight requests get to finish on SIGTERM/SIGINT. Default 10000. */
  shutdownTimeout: number;

  // -- Logging (docs/logging.md) --
  /** Records below this level are not written by the default logger: 'debug', 'info' (default), 'warn' or 'error'. */
  logLevel: LogLevel;
  /** One `reinhardt.server` record per request (Django's runserver line). Default false; `reinhardt runserver` turns it on. */
  accessLog: boolean;
  /** The header a request ID is read from (only with trustRequestIdHeader) and echoed in. Default 'X-Request-ID'. */
  requestIdHeader: string;
  /** Take the request ID from requestIdHeader when YOUR proxy sets it (validated, else generated). Default false. */
  trustRequestIdHeader: boolean;
}

const MB = 1024 * 1024;

/** Django's defaults. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  debug: false,
  secretKey: '',
  secretKeyFallbacks: [],
  allowedHosts: [],
  appendSlash: true,
  templatesDir: null,
  templateDirs: [],
  configureTemplates: null,
  defaultCharset: 'utf-8',
  staticUrl: '/static/',
  staticDirs: [],
  staticRoot: null,
  dataUploadMaxMemorySize: 2.5 * MB,
  dataUploadMaxNumberFields: 1000,
  dataUploadMaxNumberFiles: 100,
  fileUploadMaxMemorySize: 2.5 * MB,
  fileUploadTempDir: null,
  maxUploadSize: 100 * MB,
  sessionCookieName: 'sessionid',
  sessionCookieAge: 60 * 60 * 24 * 7 * 2,
  sessionCookieDomain: null,
  sessionCookiePath: '/',
  sessionCookieSecure: false,
  sessionCookieHttpOnly: true,
  sessionCookieSameSite: 'Lax',
  sessionSaveEveryRequest: false,
  sessionExpireAtBrowserClose: false,
  sessionStoreTimeout: 2000,
  messageStorage: 'FallbackStorage',
  messageLevel: 20,
  messageTags: {},
  csrfCookieName: 'csrftoken',
  csrfCookieAge: 60 * 60 * 24 * 7 * 52,
  csrfCookieDomain: null,
  csrfCookiePath: '/',
  csrfCookieSecure: false,
  csrfCookieHttpOnly: false,
  csrfCookieSameSite: 'Lax',
  csrfHeaderName: 'HTTP_X_CSRFTOKEN',
  csrfTrustedOrigins: [],
  csrfFailureView: null,
  loginUrl: '/accounts/login/',
  redirectFieldName: 'next',
  useXForwardedHost: false,
  useXForwardedPort: false,
  secureProxySslHeader: null,
  secureContentTypeNosniff: true,
  secureReferrerPolicy: 'same-origin',
  xFrameOptions: 'DENY',
  secureCrossOriginOpenerPolicy: 'same-origin',
  secureHstsSeconds: 0,
  secureHstsIncludeSubdomains: false,
  secureHstsPreload: false,
  secureSslRedirect: false,
  secureSslHost: null,
  secureRedirectExempt: [],
  secureCsp: Object.freeze({}),
  secureCspReportOnly: Object.freeze({}),
  corsAllowedOrigins: [],
  corsAllowedOriginRegexes: [],
  corsAllowAllOrigins: false,
  corsUrlsRegex: DEFAULT_CORS_URLS_REGEX,
  corsAllowMethods: [...DEFAULT_CORS_ALLOW_METHODS],
  corsAllowHeaders: [...DEFAULT_CORS_ALLOW_HEADERS],
  corsExposeHeaders: [],
  corsPreflightMaxAge: 86400,
  corsAllowCredentials: false,
  corsAllowPrivateNetwork: false,
  caches: Object.freeze({ default: Object.freeze({ backend: 'memory' as const }) }),
  rateLimitCache: 'default',
  rateLimitIpMetaKey: null,
  rateLimitFailOpen: false,
  requestContext: false,
  validationErrorStatus: 400,
  openApiValidateResponses: false,
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  shutdownTimeout: 10_000,
  logLevel: 'info',
  accessLog: false,
  requestIdHeader: 'X-Request-ID',
  trustRequestIdHeader: false,
} satisfies Settings);

const NULLABLE_LIMITS = ['dataUploadMaxMemorySize', 'dataUploadMaxNumberFields', 'dataUploadMaxNumberFiles', 'maxUploadSize'] as const;

/**
 * Fill in Django's defaults and check the result, failing at start-up with a message that names
 * the setting.
 * @example resolveSettings({ debug: true }).appendSlash // true
 */
export function resolveSettings(partial: Partial<Settings> = {}): Readonly<Settings> {
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_SETTINGS)) {
      throw new ImproperlyConfigured(`Unknown setting '${key}'.`);
    }
  }
  const settings: Settings = { ...DEFAULT_SETTINGS, ...stripUndefined(partial) };
  if (!settings.debug && !settings.secretKey) {
    throw new ImproperlyConfigured('The secretKey setting must not be empty when debug is false.');
  }
  const fallbacks = settings.secretKeyFallbacks;
  if (!Array.isArray(fallbacks) || !fallbacks.every((key) => typeof key === 'string' && key !== '')) {
    throw new ImproperlyConfigured('The secretKeyFallbacks setting must be an array of non-empty strings.');
  }
  if (!Array.isArray(settings.allowedHosts)) {
    throw new ImproperlyConfigured('The allowedHosts setting must be an array of host names.');
  }
  for (const key of NULLABLE_LIMITS) {
    const value = settings[key];
    if (value !== null && !(Number.isInteger(value) && value >= 0)) {
      throw new ImproperlyConfigured(`The ${key} setting must be a non-negative integer or null.`);
    }
  }
  if (!(Number.isInteger(settings.fileUploadMaxMemorySize) && settings.fileUploadMaxMemorySize >= 0)) {
    throw new ImproperlyConfigured('The fileUploadMaxMemorySize setting must be a non-negative integer.');
  }
  if (settings.validationErrorStatus !== 400 && settings.validationErrorStatus !== 422) {
    throw new ImproperlyConfigured('The validationErrorStatus setting must be 400 or 422.');
  }
  const pair = settings.secureProxySslHeader;
  if (pair !== null && !(Array.isArray(pair) && pair.length === 2 && pair.every((p) => typeof p === 'string'))) {
    throw new ImproperlyConfigured(
      "The secureProxySslHeader setting must be a pair such as ['HTTP_X_FORWARDED_PROTO', 'https'].",
    );
  }
  checkStaticSettings(settings);
  checkCspConfig(settings.secureCsp, 'The secureCsp setting');
  checkCspConfig(settings.secureCspReportOnly, 'The secureCspReportOnly setting');
  checkCorsSettings(settings);
  checkCachesSetting(settings.caches);
  checkRateLimitSettings(settings);
  checkMessageSettings(settings);
  checkTemplateSettings(settings);
  checkLoggingSettings(settings);
  for (const key of ['sessionCookieSameSite', 'csrfCookieSameSite'] as const) {
    const value = settings[key];
    if (value !== null && !['Lax', 'Strict', 'None'].includes(value)) {
      throw new ImproperlyConfigured(`The ${key} setting must be 'Lax', 'Strict', 'None' or null.`);
    }
  }
  return Object.freeze(settings);
}

/** Django's staticfiles checks (check_settings, staticfiles.E001/E002), failing at start-up. */
function checkStaticSettings(settings: Settings): void {
  const url = settings.staticUrl;
  if (typeof url !== 'string' || !url.endsWith('/') || !/^(\/|https?:\/\/)/.test(url)) {
    throw new ImproperlyConfigured("The staticUrl setting must be a path or an http(s) URL ending in a slash, such as '/static/'.");
  }
  const dirs = settings.staticDirs;
  if (!Array.isArray(dirs) || !dirs.every((dir) => typeof dir === 'string' && dir !== '')) {
    throw new ImproperlyConfigured('The staticDirs setting must be an array of folder paths.');
  }
  const root = settings.staticRoot;
  if (root !== null && (typeof root !== 'string' || root === '')) {
    throw new ImproperlyConfigured('The staticRoot setting must be a folder path or null.');
  }
  // collectstatic would copy the folder into itself (staticfiles.E002).
  if (root !== null && dirs.some((dir) => resolve(dir) === resolve(root))) {
    throw new ImproperlyConfigured('The staticDirs setting should not contain the staticRoot setting.');
  }
}

function stripUndefined<T extends object>(partial: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
