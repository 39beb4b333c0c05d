/**
 * The Content-Type of a file from its name, as Django's `FileResponse.set_headers` finds it:
 * Python's `mimetypes.guess_type` (CPython Lib/mimetypes.py), then a compressed file served as
 * its compression's type. The types come from mime-types (mime-db, the IANA registry and the
 * Apache and nginx tables); the suffix and encoding rules, and the few types where Python's
 * table says something else that matters, are Python's.
 *
 * A compressed file is never given `Content-Encoding`: a browser would decompress it on the fly
 * and save `report.tar` under the name `report.tar.gz` (Django ticket #30196, Django 4.2's
 * `br` and `compress`, ticket #34380).
 */

/** CPython's `_suffix_map_default`: names that stand for a compressed tar (`.tgz` is `.tar.gz`). */
const SUFFIX_MAP: ReadonlyMap<string, string> = new Map([
  ['.svgz', '.svg.gz'],
  ['.tgz', '.tar.gz'],
  ['.taz', '.tar.gz'],
  ['.tz', '.tar.gz'],
  ['.tbz2', '.tar.bz2'],
  ['.txz', '.tar.xz'],
]);

/**
 * CPython's `_encodings_map_default` (matched case-sensitively there: `.Z` is compress, `.z` is
 * not), each with the type Django's FileResponse serves it as.
 */
const COMPRESSED_TYPES: ReadonlyMap<string, string> = new Map([
  ['.gz', 'application/gzip'],
  ['.Z', 'application/x-compress'],
  ['.bz2', 'application/x-bzip'],
  ['.xz', 'application/x-xz'],
  ['.br', 'application/x-brotli'],
]);

/**
 * Where CPython's `_types_map_default` and mime-db disagree on a name a Django user serves:
 * Python's own files, which mime-db does not know (`.py`) or gives another format's type
 * (`.pyo`, mime-db: `model/vnd.pytha.pyox`). Elsewhere mime-db is the newer of the two
 * (`.js` is `text/javascript` in both since Python 3.12) and is kept.
 */
const PYTHON_TYPES: ReadonlyMap<string, string> = new Map([
  ['.py', 'text/x-python'],
  ['.pyc', 'application/x-python-code'],
  ['.pyo', 'application/x-python-code'],
]);

/** Python's `os.path.splitext`: the last `.suffix` of the base name, leading dots not counting. */
function splitExt(name: string): [string, string] {
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  if (dot <= slash + 1) return [name, ''];
  // `..x` or `.x` alone is a hidden file's name, not an extension.
  for (let i = slash + 1; i < dot; i++) if (name.charCodeAt(i) !== 0x2e) return [name.slice(0, dot), name.slice(dot)];
  return [name, ''];
}

let lookup: ((name: string) => string | false) | undefined;

/**
 * The type of a file named `name`, or undefined when nothing is known of it (Django then sends
 * `application/octet-stream`). mime-types is loaded on the first call (its table is ~3 MB).
 *
 * @example
 * guessContentType('report.pdf')      // 'application/pdf'
 * guessContentType('views.py')        // 'text/x-python'
 * guessContentType('backup.tar.gz')   // 'application/gzip' (never Content-Encoding: gzip)
 * guessContentType('README')          // undefined
 */
export function guessContentType(name: string): string | undefined {
  let [base, ext] = splitExt(name);
  for (let mapped = SUFFIX_MAP.get(ext.toLowerCase()); mapped !== undefined; mapped = SUFFIX_MAP.get(ext.toLowerCase())) {
    [base, ext] = splitExt(base + mapped);
  }
  const compressed = COMPRESSED_TYPES.get(ext);
  if (compressed !== undefined) return compressed;
  if (ext === '') return undefined;
  const lower = ext.toLowerCase();
  const python = PYTHON_TYPES.get(lower);
  if (python !== undefined) return python;
  lookup ??= (require('mime-types') as typeof import('mime-types')).lookup;
  return lookup(lower) || undefined;
}
