import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { respondToException } from '../core/exception-to-response';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { ResponseHeaders, isPlainHeaderValue } from '../http/response-headers';
import { HttpResponsePermanentRedirect } from '../http/response-redirects';

const exemptCache = new WeakMap<object, readonly RegExp[]>();

/** `secureRedirectExempt` compiled once per settings object (Django compiles them in `__init__`). */
function redirectExempt(settings: Readonly<Settings>): readonly RegExp[] {
  let patterns = exemptCache.get(settings);
  if (patterns === undefined) {
    patterns = settings.secureRedirectExempt.map((source) => new RegExp(source));
    exemptCache.set(settings, patterns);
  }
  return patterns;
}

/** Django's HSTS header: `max-age=N`, then `; includeSubDomains` and `; preload` by setting. */
function hstsHeader(settings: Readonly<Settings>): string {
  let value = `max-age=${settings.secureHstsSeconds}`;
  if (settings.secureHstsIncludeSubdomains) value += '; includeSubDomains';
  if (settings.secureHstsPreload) value += '; preload';
  return value;
}

/**
 * Security headers and the HTTPS redirect (Django's `SecurityMiddleware` plus
 * `XFrameOptionsMiddleware`, SPEC §10). Each header is set only when the response has none:
 * - `X-Content-Type-Options: nosniff` (`secureContentTypeNosniff`);
 * - `X-Frame-Options: DENY` (`xFrameOptions`, upper-cased; null for none);
 * - `Referrer-Policy: same-origin` (`secureReferrerPolicy`, a comma list allowed);
 * - `Cross-Origin-Opener-Policy: same-origin` (`secureCrossOriginOpenerPolicy`);
 * - `Strict-Transport-Security` on secure requests when `secureHstsSeconds` > 0 — never on
 *   plain HTTP, where a man in the middle could strip or forge it (RFC 6797 §7.2).
 * With `secureSslRedirect`, a plain-HTTP request whose path (without its leading `/`) matches
 * no `secureRedirectExempt` pattern gets a 301 to `https://<secureSslHost or host><full path>`.
 *
 * It also validates the Host on every request (`request.getHost()`), so a Host outside
 * `allowedHosts` is answered 400 (by `handler400`, with the headers above) up front, before
 * anything else runs — Django's
 * CommonMiddleware does this in Django's default stack.
 * @example createApp({ controllers, settings: { secureHstsSeconds: 31536000, secureSslRedirect: true } });
 */
@injectable()
export class SecurityMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    let redirect: HttpResponse | null;
    try {
      redirect = checkHostThenRedirect(request);
    } catch (error) {
      // DisallowedHost, or an undecodable path read for the redirect: the 400 from the app's
      // handler400, with this middleware's headers like any other response (issue 19 item 6; in
      // Django, CommonMiddleware raises DisallowedHost inside SecurityMiddleware).
      return secureLater(request, respondToException(request, error));
    }
    if (redirect !== null) return redirect;
    const response = next(request);
    return response instanceof Promise ? secureLater(request, response) : secure(request, response);
  }
}

/** Validates the Host (DisallowedHost), then the 301 to HTTPS when `secureSslRedirect` asks for one. */
function checkHostThenRedirect(request: HttpRequest): HttpResponse | null {
  const settings = request.settings;
  const host = request.getHost();
  if (settings.secureSslRedirect && !request.isSecure()) {
    const path = request.path.replace(/^\/+/, '');
    if (!redirectExempt(settings).some((pattern) => pattern.test(path))) {
      return new HttpResponsePermanentRedirect(`https://${settings.secureSslHost ?? host}${request.getFullPath()}`);
    }
  }
  return null;
}

/** The response headers: HSTS on secure requests, then the fixed ones it does not have. */
function secure(request: HttpRequest, response: HttpResponse): HttpResponse {
  const settings = request.settings;
  const headers = response.headers;
  if (settings.secureHstsSeconds > 0 && request.isSecure() && !headers.has('Strict-Transport-Security')) {
    headers.set('Strict-Transport-Security', hstsHeader(settings));
  }
  const fixed = fixedHeaders(settings);
  for (let i = 0; i < fixed.length; i++) {
    const header = fixed[i];
    if (header.plain) headers.addChecked(header.key, header.name, header.value);
    else if (!headers.has(header.key)) headers.setValue(header.name, header.value, header.key);
  }
  return response;
}

async function secureLater(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
  return secure(request, await pending);
}

/**
 * `key`: the lower-case name. `plain`: the value is HTAB and visible ASCII only, so it is added
 * as it is; one with Latin-1's upper half goes through `setValue`, so that the response knows to
 * send its head as Latin-1.
 */
interface FixedHeader {
  readonly name: string;
  readonly key: string;
  readonly value: string;
  readonly plain: boolean;
}
const fixedHeadersCache = new WeakMap<Readonly<Settings>, readonly FixedHeader[]>();

/**
 * The headers that depend only on the settings, computed and checked once per settings object,
 * so each response pays a lookup, not a validation.
 */
function fixedHeaders(settings: Readonly<Settings>): readonly FixedHeader[] {
  let list = fixedHeadersCache.get(settings);
  if (list === undefined) {
    const candidates: [string, string | null | false][] = [
      ['X-Content-Type-Options', settings.secureContentTypeNosniff && 'nosniff'],
      ['X-Frame-Options', settings.xFrameOptions && settings.xFrameOptions.toUpperCase()],
      ['Referrer-Policy', settings.secureReferrerPolicy && settings.secureReferrerPolicy.split(',').map((v) => v.trim()).join(',')],
      ['Cross-Origin-Opener-Policy', settings.secureCrossOriginOpenerPolicy],
    ];
    const probe = new ResponseHeaders();
    list = candidates
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
      .map(([name, value]) => {
        probe.set(name, value); // BadHeaderError at the first request for a setting with CR/LF
        return { name, key: name.toLowerCase(), value, plain: isPlainHeaderValue(value) };
      });
    fixedHeadersCache.set(settings, list);
  }
  return list;
}
