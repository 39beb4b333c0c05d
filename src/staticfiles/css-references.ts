/**
 * Rewriting the references inside a CSS file to the hashed names (Django's HashedFilesMixin
 * `patterns` for `*.css` and its `url_converter`, django/contrib/staticfiles/storage.py):
 * `url(...)`, `@import "..."` and `/*# sourceMappingURL=... *\/`. Left as they are: URLs with a
 * scheme (`data:`, `http:`, `https:`), absolute paths outside `staticUrl` (which includes
 * protocol-relative `//cdn...`), and fragment-only `#id` references.
 */
import { posix } from 'node:path';

/** Each pattern with the template its match is rewritten to (Django's, camelCased groups). */
const CSS_PATTERNS: readonly (readonly [RegExp, (url: string) => string])[] = [
  [/url\(['"]?\s*(?<url>.*?)["']?\)/gi, (url) => `url("${url}")`],
  [/@import\s*["']\s*(?<url>.*?)["']/gi, (url) => `@import url("${url}")`],
  [/^\/\*#[ \t]sourceMappingURL=(?<url>.*?)[ \t]*\*\/$/gm, (url) => `/*# sourceMappingURL=${url} */`],
];

/** A reference that names no collected file; collectstatic fails on it, as Django's does. */
export class MissingReferenceError extends Error {}

/**
 * `css` (the file `name`, `/`-separated) with every reference to a collected file replaced by
 * that file's hashed name, looked up in `hashedNames` (plain name → hashed name).
 * @throws MissingReferenceError for a relative or `staticUrl` reference to no collected file.
 * @example
 * rewriteCssReferences('css/site.css', 'a{background:url(../img/a.png)}', new Map([['img/a.png', 'img/a.0123456789ab.png']]), '/static/')
 * // 'a{background:url("../img/a.0123456789ab.png")}'
 */
export function rewriteCssReferences(name: string, css: string, hashedNames: ReadonlyMap<string, string>, staticUrl: string): string {
  let out = css;
  for (const [pattern, template] of CSS_PATTERNS) {
    out = out.replace(pattern, (matched: string, ...rest: unknown[]) => {
      const groups = rest[rest.length - 1] as { url: string };
      const converted = convertUrl(name, groups.url, hashedNames, staticUrl);
      return converted === null ? matched : template(converted);
    });
  }
  return out;
}

/** Django's `converter`: the hashed URL, or null to leave the match alone. */
function convertUrl(name: string, url: string, hashedNames: ReadonlyMap<string, string>, staticUrl: string): string | null {
  if (/^[a-z]+:/i.test(url)) return null;
  if (url.startsWith('/') && !url.startsWith(staticUrl)) return null;
  const hashAt = url.indexOf('#');
  const urlPath = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt + 1);
  if (urlPath === '') return null;
  // A query (`font.woff?v=2`, the `?#iefix` hack) stays on the URL; the file is its path.
  const queryAt = urlPath.indexOf('?');
  const filePart = queryAt === -1 ? urlPath : urlPath.slice(0, queryAt);
  // `font.eot?#iefix`: the '?' belongs to the fragment hack and comes back with it below.
  const hack = url.includes('?#');
  const query = queryAt === -1 || (hack && queryAt === urlPath.length - 1) ? '' : urlPath.slice(queryAt);
  if (filePart === '' || filePart.endsWith('/')) return null;
  const target = filePart.startsWith('/')
    ? filePart.slice(staticUrl.length)
    : posix.normalize(posix.join(posix.dirname(name), safeDecode(filePart)));
  const hashed = hashedNames.get(target);
  if (hashed === undefined) {
    throw new MissingReferenceError(`The file '${name}' references a file which could not be found: ${target}`);
  }
  // Keep the reference's own spelling of the folders; only the file name changes.
  const folders = filePart.split('/').slice(0, -1);
  let converted = [...folders, posix.basename(hashed)].join('/') + query;
  if (fragment !== '') converted += (hack ? '?#' : '#') + fragment;
  return converted;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
