/**
 * Path converters (Django's django/urls/converters.py): each turns one piece of a URL into a value
 * for the handler (`toPython`) and a value back into URL text for `reverse()` (`toUrl`).
 */
import { ImproperlyConfigured } from '../http/errors';

/**
 * A path converter. `regex` is an unanchored fragment (as Django's `regex` attribute) that the
 * router wraps in a group; `toPython` throwing means "this route does not match" (Django's
 * ValueError) and `toUrl` throwing makes `reverse()` fail with NoReverseMatch.
 *
 * A parameter whose converter spans segments is matched, with the rest of its pattern, against the
 * rest of the path in one regex, exactly as Django matches the whole pattern: its regex may match
 * `/`. The built-ins declare it (only `path` does); a custom converter spans segments unless it
 * says `spansSegments: false`, which lets the router match it inside one segment (faster).
 *
 * @example
 * const yearConverter: PathConverter<number> = {
 *   regex: '[0-9]{4}',
 *   toPython: (value) => Number(value),
 *   toUrl: (value) => String(value).padStart(4, '0'),
 * };
 * registerConverter('yyyy', yearConverter);   // then '/articles/<yyyy:year>/'
 */
export interface PathConverter<T = unknown> {
  readonly regex: string;
  toPython(value: string): T;
  toUrl(value: T): string;
  /**
   * Whether the regex may match `/` (the parameter may span several path segments). Default: true
   * for a registered converter, so any regex matches as in Django; false when it never matches `/`.
   */
  readonly spansSegments?: boolean;
  /**
   * The parameter's JSON Schema in the OpenAPI document (`app.openapi()`), e.g.
   * `{ type: 'string', pattern: '^[0-9a-f]+$' }`. Omitted: a string matching `regex`. Read once,
   * when the document is built; never on a request.
   */
  readonly schema?: Readonly<Record<string, unknown>>;
}

/** Whether `converter`'s parameter must be matched against the rest of the path (see PathConverter). */
export function spansSegments(converter: PathConverter): boolean {
  return converter.spansSegments ?? true;
}

/** `<int:x>`: zero or any positive integer, given to the handler as a number. */
export class IntConverter implements PathConverter<number> {
  readonly regex: string = '[0-9]+';
  readonly spansSegments: boolean = false;
  toPython(value: string): number {
    const n = Number(value);
    // Django's int() accepts arbitrarily large numbers; a JS number would silently round them,
    // so a value past 2^53 is "no match" rather than a wrong id.
    if (!Number.isSafeInteger(n)) throw new RangeError(`${value} is not a safe integer`);
    return n;
  }
  toUrl(value: number): string {
    return String(value);
  }
}

/** `<str:x>` (and `<x>`): any non-empty text without a `/`. */
export class StringConverter implements PathConverter<string> {
  readonly regex: string = '[^/]+';
  readonly spansSegments: boolean = false;
  toPython(value: string): string {
    return value;
  }
  toUrl(value: string): string {
    return String(value);
  }
}

/** `<slug:x>`: ASCII letters, digits, hyphens and underscores. */
export class SlugConverter extends StringConverter {
  override readonly regex: string = '[-a-zA-Z0-9_]+';
}

/**
 * `<uuid:x>`: a lower-case, hyphenated UUID. Django gives a `uuid.UUID`; JavaScript has no UUID
 * type, so the value stays the (already canonical) string.
 */
export class UUIDConverter extends StringConverter {
  override readonly regex: string = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
}

/** `<path:x>`: any non-empty text, `/` included, so a whole sub-path can be captured. */
export class PathSegmentsConverter extends StringConverter {
  override readonly regex: string = '.+';
  override readonly spansSegments: boolean = true;
}

// The built-ins are registered here and can never be replaced (Django 5.1 refuses to override).
const DEFAULT_CONVERTERS: ReadonlyMap<string, PathConverter> = new Map<string, PathConverter>([
  ['int', new IntConverter()],
  ['path', new PathSegmentsConverter()],
  ['slug', new SlugConverter()],
  ['str', new StringConverter()],
  ['uuid', new UUIDConverter()],
]);

const registered = new Map<string, PathConverter>();

/**
 * Register a custom converter under `name` for use in patterns as `<name:param>`. Register before
 * the routes that use it are added. A name that is already registered (a built-in included) throws
 * ImproperlyConfigured, as Django 5.1+ does.
 *
 * @example
 * registerConverter('hex', { regex: '[0-9a-f]+', toPython: (v) => parseInt(v, 16), toUrl: (v: number) => v.toString(16) });
 */
export function registerConverter<T>(name: string, converter: PathConverter<T>): void {
  if (name === '' || /[:>\s]/.test(name)) {
    throw new ImproperlyConfigured(`Converter name '${name}' is not valid: it may not be empty or contain ':', '>' or whitespace.`);
  }
  if (DEFAULT_CONVERTERS.has(name) || registered.has(name)) {
    throw new ImproperlyConfigured(`Converter '${name}' is already registered.`);
  }
  if (typeof converter?.regex !== 'string' || typeof converter.toPython !== 'function' || typeof converter.toUrl !== 'function') {
    throw new ImproperlyConfigured(`Converter '${name}' must have a string 'regex' and 'toPython' and 'toUrl' methods.`);
  }
  try {
    new RegExp(converter.regex, 'u');
  } catch (error) {
    throw new ImproperlyConfigured(`Converter '${name}' has an invalid regex '${converter.regex}': ${(error as Error).message}`);
  }
  registered.set(name, converter as PathConverter);
}

/**
 * The converter registered as `name` (built-in or custom), or undefined.
 * @example getConverter('int')!.toPython('42') // 42
 */
export function getConverter(name: string): PathConverter | undefined {
  return DEFAULT_CONVERTERS.get(name) ?? registered.get(name);
}
