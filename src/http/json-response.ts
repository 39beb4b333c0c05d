import { HttpResponse, type HttpResponseInit } from './http-response';

/**
 * A JSON encoder: a `JSON.stringify` replacer, called for every key and value (after `toJSON`)
 * with `this` the holder. Delegate to `defaultJsonEncoder` for what it already handles.
 * @example
 * const encoder: JsonEncoder = (key, value) =>
 *   value instanceof Money ? value.toFixed(2) : defaultJsonEncoder(key, value);
 */
export type JsonEncoder = (this: unknown, key: string, value: unknown) => unknown;

/** Django's `json_dumps_params`, in TypeScript's spelling. */
export interface JsonDumpsParams {
  /** Pretty-print with this many spaces (or this string) per level (Python's `indent`). */
  indent?: number | string;
  /** Object keys in sorted order (Python's `sort_keys`; integer-like keys sort first, as JS orders them). */
  sortKeys?: boolean;
  /** Escape every non-ASCII character as `\uXXXX` (Python's `ensure_ascii`, off by default here). */
  ensureAscii?: boolean;
}

/** JsonResponse options: HttpResponse's plus Django's `safe`, `encoder`, `json_dumps_params`. */
export interface JsonResponseInit extends HttpResponseInit {
  /** Only plain objects (Django: only dicts) unless false. Default true. */
  safe?: boolean;
  encoder?: JsonEncoder;
  jsonDumpsParams?: JsonDumpsParams;
}

/**
 * The default encoder (Django's `DjangoJSONEncoder`, for JavaScript's types): `bigint` as a
 * string, `Map` as an object, `Set` as an array. `Date` (ISO 8601) and decimal libraries reach
 * it already converted by their own `toJSON`.
 */
export function defaultJsonEncoder(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Map) return Object.fromEntries(value);
    if (value instanceof Set) return Array.from(value);
  }
  return value;
}

// Past this depth the cheap check gives up and the replacer path runs (it also reports cycles).
const MAX_CHECK_DEPTH = 32;

/**
 * Whether bare `JSON.stringify` (no replacer: V8's fast path) writes `value` exactly as the
 * default encoder would: no bigint, Map, Set or custom `toJSON` anywhere inside.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (typeof value === 'bigint') return false;
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_CHECK_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    if (value instanceof Date) return true;
    if (value instanceof Map || value instanceof Set) return false;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/** Django's "dict": an object that encodes as a JSON object (plain objects, class instances, Map). */
function isDictLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  return !(
    Array.isArray(value) || value instanceof Set || value instanceof Date || ArrayBuffer.isView(value) ||
    value instanceof String || value instanceof Number || value instanceof Boolean
  );
}

function sortedKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

function escapeNonAscii(char: string): string {
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Encodes `data` as JSON text the way JsonResponse does (exported for the test client and for
 * code that wants the same text without a response).
 */
export function encodeJson(data: unknown, encoder?: JsonEncoder, params?: JsonDumpsParams): string {
  let text: string | undefined;
  if (encoder === undefined && params === undefined && isPlainJson(data, 0)) {
    text = JSON.stringify(data);
  } else {
    const encode = encoder ?? defaultJsonEncoder;
    const replacer: JsonEncoder = params?.sortKeys
      ? function (this: unknown, key, value) { return sortedKeys(encode.call(this, key, value)); }
      : encode;
    text = JSON.stringify(data, replacer as (key: string, value: unknown) => unknown, params?.indent);
    if (text !== undefined && params?.ensureAscii) text = text.replace(/[\u0080-\uffff]/g, escapeNonAscii);
  }
  // JSON.stringify(undefined) is undefined; json.dumps(None) is "null".
  return text ?? 'null';
}

const JSON_INIT: HttpResponseInit = Object.freeze({ contentType: 'application/json' });

/**
 * A response whose body is `data` as JSON (`Content-Type: application/json`). What a handler
 * returning a plain object, array or class instance answers.
 * @example
 * return new JsonResponse({ polls }, { status: 201 });
 * return new JsonResponse([1, 2, 3], { safe: false });
 */
export class JsonResponse<T = unknown> extends HttpResponse {
  /** The value given, typed. */
  readonly data: T;

  /**
   * @throws TypeError with `safe` (the default) when `data` is not an object that encodes as a
   *   JSON object; TypeError from JSON.stringify for a cycle.
   */
  constructor(data: T, init?: JsonResponseInit) {
    if (init?.safe !== false && !isDictLike(data)) {
      throw new TypeError('In order to allow non-dict objects to be serialized set the safe option to false ({ safe: false }).');
    }
    const text = encodeJson(data, init?.encoder, init?.jsonDumpsParams);
    let responseInit: HttpResponseInit | undefined = init;
    if (init === undefined) responseInit = JSON_INIT;
    else if (init.contentType == null && init.mimetype == null) responseInit = { ...init, contentType: 'application/json' };
    super(text, responseInit);
    this.data = data;
  }
}
