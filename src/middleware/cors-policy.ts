/**
 * CORS options checked and compiled once (django-cors-headers' conf.py and checks.py; Hono's
 * middleware/cors builds its header values once the same way): the allowed origins become one
 * Set of serialized origins, the regexes are compiled, and every header value the middleware
 * sends is a ready string. A request then costs a Set lookup, never a parse of every allowed
 * origin (django-cors-headers runs `urlparse` over each entry on each request). This module
 * knows no request; src/middleware/cors.ts sends the headers.
 */
import { ImproperlyConfigured } from '../http/errors';

/**
 * What a route's `@Cors({...})` may change; each key left out keeps the setting's value
 * (`allowedOrigins` is `corsAllowedOrigins`, and so on).
 * @example
 * const partners: CorsOptions = { allowedOrigins: ['https://partner.example'], allowCredentials: true };
 * \@Get('/api/orders/') \@Cors(partners) orders() { ... }
 */
export interface CorsOptions {
  /** Serialized origins (`https://app.example.com`, `http://localhost:5173`), `'null'` or `'file://'`. */
  readonly allowedOrigins?: readonly string[];
  /** Regular expressions (source text) an origin must match whole. */
  readonly allowedOriginRegexes?: readonly string[];
  readonly allowAllOrigins?: boolean;
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  /** Seconds a browser may cache the preflight answer; 0 sends no `Access-Control-Max-Age`. */
  readonly preflightMaxAge?: number;
  readonly allowCredentials?: boolean;
  readonly allowPrivateNetwork?: boolean;
}

/** The CORS settings, by their setting names (the `Settings` fields of the same names). */
export interface CorsSettings {
  readonly corsAllowedOrigins: readonly string[];
  readonly corsAllowedOriginRegexes: readonly string[];
  readonly corsAllowAllOrigins: boolean;
  readonly corsUrlsRegex: string;
  readonly corsAllowMethods: readonly string[];
  readonly corsAllowHeaders: readonly string[];
  readonly corsExposeHeaders: readonly string[];
  readonly corsPreflightMaxAge: number;
  readonly corsAllowCredentials: boolean;
  readonly corsAllowPrivateNetwork: boolean;
}

/** django-cors-headers' defaults.py: the methods and headers a preflight answer allows. */
export const DEFAULT_CORS_ALLOW_METHODS: readonly string[] = Object.freeze(['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
export const DEFAULT_CORS_ALLOW_HEADERS: readonly string[] = Object.freeze([
  'accept',
  'authorization',
  'content-type',
  'user-agent',
  'x-csrftoken',
  'x-requested-with',
]);
/** Matches every path: CORS applies to the whole site (django-cors-headers' `CORS_URLS_REGEX`). */
export const DEFAULT_CORS_URLS_REGEX = '^.*$';

/**
 * Origins that are not `scheme://host`, allowed verbatim as django-cors-headers does: `null`
 * (sandboxed iframes, `file:` pages, redirects: allow it knowingly) and `file://` (files on
 * Chrome for Android).
 */
const SPECIAL_ORIGINS = new Set(['null', 'file://']);
/** RFC 9110 §5.6.2 token: a header or method name, safe to join with `, ` into a header value. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** `scheme://authority` then the rest (which must be empty), as urlsplit divides it. */
const ORIGIN_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
/** Visible ASCII only: no space, no control character (CR, LF, NUL), nothing past 0x7E. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
/** What a configured origin may hold before it is canonical: anything but spaces and controls (an IDN host is fine). */
const NO_SPACE_OR_CONTROL = /^[^\x00-\x20\x7f-\x9f]+$/;

/**
 * The canonical form of an allowed origin as a browser serializes it (RFC 6454 §6.2): scheme
 * and host lower-cased, IDN host in punycode, default port dropped. Throws naming the entry for
 * what django-cors-headers' checks.py refuses (E013 no scheme or host, E014 a path, query or
 * fragment; a trailing `/` is a path) and for user info, spaces or control characters, which no
 * Origin header can carry.
 */
function canonicalOrigin(origin: unknown, label: string): string {
  if (typeof origin !== 'string') throw new ImproperlyConfigured(`${label} must be a list of strings; found ${String(origin)}.`);
  if (SPECIAL_ORIGINS.has(origin)) return origin;
  if (origin === '*') {
    throw new ImproperlyConfigured(`Origin '*' in ${label} is not an origin. To allow every origin, set corsAllowAllOrigins: true.`);
  }
  if (!NO_SPACE_OR_CONTROL.test(origin)) throw new ImproperlyConfigured(`Origin ${JSON.stringify(origin)} in ${label} contains spaces or control characters.`);
  const parts = ORIGIN_PARTS.exec(origin);
  if (parts === null || parts[2] === '') {
    throw new ImproperlyConfigured(`Origin '${origin}' in ${label} is missing scheme or netloc. Add a scheme (e.g. https://) or netloc (e.g. example.com).`);
  }
  const rest = parts[3];
  if (rest !== '') {
    const part = rest[0] === '/' ? 'path' : rest[0] === '?' ? 'query' : 'fragment';
    throw new ImproperlyConfigured(`Origin '${origin}' in ${label} should not have ${part} ('${rest}'): an origin is scheme://host[:port] only.`);
  }
  if (parts[2].includes('@')) throw new ImproperlyConfigured(`Origin '${origin}' in ${label} should not have user info.`);
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ImproperlyConfigured(`Origin '${origin}' in ${label} is not a valid URL.`);
  }
  // Non-special schemes (chrome-extension://id) have an opaque URL origin: keep them as written,
  // scheme lower-cased, as the browser sends them.
  const canonical = url.origin !== 'null' ? url.origin : `${parts[1].toLowerCase()}://${parts[2]}`;
  // What allows() finds in the set is reflected as it is: it must be a value an Origin header can be.
  if (!VISIBLE_ASCII.test(canonical)) throw new ImproperlyConfigured(`Origin '${origin}' in ${label} is not an origin a browser sends (write a non-ASCII host of a custom scheme in punycode).`);
  return canonical;
}

function stringList(value: unknown, label: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ImproperlyConfigured(`${label} must be a list of strings.`);
  }
  return value as string[];
}

function tokenList(value: unknown, label: string): string {
  const list = stringList(value, label);
  for (const item of list) {
    if (!TOKEN.test(item)) throw new ImproperlyConfigured(`${label} must hold header or method names; ${JSON.stringify(item)} is not one.`);
  }
  return list.join(', ');
}

function bool(value: unknown, label: string): boolean {
  if (typeof value !== 'boolean') throw new ImproperlyConfigured(`${label} should be a bool.`);
  return value;
}

function compileRegex(source: unknown, label: string, wrap: (source: string) => string): RegExp {
  if (typeof source !== 'string') throw new ImproperlyConfigured(`${label} must be regular expressions written as strings; found ${String(source)}.`);
  try {
    return new RegExp(wrap(source));
  } catch (error) {
    throw new ImproperlyConfigured(`${label}: ${JSON.stringify(source)} is not a valid regular expression (${(error as Error).message}).`);
  }
}

/**
 * Full match: the whole origin must match, as if the pattern were written `^(?:…)$`. Python's
 * `re.match` that django-cors-headers uses anchors only the start, so there
 * `https://\w+\.example\.com` also allows `https://x.example.com.evil.com`; here it does not.
 */
const wholeOrigin = (source: string): string => `^(?:${source})$`;
/** `re.match` semantics on the path: anchored at the start only, so `^/api/` covers `/api/...`. */
const pathPrefix = (source: string): string => `^(?:${source})`;

/**
 * One CORS configuration, ready to answer: the origin test and every header value, built once.
 * @internal
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly regexes: readonly RegExp[];
  readonly allowAllOrigins: boolean;
  readonly allowCredentials: boolean;
  readonly allowPrivateNetwork: boolean;
  /** `Access-Control-Allow-Methods`, joined. */
  readonly allowMethods: string;
  /** `Access-Control-Allow-Headers`, joined. */
  readonly allowHeaders: string;
  /** `Access-Control-Expose-Headers`, joined; null when there are none (no header). */
  readonly exposeHeaders: string | null;
  /** `Access-Control-Max-Age`; null for 0 (no header). */
  readonly maxAge: string | null;
  /**
   * `*` for the allowed origin: every origin allowed without credentials. With credentials the
   * Fetch standard refuses `*`, so the request's own origin is reflected instead (as
   * django-cors-headers does).
   */
  readonly wildcard: boolean;

  constructor(options: Required<CorsOptions>, label: (key: keyof CorsOptions) => string) {
    this.origins = new Set(stringList(options.allowedOrigins, label('allowedOrigins')).map((o) => canonicalOrigin(o, label('allowedOrigins'))));
    const regexLabel = label('allowedOriginRegexes');
    this.regexes = stringList(options.allowedOriginRegexes, regexLabel).map((source) => compileRegex(source, regexLabel, wholeOrigin));
    this.allowAllOrigins = bool(options.allowAllOrigins, label('allowAllOrigins'));
    this.allowCredentials = bool(options.allowCredentials, label('allowCredentials'));
    this.allowPrivateNetwork = bool(options.allowPrivateNetwork, label('allowPrivateNetwork'));
    this.allowMethods = tokenList(options.allowMethods, label('allowMethods'));
    this.allowHeaders = tokenList(options.allowHeaders, label('allowHeaders'));
    const expose = tokenList(options.exposeHeaders, label('exposeHeaders'));
    this.exposeHeaders = expose === '' ? null : expose;
    const maxAge = options.preflightMaxAge;
    if (!Number.isInteger(maxAge) || maxAge < 0) {
      throw new ImproperlyConfigured(`${label('preflightMaxAge')} should be an integer greater than or equal to zero.`);
    }
    this.maxAge = maxAge === 0 ? null : String(maxAge);
    this.wildcard = this.allowAllOrigins && !this.allowCredentials;
  }

  /**
   * Whether `origin` (the request's `Origin` header) may read the response. Only a value a
   * browser could send is ever allowed, so a reflected origin can never carry CR/LF, spaces or a
   * second origin (`a, b` from a repeated header) into `Access-Control-Allow-Origin`.
   */
  allows(origin: string): boolean {
    if (this.origins.has(origin)) return true;
    if (!VISIBLE_ASCII.test(origin)) return false;
    if (this.allowAllOrigins) return true;
    const regexes = this.regexes;
    for (let i = 0; i < regexes.length; i++) if (regexes[i].test(origin)) return true;
    return false;
  }
}

function settingLabel(key: keyof CorsOptions): string {
  return `The cors${key[0].toUpperCase()}${key.slice(1)} setting`;
}

/** The settings' options, by the decorator's names. */
function optionsOfSettings(settings: CorsSettings): Required<CorsOptions> {
  return {
    allowedOrigins: settings.corsAllowedOrigins,
    allowedOriginRegexes: settings.corsAllowedOriginRegexes,
    allowAllOrigins: settings.corsAllowAllOrigins,
    allowMethods: settings.corsAllowMethods,
    allowHeaders: settings.corsAllowHeaders,
    exposeHeaders: settings.corsExposeHeaders,
    preflightMaxAge: settings.corsPreflightMaxAge,
    allowCredentials: settings.corsAllowCredentials,
    allowPrivateNetwork: settings.corsAllowPrivateNetwork,
  };
}

/**
 * The paths CORS applies to: null for every path (the default `^.*$`, which then costs no test).
 * @internal
 */
export function compileUrlsRegex(source: unknown): RegExp | null {
  if (source === DEFAULT_CORS_URLS_REGEX) return null;
  return compileRegex(source, 'The corsUrlsRegex setting', pathPrefix);
}

/**
 * Checks the CORS settings (django-cors-headers' checks.py), failing at start-up with a message
 * naming the setting and the entry. `resolveSettings` calls it, so a bad origin stops the app
 * whether or not CorsMiddleware is in use (as the checks run whenever the app is installed).
 * @example checkCorsSettings({ ...DEFAULT_SETTINGS, corsAllowedOrigins: ['https://example.com/'] }) // throws: should not have path
 */
export function checkCorsSettings(settings: CorsSettings): void {
  compileSettingsPolicy(settings);
  compileUrlsRegex(settings.corsUrlsRegex);
}

/**
 * The settings' policy, compiled.
 * @internal
 */
export function compileSettingsPolicy(settings: CorsSettings): CorsPolicy {
  return new CorsPolicy(optionsOfSettings(settings), settingLabel);
}

/**
 * A route's policy: `options` over the settings' values. Throws naming `where` (the decorator).
 * @internal
 */
export function compileRoutePolicy(settings: CorsSettings, options: CorsOptions, where: string): CorsPolicy {
  return new CorsPolicy({ ...optionsOfSettings(settings), ...stripUndefined(options) }, (key) => `${where}'s ${key}`);
}

/**
 * Checks a decorator's options on their own, when the module loads (the settings are not known
 * yet), so a bad origin in `@Cors()` fails at start naming it.
 * @internal
 */
export function checkCorsOptions(options: CorsOptions, where: string): void {
  const known = new Set<string>(Object.keys(optionsOfSettings(EMPTY_SETTINGS)));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new ImproperlyConfigured(`${where}: unknown option '${key}'.`);
  }
  compileRoutePolicy(EMPTY_SETTINGS, options, where);
}

const EMPTY_SETTINGS: CorsSettings = Object.freeze({
  corsAllowedOrigins: [],
  corsAllowedOriginRegexes: [],
  corsAllowAllOrigins: false,
  corsUrlsRegex: DEFAULT_CORS_URLS_REGEX,
  corsAllowMethods: DEFAULT_CORS_ALLOW_METHODS,
  corsAllowHeaders: DEFAULT_CORS_ALLOW_HEADERS,
  corsExposeHeaders: [],
  corsPreflightMaxAge: 86400,
  corsAllowCredentials: false,
  corsAllowPrivateNetwork: false,
});

function stripUndefined(options: CorsOptions): CorsOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as CorsOptions;
}
