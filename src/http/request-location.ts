/**
 * The second layer of HttpRequest (http-request.ts): where the request went, and the URLs built
 * from it (django/http/request.py: `get_host`, `get_port`, `scheme`, `is_secure`,
 * `get_full_path`, `get_full_path_info`, `build_absolute_uri`). The host check itself is in
 * request-host.ts, the URI rules in host.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Settings } from '../core/settings';
import { buildAbsoluteUri, escapeUriPath, iriToUri } from './host';
import { type SocketInfo, metaKeyToHeader } from './request-headers';
import { RequestEnviron } from './request-environ';
import { validatedHost } from './request-host';

/**
 * Set to `true` on a request made by the test `Client`: the host `testserver` is then allowed
 * besides `allowedHosts`, as Django's test runner adds it.
 */
export const FROM_TEST_CLIENT = Symbol('reinhardt:test-client');

/**
 * A request's host, scheme and URLs (see the module's comment); `HttpRequest` is the class to use.
 * @example request.buildAbsoluteUri('/login/') // 'https://example.com/login/'
 */
export abstract class RequestLocation extends RequestEnviron {
  private _host: string | null;
  private _schemeHost: string | null;

  constructor(req: IncomingMessage, settings: Readonly<Settings>) {
    super(req, settings);
    this._host = null;
    this._schemeHost = null;
  }

  /**
   * The path with the query string, re-encoded as a URI (`forceAppendSlash` adds a missing '/').
   * @example request.getFullPath() // '/music/bands/the_beatles/?print=true'
   */
  getFullPath(forceAppendSlash = false): string {
    return this.fullPath(this.path, forceAppendSlash);
  }

  /**
   * `pathInfo` with the query string (Django's `get_full_path_info`); the same as `getFullPath()`
   * here, where no SCRIPT_NAME prefixes the path.
   * @example request.getFullPathInfo() // '/music/bands/the_beatles/?print=true'
   */
  getFullPathInfo(forceAppendSlash = false): string {
    return this.fullPath(this.pathInfo, forceAppendSlash);
  }

  /**
   * The host the client asked for, with its port ('example.com:8000'), checked against
   * `allowedHosts`; throws DisallowedHost (400) when it is malformed or not allowed.
   */
  getHost(): string {
    return this._host ?? (this._host = validatedHost(this.rawHost(), this.settings, this.fromTestClient()));
  }

  /** The port, as a string: X-Forwarded-Port with `useXForwardedPort`, else SERVER_PORT. */
  getPort(): string {
    if (this.settings.useXForwardedPort) {
      const forwarded = this.metaValue('HTTP_X_FORWARDED_PORT', 'x-forwarded-port');
      if (forwarded !== undefined) return forwarded;
    }
    return this.META.SERVER_PORT;
  }

  /** 'https' when the proxy header of `secureProxySslHeader` says so or the socket is TLS, else 'http'. */
  get scheme(): 'http' | 'https' {
    const pair = this.settings.secureProxySslHeader;
    if (pair !== null) {
      const value = this.metaValue(pair[0], metaKeyToHeader(pair[0]));
      if (value !== undefined) {
        // A proxy chain appends to the header: the leftmost value is the one the client's proxy set.
        const comma = value.indexOf(',');
        return (comma === -1 ? value : value.slice(0, comma)).trim() === pair[1] ? 'https' : 'http';
      }
    }
    return (this.req.socket as SocketInfo)?.encrypted ? 'https' : 'http';
  }

  isSecure(): boolean {
    return this.scheme === 'https';
  }

  /** Sent by XMLHttpRequest-based libraries: `X-Requested-With: XMLHttpRequest`. */
  isAjax(): boolean {
    return this.metaValue('HTTP_X_REQUESTED_WITH', 'x-requested-with') === 'XMLHttpRequest';
  }

  /**
   * `location` as an absolute URI on this request's scheme and host (Django's rules: an absolute
   * URL is kept, `//host/x` keeps its host, `///x` stays on this host, a relative one is joined to
   * the current path). Without `location`: this request's full URI.
   * @example request.buildAbsoluteUri('/login/') // 'https://example.com/login/'
   */
  buildAbsoluteUri(location?: string): string {
    const target = location === undefined ? '//' + this.getFullPath() : String(location);
    return buildAbsoluteUri(target, this.scheme, () => this.currentSchemeHost(), this.path);
  }

  private rawHost(): string {
    if (this.settings.useXForwardedHost) {
      const forwarded = this.metaValue('HTTP_X_FORWARDED_HOST', 'x-forwarded-host');
      if (forwarded !== undefined) return forwarded;
    }
    const host = this.metaValue('HTTP_HOST', 'host');
    if (host !== undefined) return host;
    // PEP 333's reconstruction.
    const port = this.getPort();
    const name = this.META.SERVER_NAME;
    return port === (this.isSecure() ? '443' : '80') ? name : `${name}:${port}`;
  }

  private currentSchemeHost(): string {
    return this._schemeHost ?? (this._schemeHost = `${this.scheme}://${this.getHost()}`);
  }

  private fromTestClient(): boolean {
    return (this.req as unknown as Record<symbol, unknown>)[FROM_TEST_CLIENT] === true;
  }

  private fullPath(path: string, forceAppendSlash: boolean): string {
    const slash = forceAppendSlash && !path.endsWith('/') ? '/' : '';
    return escapeUriPath(path) + slash + (this.rawQuery ? '?' + iriToUri(this.rawQuery) : '');
  }
}
