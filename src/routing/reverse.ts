/**
 * `reverse()`: build a URL from a route name (Django's django/urls/base.py `reverse` and
 * resolvers.py `_reverse_with_prefix`). Each converter's `toUrl` turns a value back into text, the
 * text must match the converter's regex, and the result is percent-quoted as Django does.
 */
import { NoReverseMatch } from '../http/errors';
import type { CompiledPattern } from './path-pattern';

/** The query of `reverse()`: `?k=v` pairs, an array repeating its key; null/undefined are skipped. */
export type ReverseQuery = Readonly<
  Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>
>;

/**
 * Route names and their parameters, empty until an application augments it; `reverse()` then
 * accepts only those names, with those parameters. Not augmented, any string is accepted.
 *
 * @example
 * declare module 'reinhardt' {
 *   interface RouteNames {
 *     'poll-index': Record<string, never>;
 *     'poll-detail': { id: number };
 *   }
 * }
 * reverse('poll-detail', { id: 1 });   // ok
 * reverse('poll-detial', { id: 1 });   // type error
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface RouteNames {}

/** The names `reverse()` accepts: the keys of `RouteNames`, or any string when it is empty. */
export type RouteName = [keyof RouteNames] extends [never] ? string : Extract<keyof RouteNames, string>;

/** The parameters of route `N`: its `RouteNames` entry, or anything when `RouteNames` is empty. */
export type RouteParams<N extends string> = N extends keyof RouteNames
  ? RouteNames[N]
  : Readonly<Record<string, unknown>> | readonly unknown[];

/** What `setActiveRouter` takes: anything that reverses (a `Router`). */
export interface Reverser {
  reverse(name: string, params?: Readonly<Record<string, unknown>> | readonly unknown[], query?: ReverseQuery): string;
}

let activeRouter: Reverser | null = null;

/**
 * Make `router` the one the global `reverse()` uses. The app calls it when it starts; when several
 * apps start in one process the last one started wins. `null` clears it.
 * @example setActiveRouter(router); reverse('poll-detail', { id: 1 }) // '/polls/1/'
 */
export function setActiveRouter(router: Reverser | null): void {
  activeRouter = router;
}

/**
 * The URL of the route named `name` in the running app, for handlers that do not hold the app.
 * `params` are by name (an object) or in pattern order (an array); `query` is appended as
 * `?k=v&k2=v2`. Throws NoReverseMatch for an unknown name, params missing, extra, or refused by
 * a converter, and when no app has started.
 *
 * @example
 * return new HttpResponseRedirect(reverse('poll-detail', { id: poll.id }, { voted: 1 }));
 * // '/polls/7/?voted=1'
 */
export function reverse<N extends RouteName>(name: N, params?: RouteParams<N>, query?: ReverseQuery): string {
  if (activeRouter === null) {
    throw new NoReverseMatch(`Reverse for '${name}' failed: no application has started, so there are no routes. Start the app (or use app.reverse()) first.`);
  }
  return activeRouter.reverse(name, params as Readonly<Record<string, unknown>> | readonly unknown[] | undefined, query);
}

// Python's quote(url, safe=RFC3986_SUBDELIMS + "/~:@"): encodeURIComponent already leaves
// `!'()*~` alone, so only these escapes are turned back into their characters.
const PATH_SAFE_ESCAPES = /%(?:24|26|2B|2C|3B|3D|2F|3A|40)/g;
// Python's quote_plus(value, safe=''), as urlencode uses: `!'()*` are escaped too, spaces are `+`.
const QUERY_EXTRA = /[!'()*]/g;

function quotePath(text: string): string {
  return encodeURIComponent(text).replace(PATH_SAFE_ESCAPES, decodeURIComponent);
}

function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(QUERY_EXTRA, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * Python's `urlencode(query, doseq=True)`: `quote_plus` on keys and values, arrays repeat the key.
 * @example urlencode({ q: 'a b', tag: ['x', 'y'] }) // 'q=a+b&tag=x&tag=y'
 */
export function urlencode(query: ReverseQuery): string {
  const pairs: string[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number)[]) pairs.push(`${quotePlus(key)}=${quotePlus(String(item))}`);
    } else {
      pairs.push(`${quotePlus(key)}=${quotePlus(String(value))}`);
    }
  }
  return pairs.join('&');
}

/** A Python-like repr, so messages read as Django's. */
function repr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function notFound(name: string, pattern: string, params: Readonly<Record<string, unknown>> | readonly unknown[] | undefined): NoReverseMatch {
  let args = 'no arguments';
  if (Array.isArray(params)) {
    if (params.length > 0) args = `arguments '${repr(params)}'`;
  } else if (params !== undefined && params !== null && Object.keys(params).length > 0) {
    args = `keyword arguments '${repr(params)}'`;
  }
  return new NoReverseMatch(`Reverse for '${name}' with ${args} not found. 1 pattern(s) tried: [${repr(pattern)}]`);
}

/**
 * Build the URL of `compiled` for `params`; the router's `reverse` calls it once it found the name.
 * @example buildReverseUrl('poll-detail', compilePattern('/polls/<int:id>/'), { id: 7 }) // '/polls/7/'
 */
export function buildReverseUrl(
  name: string,
  compiled: CompiledPattern,
  params: Readonly<Record<string, unknown>> | readonly unknown[] | undefined,
  query: ReverseQuery | undefined,
): string {
  const declared = compiled.params;
  const positional = Array.isArray(params);
  const byName = (positional ? null : params ?? {}) as Readonly<Record<string, unknown>> | null;
  // Django: the given names must be exactly the pattern's (no missing, no extra).
  const given = positional ? (params as readonly unknown[]).length : Object.keys(byName!).length;
  if (given !== declared.length) throw notFound(name, compiled.pattern, params);
  let candidate = '';
  let index = 0;
  for (const part of compiled.parts) {
    if (typeof part === 'string') {
      candidate += part;
      continue;
    }
    if (!positional && !Object.hasOwn(byName!, part.name)) throw notFound(name, compiled.pattern, params);
    const value = positional ? (params as readonly unknown[])[index] : byName![part.name];
    index++;
    let text: string;
    try {
      text = String(part.converter.toUrl(value));
    } catch {
      throw notFound(name, compiled.pattern, params);
    }
    if (!part.fullMatch.test(text)) throw notFound(name, compiled.pattern, params);
    candidate += text;
  }
  let url: string;
  try {
    url = quotePath(candidate);
  } catch {
    throw notFound(name, compiled.pattern, params); // a lone surrogate: not encodable as UTF-8
  }
  // Django: "Don't allow construction of scheme relative urls." (`//evil.example/` is another host.)
  if (url.startsWith('//')) url = `/%2F${url.slice(2)}`;
  if (query !== undefined && query !== null) {
    let queryString: string;
    try {
      queryString = urlencode(query);
    } catch {
      throw new NoReverseMatch(`Reverse for '${name}': the query cannot be encoded as UTF-8.`);
    }
    if (queryString !== '') url += `?${queryString}`;
  }
  return url;
}
