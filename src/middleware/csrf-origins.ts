import type { Settings } from '../core/settings';
import { DisallowedHost } from '../http/errors';
import { isSameDomain } from '../http/host';
import { urlSplit, urlUnsplit } from '../http/url-split';
import type { HttpRequest } from '../http/http-request';

// Django's reasons for the Origin and Referer checks (django/middleware/csrf.py).
export const REASON_BAD_ORIGIN = 'Origin checking failed - %s does not match any trusted origins.';
export const REASON_NO_REFERER = 'Referer checking failed - no Referer.';
export const REASON_BAD_REFERER = 'Referer checking failed - %s does not match any trusted origins.';
export const REASON_MALFORMED_REFERER = 'Referer checking failed - Referer is malformed.';
export const REASON_INSECURE_REFERER = 'Referer checking failed - Referer is insecure while host is secure.';

/** A CSRF check failed; `reason` is what the 403 says (Django's RejectRequest). */
export class RejectRequest extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** `csrfTrustedOrigins` split once per settings object (Django's cached_property trio). */
interface TrustedOrigins {
  /** Origins without a wildcard, compared whole. */
  readonly exact: ReadonlySet<string>;
  /** scheme -> `.example.com` patterns from `https://*.example.com` entries. */
  readonly subdomains: ReadonlyMap<string, readonly string[]>;
  /** The hosts of every entry (wildcard kept as a leading dot), for the Referer check. */
  readonly hosts: readonly string[];
}
const trustedCache = new WeakMap<object, TrustedOrigins>();

export function trustedOriginsFor(settings: Readonly<Settings>): TrustedOrigins {
  let trusted = trustedCache.get(settings);
  if (trusted === undefined) {
    const exact = new Set<string>();
    const subdomains = new Map<string, string[]>();
    const hosts: string[] = [];
    for (const origin of settings.csrfTrustedOrigins) {
      // Django's csrf_trusted_origins_hosts / allowed_origin_subdomains: urlsplit(origin).netloc.lstrip('*').
      const parsed = urlSplit(origin);
      const host = parsed === null ? '' : parsed.netloc.replace(/^\*+/, '');
      hosts.push(host);
      if (!origin.includes('*')) {
        exact.add(origin);
      } else if (parsed !== null) {
        const list = subdomains.get(parsed.scheme) ?? [];
        list.push(host);
        subdomains.set(parsed.scheme, list);
      }
    }
    trusted = { exact, subdomains, hosts };
    trustedCache.set(settings, trusted);
  }
  return trusted;
}

/** Django's `_check_referer`, for HTTPS requests without an Origin header; throws RejectRequest. */
export function refererCheck(request: HttpRequest, referer: string | null): void {
  if (referer === null) throw new RejectRequest(REASON_NO_REFERER);
  const parsed = urlSplit(referer);
  if (parsed === null || parsed.scheme === '' || parsed.netloc === '') throw new RejectRequest(REASON_MALFORMED_REFERER);
  // A secure request referred from an insecure page could be a man in the middle's.
  if (parsed.scheme !== 'https') throw new RejectRequest(REASON_INSECURE_REFERER);
  const settings = request.settings;
  if (trustedOriginsFor(settings).hosts.some((host) => isSameDomain(parsed.netloc, host))) return;
  const shown = urlUnsplit(parsed); // referer.geturl()
  let good = settings.csrfCookieDomain;
  if (good === null) {
    try {
      good = request.getHost();
    } catch (error) {
      if (error instanceof DisallowedHost) throw new RejectRequest(REASON_BAD_REFERER.replace('%s', shown));
      throw error;
    }
  } else {
    // A cookie domain covers every port; the Referer must still name the port served.
    const port = String(request.getPort());
    if (port !== '443' && port !== '80') good = `${good}:${port}`;
  }
  if (!isSameDomain(parsed.netloc, good)) throw new RejectRequest(REASON_BAD_REFERER.replace('%s', shown));
}
