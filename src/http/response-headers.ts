import { BadHeaderError } from './errors';
import { pyRepr } from './django-text';

/** What a header may be set to: text, or a number written in decimal (`headers.set('Age', 120)`). */
export type HeaderValue = string | number;

/** Ways to give headers to a response: another `ResponseHeaders`, a plain object, or pairs. */
export type ResponseHeadersInit =
  | ResponseHeaders
  | Readonly<Record<string, HeaderValue>>
  | Iterable<readonly [string, HeaderValue]>;

// RFC 9110 §5.1: field-name = token; §5.6.2: tchar. Node's writeHead refuses anything else, so a
// bad name is refused here, where the code that set it is still on the stack.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A value made only of HTAB and visible ASCII: sent as it is, whatever encoding Node writes in.
const PLAIN = /^[\t\x20-\x7e]*$/;
// Beyond Latin-1: sent as an RFC 2047 encoded word.
const BEYOND_LATIN1 = /[^\x00-\xff]/;
const NEWLINE = /[\r\n]/;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export { pyRepr };

/** Checks a header name (Django's `_convert_to_charset(key, "ascii")`, plus RFC 9110's token rule). */
function checkName(name: string): string {
  if (typeof name === 'string' && TOKEN.test(name)) return name;
  const text = String(name);
  if (NEWLINE.test(text)) throw new BadHeaderError(`Header values can't contain newlines (got ${pyRepr(text)})`);
  if (/[^\x00-\x7f]/.test(text)) {
    throw new BadHeaderError(`HTTP response header names must be in ASCII format (got ${pyRepr(text)})`);
  }
  throw new BadHeaderError(`Header names must be HTTP tokens (got ${pyRepr(text)})`);
}

/**
 * Turns a value into what goes on the wire (Django's `_convert_to_charset(value, "latin-1",
 * mime_encode=True)`): Latin-1 text as is; text beyond Latin-1 as one RFC 2047 encoded word.
 * @throws BadHeaderError for CR or LF (header injection) or another control character.
 */
export function headerValueToWire(value: HeaderValue): string {
  const text = typeof value === 'string' ? value : String(value);
  if (PLAIN.test(text)) return text;
  if (NEWLINE.test(text)) throw new BadHeaderError(`Header values can't contain newlines (got ${pyRepr(text)})`);
  if (CONTROL.test(text)) {
    throw new BadHeaderError(`Header values can't contain control characters (got ${pyRepr(text)})`);
  }
  // Latin-1's upper half (obs-text, RFC 9110 §5.5) goes out as those bytes.
  if (!BEYOND_LATIN1.test(text)) return text;
  // Python's email.header.Header(value, "utf-8").encode(): base64 "B" encoding, RFC 2047 §4.1.
  return `=?utf-8?b?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** Whether a wire value is HTAB and visible ASCII only (no Latin-1 upper half). */
export function isPlainHeaderValue(wire: string): boolean {
  return PLAIN.test(wire);
}

/**
 * A response's headers, Django's `ResponseHeaders`: a case-insensitive mapping that remembers
 * how a name was first spelt (Django keeps the latest spelling; keeping the first lets the
 * framework's `Content-Type` survive a later `set('content-type', ...)` unchanged on the wire).
 *
 * Stored as one flat list, three slots per header (lower-case name, name as first spelt, value
 * sent) in the order first set: a response has a handful of headers, and a list that small is
 * searched faster than a Map is grown and hashed into (the default stack adds four headers to
 * every response), and the writer reads it as it is.
 *
 * @example
 * const response = new HttpResponse();
 * response.headers.set('Age', 120);
 * response.headers.get('age');              // '120'
 * response.headers.setDefault('Age', 300);  // '120': already set
 * response.headers.delete('Age');
 */
export class ResponseHeaders implements Iterable<[string, string]> {
  /**
   * True once a value with Latin-1's upper half (bytes 0x80-0xFF) was set: the writer must then
   * send the head as Latin-1, not together with a body written as utf-8 text. Never reset.
   * @internal
   */
  hasLatin1Values = false;
  /** `[key, name, value, key, name, value, ...]`; see the class comment. */
  private readonly list: string[];

  constructor(init?: ResponseHeadersInit | null) {
    if (init instanceof ResponseHeaders) {
      this.list = init.list.slice();
      this.hasLatin1Values = init.hasLatin1Values;
      return;
    }
    this.list = [];
    if (init == null) return;
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const [name, value] of init as Iterable<readonly [string, HeaderValue]>) this.set(name, value);
    } else {
      const record = init as Readonly<Record<string, HeaderValue>>;
      for (const name of Object.keys(record)) this.set(name, record[name]);
    }
  }

  /** The slot of the header whose lower-case name is `key`, or -1. */
  private find(key: string): number {
    const list = this.list;
    for (let i = 0; i < list.length; i += 3) if (list[i] === key) return i;
    return -1;
  }

  /** The value sent for `name` (any case), or undefined. */
  get(name: string): string | undefined {
    const i = this.find(name.toLowerCase());
    return i === -1 ? undefined : this.list[i + 2];
  }

  /**
   * Sets `name` to `value` (numbers are written in decimal), replacing any value it had.
   * @throws BadHeaderError for CR/LF in the name or value, or a name that is not an HTTP token.
   */
  set(name: string, value: HeaderValue): this {
    this.setValue(checkName(name), value);
    return this;
  }

  /**
   * `set` for a name the framework knows to be a token (`Content-Type`): the value is still
   * checked and converted.
   * @internal
   */
  setValue(name: string, value: HeaderValue, key: string = name.toLowerCase()): void {
    let wire = typeof value === 'string' ? value : String(value);
    // One test for the common case; the conversion (and its checks) only for the rest.
    if (!PLAIN.test(wire)) {
      wire = headerValueToWire(wire);
      if (!PLAIN.test(wire)) this.hasLatin1Values = true;
    }
    this.setUnchecked(name, wire, key);
  }

  /**
   * Sets a value the framework built and knows to be valid and plain ASCII (a Content-Type it
   * composed, a Content-Length), skipping the checks `set` makes. Not for user input.
   */
  setUnchecked(name: string, value: string, key: string = name.toLowerCase()): void {
    const i = this.find(key);
    if (i === -1) this.list.push(key, name, value);
    else this.list[i + 2] = value;
  }

  /**
   * Adds a header the framework checked once (SecurityMiddleware's fixed headers: a token name,
   * a plain ASCII value) unless `key`, its lower-case name, is set already.
   * @internal
   */
  addChecked(key: string, name: string, value: string): void {
    if (this.find(key) === -1) this.list.push(key, name, value);
  }

  /** Whether `name` (any case) is set. */
  has(name: string): boolean {
    return this.find(name.toLowerCase()) !== -1;
  }

  /** Removes `name`; like Django's `del response[name]`, a missing name is not an error. */
  delete(name: string): boolean {
    const i = this.find(name.toLowerCase());
    if (i === -1) return false;
    this.list.splice(i, 3);
    return true;
  }

  /** Sets `name` only when it is not set yet; returns the value it now holds (Django's `setdefault`). */
  setDefault(name: string, value: HeaderValue): string {
    const existing = this.get(name);
    if (existing !== undefined) return existing;
    this.set(name, value);
    return this.get(name)!;
  }

  /** Number of headers. */
  get size(): number {
    return this.list.length / 3;
  }

  /**
   * The flat list itself, `[key, name, value, ...]`, for the writer: read it, never change it.
   * @internal
   */
  get wireList(): readonly string[] {
    return this.list;
  }

  /** `[name, value]` pairs, names as first spelt, in the order they were first set (as they were when called). */
  entries(): IterableIterator<[string, string]> {
    const pairs: [string, string][] = [];
    for (let i = 0; i < this.list.length; i += 3) pairs.push([this.list[i + 1], this.list[i + 2]]);
    return pairs.values();
  }

  /** Names as first spelt. */
  keys(): IterableIterator<string> {
    return this.column(1);
  }

  /** Values as sent. */
  values(): IterableIterator<string> {
    return this.column(2);
  }

  /** A snapshot of one slot of every header: 1 the name, 2 the value. */
  private column(offset: 1 | 2): IterableIterator<string> {
    const out: string[] = [];
    for (let i = 0; i < this.list.length; i += 3) out.push(this.list[i + offset]);
    return out.values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A plain object `{ Name: value }`, for logging and tests. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.list.length; i += 3) out[this.list[i + 1]] = this.list[i + 2];
    return out;
  }
}
