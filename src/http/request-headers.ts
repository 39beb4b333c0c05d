/**
 * Request header names as Django sees them: the WSGI environ names of `request.META`
 * (PEP 3333: `HTTP_<NAME>`, plus `CONTENT_TYPE` and `CONTENT_LENGTH`) and the case-insensitive
 * `request.headers` mapping (django/http/request.py, `HttpHeaders`).
 */
import type { IncomingMessage } from 'node:http';
import { KeyError } from './errors';
import { splitHostHeader } from './host';

/** The socket properties a request reads (a test client's fake socket has only these). */
export type SocketInfo = { remoteAddress?: string; remotePort?: number; localPort?: number; encrypted?: boolean } | undefined;

/** PEP 3333 gives two headers that are not prefixed with `HTTP_`. */
const UNPREFIXED_HEADERS = new Set(['CONTENT_TYPE', 'CONTENT_LENGTH']);
const HTTP_PREFIX = 'HTTP_';

/**
 * The META name of a header: upper case, `-` -> `_`, `HTTP_` prefix except for Content-Type and
 * Content-Length. Returns null for a name containing `_`: once `-` and `_` are both `_`, such a
 * header could pass itself off as another (`X_Forwarded_Host` as `X-Forwarded-Host`), so, as
 * Django's runserver, gunicorn and nginx do, it is dropped.
 *
 * @example toMetaName('X-Forwarded-For') // 'HTTP_X_FORWARDED_FOR'
 */
export function toMetaName(header: string): string | null {
  let key = META_NAMES.get(header);
  if (key === undefined) {
    key = computeMetaName(header);
    // Bounded: a client sending ever new header names must not grow it without end.
    if (META_NAMES.size < META_NAMES_MAX) META_NAMES.set(header, key);
  }
  return key;
}

/** Header name (as sent) -> META name. Converting costs more than the rest of META together. */
const META_NAMES = new Map<string, string | null>();
const META_NAMES_MAX = 1024;

function computeMetaName(header: string): string | null {
  if (header.indexOf('_') !== -1) return null;
  const name = header.toUpperCase().replace(/-/g, '_');
  return UNPREFIXED_HEADERS.has(name) ? name : HTTP_PREFIX + name;
}

/**
 * Add the headers of Node's `rawHeaders` (name, value, name, value, ...) to `meta` under their
 * META names. A repeated header is joined with `,` as a WSGI server does (Node's `req.headers`
 * keeps only the first `Host`, so two Host headers become `a,b`, which no host validation
 * accepts); repeated `Cookie` headers are joined with `; ` (RFC 6265 §5.4) so they parse.
 */
export function addHeadersToMeta(meta: Record<string, string>, rawHeaders: readonly string[]): void {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = toMetaName(rawHeaders[i]);
    if (key === null) continue;
    const value = rawHeaders[i + 1];
    const previous = meta[key];
    if (previous === undefined) meta[key] = value;
    else meta[key] = previous + (key === 'HTTP_COOKIE' ? '; ' : ',') + value;
  }
}

/** The request-line parts META repeats. */
export interface MetaRequestLine {
  method: string;
  rawQuery: string;
  /** The decoded path (the raw one when it cannot be decoded: META never throws). */
  pathInfo: string;
}

/**
 * Django's WSGI environ for a Node request: the headers as `HTTP_<NAME>` (plus CONTENT_TYPE and
 * CONTENT_LENGTH, '' when not sent, as wsgiref has them) and the server variables. SERVER_NAME
 * and SERVER_PORT come from the Host header as a WSGI server takes them, else from the socket
 * (a request without Host is HTTP/1.0; its SERVER_NAME is 'localhost').
 */
export function buildMeta(req: IncomingMessage, line: MetaRequestLine): Record<string, string> {
  const socket = req.socket as SocketInfo;
  const meta: Record<string, string> = {
    QUERY_STRING: line.rawQuery,
    REMOTE_ADDR: socket?.remoteAddress ?? '',
    REQUEST_METHOD: line.method,
    SCRIPT_NAME: '',
    PATH_INFO: line.pathInfo,
  };
  if (socket?.remotePort !== undefined) meta.REMOTE_PORT = String(socket.remotePort);
  addHeadersToMeta(meta, req.rawHeaders ?? []);
  meta.CONTENT_TYPE ??= '';
  meta.CONTENT_LENGTH ??= '';
  const host = meta.HTTP_HOST;
  const defaultPort = socket?.encrypted ? '443' : '80';
  if (host) {
    const [name, port] = splitHostHeader(host);
    meta.SERVER_NAME = name;
    meta.SERVER_PORT = port || defaultPort;
  } else {
    meta.SERVER_NAME = 'localhost';
    meta.SERVER_PORT = socket?.localPort !== undefined ? String(socket.localPort) : defaultPort;
  }
  return meta;
}

/**
 * What META would hold for one header, read straight from `rawHeaders` (same joining rules), so
 * a request that needs only its Cookie or Host header does not build the whole of META.
 * `lowerName` is the header name in lower case (it has no `_`, so a `_` name never matches).
 */
export function rawHeaderValue(rawHeaders: readonly string[], lowerName: string): string | undefined {
  const length = lowerName.length;
  let value: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length !== length || (name !== lowerName && name.toLowerCase() !== lowerName)) continue;
    value = value === undefined ? rawHeaders[i + 1] : value + (lowerName === 'cookie' ? '; ' : ',') + rawHeaders[i + 1];
  }
  return value;
}

/**
 * The lower-case header name of a META key (`HTTP_X_FORWARDED_PROTO` -> `x-forwarded-proto`), or
 * null for a key that is not a header.
 */
export function metaKeyToHeader(key: string): string | null {
  if (key.startsWith(HTTP_PREFIX)) return key.slice(HTTP_PREFIX.length).toLowerCase().replace(/_/g, '-');
  return UNPREFIXED_HEADERS.has(key) ? key.toLowerCase().replace(/_/g, '-') : null;
}

/**
 * `request.headers`: the request's headers by case-insensitive name (Django's HttpHeaders),
 * built from META. Names are given back title-cased (`Content-Type`, `X-Requested-With`), and
 * `_` may stand for `-` in a lookup, as in Django templates (`headers.get('user_agent')`).
 *
 * @example
 * request.headers.get('content-type') // 'application/json'
 * request.headers.has('X-Requested-With') // true
 * for (const [name, value] of request.headers) console.log(name, value);
 */
export class HttpHeaders implements Iterable<[string, string]> {
  /** lower-cased name -> [title-cased name, value] */
  private readonly store = new Map<string, [string, string]>();

  constructor(meta: Readonly<Record<string, string>>) {
    for (const key of Object.keys(meta)) {
      const name = HttpHeaders.parseHeaderName(key);
      if (name === null) continue;
      // META always carries CONTENT_TYPE and CONTENT_LENGTH ('' when not sent, as wsgiref does);
      // an empty one is not a header the client sent.
      if (meta[key] === '' && UNPREFIXED_HEADERS.has(key)) continue;
      this.store.set(name.toLowerCase(), [name, meta[key]]);
    }
  }

  /**
   * The header name of a META key, or null when the key is not a header.
   * @example HttpHeaders.parseHeaderName('HTTP_X_REQUESTED_WITH') // 'X-Requested-With'
   */
  static parseHeaderName(metaKey: string): string | null {
    let name: string;
    if (metaKey.startsWith(HTTP_PREFIX)) name = metaKey.slice(HTTP_PREFIX.length);
    else if (UNPREFIXED_HEADERS.has(metaKey)) name = metaKey;
    else return null;
    // Python's str.title(): a letter after a non-letter is upper-cased (`Www-Authenticate`, `X-1Abc`).
    return name.replace(/_/g, '-').toLowerCase().replace(/(^|[^a-z])([a-z])/g, titleCase);
  }

  /** The value of header `name` (any case; `_` for `-`), or `defaultValue`. */
  get(name: string): string | undefined;
  get<D>(name: string, defaultValue: D): string | D;
  get<D>(name: string, defaultValue?: D): string | D | undefined {
    const entry = this.store.get(lookupKey(name));
    return entry === undefined ? defaultValue : entry[1];
  }

  /** The value of header `name`; throws `KeyError` when it was not sent (Python's `headers[name]`). */
  getItem(name: string): string {
    const entry = this.store.get(lookupKey(name));
    if (entry === undefined) throw new KeyError(name);
    return entry[1];
  }

  has(name: string): boolean {
    return this.store.has(lookupKey(name));
  }

  get size(): number {
    return this.store.size;
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.store.values()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.store.values()) yield value;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of this.store.values()) yield [name, value];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A plain object of title-cased name -> value (for logging and JSON). */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of this.store.values()) out[name] = value;
    return out;
  }
}

function lookupKey(name: string): string {
  return name.replace(/_/g, '-').toLowerCase();
}

function titleCase(_match: string, separator: string, letter: string): string {
  return separator + letter.toUpperCase();
}
