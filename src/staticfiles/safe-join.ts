/**
 * Joining a user-given path under a root without leaving it: Django's `safe_join`
 * (django/utils/_os.py). Lexical, as Django's: `..` segments and absolute parts are resolved
 * first and the result must still be the root or inside it. Symbolic links are not followed
 * (the static files middleware refuses links out of its roots when it scans them).
 */
import { dirname, resolve, sep } from 'node:path';
import { SuspiciousFileOperation } from '../http/errors';

/**
 * The absolute path of `paths` joined under `root`. Throws `SuspiciousFileOperation` (a 400 when
 * it reaches the error views; the paths are only shown with `debug`) when the result is outside
 * `root` — `'../x'`, `'/etc/passwd'`, `'a/../../x'` — or when a part holds a NUL byte, which
 * Node's `fs` would refuse later with a less useful error.
 *
 * Build a `FileResponse` from the result: a file that does not exist is then a 404 (Http404).
 * @example
 * @Get('/downloads/<path:name>')
 * download(request: HttpRequest, name: string) {
 *   return new FileResponse(safeJoin('/srv/downloads', name), { asAttachment: true });
 * }
 */
export function safeJoin(root: string, ...paths: string[]): string {
  for (const part of [root, ...paths]) {
    if (part.includes('\0')) throw new SuspiciousFileOperation('The joined path contains a NUL byte.');
  }
  // path.resolve, not path.join: like Python's os.path.join, an absolute part replaces what came
  // before it, so '/etc/passwd' cannot hide as a relative part; the check below then refuses it.
  const base = resolve(root);
  const final = resolve(base, ...paths);
  // Django's three ways in: inside (base + separator, so '/dir' does not admit '/dir2'), the
  // base itself, or a base that is the file system root.
  if (!final.startsWith(base + sep) && final !== base && dirname(base) !== base) {
    throw new SuspiciousFileOperation(`The joined path (${final}) is located outside of the base path component (${base}).`);
  }
  return final;
}
