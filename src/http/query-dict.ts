/**
 * QueryDict: the MultiValueDict of strings behind `request.GET` and `request.POST`, parsed from a
 * query string exactly as Django's `QueryDict.__init__` does with `urllib.parse.parse_qsl`
 * (django/http/request.py), and immutable unless created mutable or copied.
 *
 * Parsing rules (Python's parse_qsl with keep_blank_values=True, errors='replace'):
 * - pairs are separated by `&` only (`;` stopped being one in Python 3.9.2 and Django
 *   2.2.19/3.0.13/3.1.7, CVE-2021-23336: proxies split on `;` differently, web cache poisoning);
 * - empty pairs are skipped, `a` alone gives `a=''`, the first `=` splits key from value;
 * - `+` is a space, then `%XX` escapes are decoded as bytes in the dict's encoding; an escape that
 *   is not two hex digits stays as it is; bytes invalid in the encoding become U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { ImmutableQueryDictError, TooManyFieldsSent } from './errors';
import { MultiValueDict } from './multi-value-dict';

/** Options of `new QueryDict()`. */
export interface QueryDictOptions {
  /** Allow mutating methods (default false: request data is read-only). */
  mutable?: boolean;
  /** Charset the percent-escapes are decoded in, and `urlencode()` encodes in (default utf-8). */
  encoding?: string;
  /** Throw TooManyFieldsSent when the query has more fields than this (default: no limit). */
  maxNumFields?: number | null;
}

const PLUS = /\+/g;

/** Django's message, with the setting under its Reinhardt name. */
const TOO_MANY_FIELDS = 'The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.';

/**
 * The query-string dictionary of `request.GET` / `request.POST`.
 *
 * @example
 * const q = new QueryDict('a=1&a=2&c=3');
 * q.getItem('a');     // '2'
 * q.getList('a');     // ['1', '2']
 * q.setItem('a', 'x') // throws ImmutableQueryDictError
 * const m = q.copy(); // mutable
 * m.update({ a: '3' });
 * m.urlencode();      // 'a=1&a=2&a=3&c=3'
 */
export class QueryDict extends MultiValueDict<string> {
  private _encoding: string;
  private _mutable: boolean;

  constructor(query?: string | Buffer | null, options?: QueryDictOptions) {
    super();
    this._encoding = options?.encoding || 'utf-8';
    this._mutable = options?.mutable === true;
    if (query) {
      const qs = typeof query === 'string' ? query : decodeQueryBytes(query, this._encoding);
      const max = options?.maxNumFields;
      if (max != null && QueryDict.countFields(qs) > max) throw new TooManyFieldsSent(TOO_MANY_FIELDS);
      this.parse(qs);
    }
  }

  /**
   * The number of fields in a query string: its non-empty `&`-separated pairs, counted without
   * decoding, so the request can hold GET and POST together to `dataUploadMaxNumberFields`.
   * (Python's parse_qsl counts `1 + qs.count('&')`, empty pairs included; an empty pair makes no
   * field, so it is not counted here, in the constructor's check either.)
   *
   * @example QueryDict.countFields('a=1&&b=2&'); // 2
   */
  static countFields(query: string | Buffer): number {
    let count = 0;
    let start = 0;
    const n = query.length;
    while (start < n) {
      let amp = typeof query === 'string' ? query.indexOf('&', start) : query.indexOf(0x26, start);
      if (amp === -1) amp = n;
      if (amp > start) count++;
      start = amp + 1;
    }
    return count;
  }

  /**
   * A QueryDict whose keys come from `keys`, each with `value` (a repeated key gets the value
   * repeated, as Django's `QueryDict.fromkeys`).
   *
   * @example QueryDict.fromKeys(['a', 'a', 'b'], 'val').urlencode(); // 'a=val&a=val&b=val'
   */
  static fromKeys(keys: Iterable<string>, value = '', options: Omit<QueryDictOptions, 'maxNumFields'> = {}): QueryDict {
    if (keys == null || typeof (keys as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError(`'${keys === null ? 'null' : typeof keys}' object is not iterable`);
    }
    const q = new QueryDict(null, { encoding: options.encoding });
    for (const key of keys) {
      const list = q.store.get(key);
      if (list === undefined) q.store.set(key, [value]);
      else list.push(value);
    }
    q._mutable = options.mutable === true;
    return q;
  }

  /**
   * The charset of this dict. Setting it only records the new charset for `urlencode()`, as
   * Django's setter does; `HttpRequest.encoding` re-parses GET/POST itself.
   */
  get encoding(): string {
    return this._encoding;
  }

  set encoding(value: string) {
    this._encoding = value || 'utf-8';
  }

  protected override assertMutable(): void {
    if (!this._mutable) throw new ImmutableQueryDictError();
  }

  /**
   * Makes a mutable dict immutable once it is filled (the multipart parser builds POST this way).
   * @internal
   */
  _freeze(): void {
    this._mutable = false;
  }

  /** A mutable deep copy, keeping the encoding. */
  override copy(): QueryDict {
    const q = new QueryDict(null, { mutable: true, encoding: this._encoding });
    for (const [key, list] of this.store) q.store.set(key, list.slice());
    return q;
  }

  /**
   * The data as a query string, every value of every key, encoded in the dict's encoding exactly
   * as Django does: without `safe`, Python's `urlencode` (`quote_plus`: a space is `+`, only
   * `A-Za-z0-9_.-~` left as is); with `safe`, `quote(…, safe)` on keys and values (a space is
   * `%20`, the ASCII characters of `safe` left as is).
   *
   * @example
   * const q = new QueryDict(null, { mutable: true });
   * q.setItem('next', '/a&b/');
   * q.urlencode();    // 'next=%2Fa%26b%2F'
   * q.urlencode('/'); // 'next=/a%26b/'
   */
  urlencode(safe?: string): string {
    if (this.store.size === 0) return '';
    const codec = codecFor(this._encoding);
    const table = safe ? safeTable(safe) : ALWAYS_SAFE;
    const plus = !safe;
    const out: string[] = [];
    for (const [key, list] of this.store) {
      const k = encodeComponent(key, codec, table, plus);
      for (const value of list) {
        // Django's test_urlencode_int: a number set by hand is written as text, as Python's urlencode does.
        const text = typeof value === 'string' ? value : String(value);
        out.push(`${k}=${encodeComponent(text, codec, table, plus)}`);
      }
    }
    return out.join('&');
  }

  /** Splits on `&`, then on the first `=`; decodes only the parts that have `+` or `%`. */
  private parse(qs: string): void {
    const store = this.store;
    const n = qs.length;
    // The common query string has neither: no decoding work at all.
    const plain = qs.indexOf('%') === -1 && qs.indexOf('+') === -1;
    let start = 0;
    while (start < n) {
      let amp = qs.indexOf('&', start);
      if (amp === -1) amp = n;
      if (amp > start) {
        // Slice the pair first so the '=' search never runs past it ('a&a&a…' stays linear).
        const pair = qs.slice(start, amp);
        const eq = pair.indexOf('=');
        let key = eq === -1 ? pair : pair.slice(0, eq);
        let value = eq === -1 ? '' : pair.slice(eq + 1);
        if (!plain) {
          key = decodeComponent(key, this._encoding);
          value = decodeComponent(value, this._encoding);
        }
        const list = store.get(key);
        if (list === undefined) store.set(key, [value]);
        else list.push(value);
      }
      start = amp + 1;
    }
  }
}

/** `+` to space, then percent-decoding; the common case (neither present) costs two scans. */
function decodeComponent(text: string, encoding: string): string {
  if (text.indexOf('+') !== -1) text = text.replace(PLUS, ' ');
  if (text.indexOf('%') === -1) return text;
  return percentDecode(text, codecFor(encoding));
}

/** Django decodes a bytes query string in its encoding, falling back to ISO-8859-1 when invalid. */
function decodeQueryBytes(bytes: Buffer, encoding: string): string {
  return codecFor(encoding).decodeStrict(bytes) ?? bytes.toString('latin1');
}

function encodeComponent(text: string, codec: Codec, table: Uint8Array, plus: boolean): string {
  // Already safe ASCII text encodes to itself in every ASCII-compatible charset.
  if (codec.asciiCompatible) {
    let i = 0;
    while (i < text.length && table[text.charCodeAt(i)] === 1) i++;
    if (i === text.length) return text;
  }
  return quoteBytes(codec.encode(text), table, plus);
}

// ---------------------------------------------------------------------------------------------
// Charsets. Node decodes every WHATWG charset (TextDecoder, full ICU) but encodes only UTF-8,
// Latin-1 and UTF-16LE (Buffer). Single-byte charsets (ISO-8859-x, windows-125x, KOI8, ...) go
// through a 256-entry table, built once from their decoder, that serves both directions. Python's
// names are accepted (`latin-1`, `iso8859_15`, `cp1252`); `latin-1`/`iso-8859-1` mean true
// ISO-8859-1 as in Python, not the windows-1252 the WHATWG labels map them to.

interface Codec {
  /** Python's `bytes.decode(encoding, 'replace')`: invalid bytes become U+FFFD. */
  decode(bytes: Uint8Array): string;
  /** Strict decoding; null when the bytes are invalid in the charset. */
  decodeStrict(bytes: Buffer): string | null;
  /** Python's `str.encode(encoding)`: a character the charset lacks throws RangeError. */
  encode(text: string): Uint8Array;
  /** ASCII text encodes to itself (false only for UTF-16). */
  readonly asciiCompatible: boolean;
}

const UTF8_NAMES = new Set(['utf-8', 'utf8', 'u8', 'utf', 'cp65001']);
const LATIN1_NAMES = new Set([
  'latin-1', 'latin1', 'latin', 'l1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819', 'iso-ir-100', 'ibm819',
]);
const ASCII_NAMES = new Set(['ascii', 'us-ascii', '646', 'us']);
const SINGLE_BYTE = /^(ibm866|iso-8859-\d+(-i)?|koi8-[ru]|macintosh|windows-125\d|windows-874|x-mac-cyrillic)$/;
/**
 * Bytes 0x80-0x9F of cp1252 as Python's codec has them (five undefined: U+FFFD). Not taken from
 * TextDecoder: Node 20.18.3+ decodes windows-1252 as Latin-1 and drops these bytes
 * (nodejs/node#60888).
 */
const CP1252_C1 =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';
const codecs = new Map<string, Codec>();

function cannotEncode(encoding: string, text: string, position: number): RangeError {
  const hex = text.charCodeAt(position).toString(16).padStart(4, '0');
  return new RangeError(`'${encoding}' codec can't encode character '\\u${hex}' in position ${position}`);
}

const UTF8: Codec = {
  decode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  decodeStrict: (bytes) => (isUtf8(bytes) ? bytes.toString('utf8') : null),
  encode: (text) => Buffer.from(text, 'utf8'),
  asciiCompatible: true,
};
const LATIN1: Codec = {
  decode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
  decodeStrict: (bytes) => bytes.toString('latin1'),
  encode(text) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) throw cannotEncode('latin-1', text, i);
    return Buffer.from(text, 'latin1');
  },
  asciiCompatible: true,
};

/** A single-byte charset from the 256 characters its bytes stand for (U+FFFD: undefined byte). */
function tableCodec(name: string, chars: string): Codec {
  const reverse = new Map<number, number>();
  for (let b = 0; b < 256; b++) if (chars.charCodeAt(b) !== 0xfffd) reverse.set(chars.charCodeAt(b), b);
  const decode = (bytes: Uint8Array): string => {
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += chars[bytes[i]];
    return out;
  };
  return {
    decode,
    decodeStrict(bytes) {
      const text = decode(bytes);
      return text.indexOf('\ufffd') === -1 ? text : null;
    },
    encode(text) {
      const out = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) {
        const byte = reverse.get(text.charCodeAt(i));
        if (byte === undefined) throw cannotEncode(name, text, i);
        out[i] = byte;
      }
      return out;
    },
    asciiCompatible: true,
  };
}

function charRange(from: number, to: number): string {
  let chars = '';
  for (let c = from; c < to; c++) chars += String.fromCharCode(c);
  return chars;
}

function codecFor(encoding: string): Codec {
  // The spelling as given first: every request with the same charset spells it the same way.
  let codec = codecs.get(encoding);
  if (codec !== undefined) return codec;
  const name = encoding.trim().toLowerCase().replace(/_/g, '-');
  codec = codecs.get(name);
  if (codec === undefined) {
    codec = makeCodec(name, encoding);
    codecs.set(name, codec); // bounded: only names TextDecoder knows get here
  }
  // Spellings come from clients: remember a bounded number of them.
  if (encoding !== name && spellings < MAX_SPELLINGS) {
    spellings++;
    codecs.set(encoding, codec);
  }
  return codec;
}

let spellings = 0;
const MAX_SPELLINGS = 64;

/**
 * Whether `encoding` names a charset this module can decode (Python's names included): Django
 * ignores a charset Python cannot look up.
 */
export function isKnownCharset(encoding: string): boolean {
  return knownCodec(encoding) !== null;
}

/** `codecFor`, or null for a charset it does not know. */
function knownCodec(encoding: string): Codec | null {
  try {
    return codecFor(encoding);
  } catch {
    return null;
  }
}

/**
 * Python's `str.encode(encoding)` for the charsets Node cannot encode itself (single-byte ones:
 * ISO-8859-x, windows-125x, KOI8, ...).
 * @throws RangeError for an unknown charset, a multi-byte one Node has no encoder for, or a
 * character the charset lacks.
 */
export function encodeInCharset(text: string, encoding: string): Uint8Array {
  return codecFor(encoding).encode(text);
}

/**
 * Python's `urllib.parse.unquote(text, encoding, 'replace')`: `%XX` escapes decoded as bytes in
 * `encoding`, invalid escapes and other characters kept; null when the charset is unknown.
 */
export function unquoteInCharset(text: string, encoding: string): string | null {
  const codec = knownCodec(encoding);
  if (codec === null) return null;
  return text.indexOf('%') === -1 ? text : percentDecode(text, codec);
}

/**
 * Python's `bytes.decode(encoding, 'replace')`: invalid bytes become U+FFFD; null when the charset
 * is unknown (the caller decides what to fall back to).
 */
export function decodeInCharset(bytes: Uint8Array, encoding: string): string | null {
  return knownCodec(encoding)?.decode(bytes) ?? null;
}

function makeCodec(name: string, encoding: string): Codec {
  if (UTF8_NAMES.has(name)) return UTF8;
  if (LATIN1_NAMES.has(name)) return LATIN1;
  if (ASCII_NAMES.has(name)) {
    return tableCodec('ascii', charRange(0, 0x80) + '\ufffd'.repeat(0x80));
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name, { ignoreBOM: true });
  } catch {
    throw new RangeError(`unknown encoding: ${encoding}`); // Python's LookupError message
  }
  const canonical = decoder.encoding;
  if (canonical === 'utf-8') return UTF8;
  if (canonical === 'windows-1252') {
    return tableCodec(encoding, charRange(0, 0x80) + CP1252_C1 + charRange(0xa0, 0x100));
  }
  if (SINGLE_BYTE.test(canonical)) {
    let chars = '';
    for (let b = 0; b < 256; b++) chars += decoder.decode(Uint8Array.of(b)) || '\ufffd';
    return tableCodec(encoding, chars);
  }
  // Multi-byte charsets (Shift_JIS, EUC-KR, GBK, UTF-16, ...): Node can decode them, not encode.
  const strict = new TextDecoder(name, { fatal: true, ignoreBOM: true });
  return {
    decode: (bytes) => decoder.decode(bytes),
    decodeStrict(bytes) {
      try {
        return strict.decode(bytes);
      } catch {
        return null;
      }
    },
    encode(text) {
      if (canonical === 'utf-16le') return Buffer.from(text, 'utf16le');
      throw new RangeError(`cannot encode to '${encoding}': Node.js has no encoder for ${canonical}`);
    },
    asciiCompatible: !canonical.startsWith('utf-16'),
  };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Python's `unquote(text, encoding, errors='replace')`: runs of ASCII are unescaped to bytes and
 * decoded together (so `%C3%A9` is one character), other characters are kept as they are, and a
 * `%` not followed by two hex digits stays literally.
 */
function percentDecode(text: string, codec: Codec): string {
  let out = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && text.charCodeAt(j) >= 0x80) j++;
    if (j > i) {
      out += text.slice(i, j);
      i = j;
      continue;
    }
    while (j < n && text.charCodeAt(j) < 0x80) j++;
    const bytes = Buffer.allocUnsafe(j - i);
    let k = 0;
    for (; i < j; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x25 && i + 2 < j) {
        const hi = hexValue(text.charCodeAt(i + 1));
        const lo = hexValue(text.charCodeAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          bytes[k++] = (hi << 4) | lo;
          i += 2;
          continue;
        }
      }
      bytes[k++] = c;
    }
    out += codec.decode(bytes.subarray(0, k));
  }
  return out;
}

/** Python's `_ALWAYS_SAFE` bytes of urllib.parse.quote: `A-Za-z0-9_.-~`. */
const ALWAYS_SAFE = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~') {
  ALWAYS_SAFE[ch.charCodeAt(0)] = 1;
}
const PERCENT_HEX = Array.from({ length: 256 }, (_, b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`);

/** quote_from_bytes keeps only the ASCII characters of `safe`. */
function safeTable(safe: string): Uint8Array {
  const table = ALWAYS_SAFE.slice();
  for (let i = 0; i < safe.length; i++) if (safe.charCodeAt(i) < 0x80) table[safe.charCodeAt(i)] = 1;
  return table;
}

/** Python's `quote_from_bytes` (`plus`: `quote_plus`, a space becomes `+`). */
function quoteBytes(bytes: Uint8Array, table: Uint8Array, plus: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out += table[b] === 1 ? String.fromCharCode(b) : plus && b === 0x20 ? '+' : PERCENT_HEX[b];
  }
  return out;
}
