import { DisallowedRedirect } from './errors';
import { HttpResponse, type HttpResponseInit, type ResponseContent } from './http-response';
import { iriToUri } from './django-text';

/** Redirect options: `HttpResponseInit` plus `preserveRequest` (307/308 instead of 302/301). */
export interface RedirectInit extends HttpResponseInit {
  /** Keep the method and body on the redirected request: 307 for a temporary, 308 for a permanent redirect. */
  preserveRequest?: boolean;
  /** A body, as HttpResponse's first argument (Django's `content=` keyword). Default empty. */
  content?: ResponseContent;
}

/** Django's `MAX_URL_REDIRECT_LENGTH` (django/utils/http.py, 5.2.8+, CVE-2025-64458). */
export const MAX_URL_REDIRECT_LENGTH = 16384;

// Python's urlsplit drops these before parsing (`_UNSAFE_URL_BYTES_TO_REMOVE`, bpo-43882) and
// strips leading C0 controls and spaces, so "java\tscript:" still has the scheme "javascript".
const UNSAFE_URL_CHARACTERS = /[\t\r\n]/g;
const LEADING_C0_OR_SPACE = /^[\x00-\x20]+/;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

export { iriToUri };

/** The scheme Python's `urlsplit` would find in `url`, lower case, or '' for a relative URL. */
export function urlScheme(url: string): string {
  const cleaned = url.replace(LEADING_C0_OR_SPACE, '').replace(UNSAFE_URL_CHARACTERS, '');
  const match = SCHEME.exec(cleaned);
  return match === null ? '' : match[1].toLowerCase();
}

/**
 * Base of the redirects (Django's `HttpResponseRedirectBase`): sets `Location` and refuses
 * schemes outside `allowedSchemes` and URLs longer than `MAX_URL_REDIRECT_LENGTH`.
 */
export abstract class HttpResponseRedirectBase extends HttpResponse {
  /** Status with `preserveRequest: true` (Django's `status_code_preserve_request`). */
  static statusCodePreserveRequest = 307;
  /** Schemes a redirect may point to; relative URLs always pass. */
  static allowedSchemes: readonly string[] = ['http', 'https', 'ftp'];

  /**
   * @throws DisallowedRedirect for a scheme outside `allowedSchemes` or a URL over 16384 characters.
   */
  constructor(url: string, init?: RedirectInit) {
    super(init?.content, init);
    const target = String(url);
    if (target.length > MAX_URL_REDIRECT_LENGTH) {
      throw new DisallowedRedirect(`Unsafe redirect exceeding ${MAX_URL_REDIRECT_LENGTH} characters`);
    }
    const klass = new.target as unknown as typeof HttpResponseRedirectBase;
    const scheme = urlScheme(target);
    if (scheme !== '' && !klass.allowedSchemes.includes(scheme)) {
      throw new DisallowedRedirect(`Unsafe redirect to URL with protocol '${scheme}'`);
    }
    this.headers.set('Location', iriToUri(target));
    if (init?.preserveRequest === true) this.statusCode = klass.statusCodePreserveRequest;
  }

  /** Where the redirect points (the `Location` header). */
  get url(): string {
    return this.headers.get('location') ?? '';
  }

  /** Django's repr, with the target: `<HttpResponseRedirect statusCode=302, "text/html; charset=utf-8", url="/x/">`. */
  override toString(): string {
    return `${super.toString().slice(0, -1)}, url="${this.url}">`;
  }
}

/**
 * A temporary redirect, 302 (307 with `preserveRequest`).
 * @example return new HttpResponseRedirect(reverse('poll-detail', { id }));
 */
export class HttpResponseRedirect extends HttpResponseRedirectBase {
  static override statusCode = 302;
  static override statusCodePreserveRequest = 307;
}

/**
 * A permanent redirect, 301 (308 with `preserveRequest`).
 * @example new HttpResponsePermanentRedirect('/new/', { preserveRequest: true }) // 308
 */
export class HttpResponsePermanentRedirect extends HttpResponseRedirectBase {
  static override statusCode = 301;
  static override statusCodePreserveRequest = 308;
}

/**
 * 303 See Other: after a POST, fetch the result with GET (a `HttpResponseRedirect`, as in
 * django-extras, where every 3xx inherits from it).
 * @example return new HttpResponseSeeOther(`/orders/${order.id}/`);
 */
export class HttpResponseSeeOther extends HttpResponseRedirect {
  static override statusCode = 303;
}
