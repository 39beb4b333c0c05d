/**
 * Which paths belong to an API controller (`@Controller('/api', { api: true })`), for the
 * requests no route matched: a 404 or 405 under `/api/` answers JSON like every other error
 * there (issue 22). A matched route says it itself (`request.route.api`); this table is only
 * consulted on the error path, so a request that finds its route never looks at it.
 *
 * The table is compiled once per app at start-up and kept by the app's settings object (one
 * frozen object per app, carried by every request it makes), as the router is.
 */
import type { HttpRequest } from './http-request';

/** The API prefixes of one app, normalised to end without a slash (`/api`), longest first. */
interface ApiPrefixTable {
  /** An API controller mounted at the root: every path is under it. */
  readonly everything: boolean;
  readonly prefixes: readonly string[];
}

const tables = new WeakMap<object, ApiPrefixTable>();

/**
 * Records the prefixes of an app's API controllers (the Application does, once, at start-up).
 * @internal
 */
export function registerApiPrefixes(settings: object, prefixes: readonly string[]): void {
  if (prefixes.length === 0) {
    tables.delete(settings);
    return;
  }
  // A prefix with a parameter (`/orgs/<int:org>/api`) is known up to its first one: `/orgs`.
  const normalised = prefixes.map((prefix) => '/' + prefix.replace(/\/?[^/]*<.*$/s, '').replace(/^\/+|\/+$/g, ''));
  tables.set(settings, {
    everything: normalised.includes('/'),
    prefixes: [...new Set(normalised)].sort((a, b) => b.length - a.length),
  });
}

/**
 * Whether the request's path lies under one of its app's API prefixes: the prefix itself or
 * anything below it, segment-wise (`/api` covers `/api/x`, not `/apiary`). An undecodable path
 * (`/api/%ZZ`) is judged by its raw form, so its 400 is JSON too.
 */
export function isUnderApiPrefix(request: HttpRequest): boolean {
  const table = tables.get(request.settings);
  if (table === undefined) return false;
  if (table.everything) return true;
  let path: string;
  try {
    path = request.path;
  } catch {
    path = request.rawPath;
  }
  for (const prefix of table.prefixes) {
    if (path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47 /* / */)) return true;
  }
  return false;
}
