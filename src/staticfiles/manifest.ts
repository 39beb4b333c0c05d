/**
 * The manifest `collectstatic` writes into `staticRoot` and everything else reads: Django's
 * `ManifestFilesMixin` (django/contrib/staticfiles/storage.py) — `staticfiles.json`, holding
 * `{"paths": {plain name: hashed name}, "version": "1.1", "hash": <12 hex>}` — and the hashed
 * file names, `name.<first 12 hex of the content's MD5>.ext` (HashedFilesMixin.hashed_name).
 * The JSON is written byte for byte as Python's `json.dumps` writes it, so a manifest made by
 * Django and one made here read the same and hash the same.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ImproperlyConfigured } from '../http/errors';

export const MANIFEST_NAME = 'staticfiles.json';
export const MANIFEST_VERSION = '1.1';

/** Django's `file_hash`: the first 12 hex digits of the content's MD5 (a name, not a secret). */
export function fileHash(content: Buffer | string): string {
  return createHash('md5').update(content).digest('hex').slice(0, 12);
}

/**
 * `dir/name.ext` → `dir/name.<hash>.ext` (Django's `hashed_name`: the last extension only,
 * so `app.min.js` becomes `app.min.<hash>.js`; a name without one gets the hash at its end).
 * @example hashedName('css/site.css', 'a1b2c3d4e5f6') // 'css/site.a1b2c3d4e5f6.css'
 */
export function hashedName(name: string, hash: string): string {
  const dir = posix.dirname(name);
  const ext = posix.extname(name);
  const stem = posix.basename(name, ext);
  const file = `${stem}.${hash}${ext}`;
  return dir === '.' ? file : `${dir}/${file}`;
}

/** Removes a `.<12 hex>` before the extension (whitenoise's `get_name_without_hash`), else returns the name. */
export function nameWithoutHash(name: string): string {
  return name.replace(/\.[0-9a-f]{12}(\.[^./]*)?$/, '$1');
}

/** Python's `json.dumps` for a string: ASCII only, `\uXXXX` escapes, `", "` and `": "` separators around it. */
function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The manifest's text, as Django's `save_manifest` writes it. */
export function manifestText(paths: ReadonlyMap<string, string>): string {
  // Django: md5 of json.dumps(sorted(hashed_files.items())), a list of [name, hashed] pairs.
  const sorted = [...paths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = fileHash(`[${sorted.map(([a, b]) => `[${pythonJsonString(a)}, ${pythonJsonString(b)}]`).join(', ')}]`);
  const entries = [...paths].map(([a, b]) => `${pythonJsonString(a)}: ${pythonJsonString(b)}`).join(', ');
  return `{"paths": {${entries}}, "version": "${MANIFEST_VERSION}", "hash": "${hash}"}`;
}

/**
 * The `paths` of `root`'s manifest, or null when there is none (collectstatic has not run).
 * Throws ImproperlyConfigured for a manifest that cannot be read, as Django's `load_manifest`
 * raises: serving stale or half-written names silently would be worse.
 */
export function readManifest(root: string): Map<string, string> | null {
  let text: string;
  try {
    text = readFileSync(join(root, MANIFEST_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    stored = null;
  }
  const record = stored as { version?: unknown; paths?: unknown } | null;
  if (record !== null && typeof record === 'object' && (record.version === '1.0' || record.version === '1.1')) {
    const paths = record.paths ?? {};
    if (typeof paths === 'object' && paths !== null && Object.values(paths).every((v) => typeof v === 'string')) {
      return new Map(Object.entries(paths as Record<string, string>));
    }
  }
  throw new ImproperlyConfigured(`Couldn't load manifest '${join(root, MANIFEST_NAME)}' (version ${MANIFEST_VERSION}).`);
}

/**
 * The hashed names a manifest vouches for: each value whose name, without its hash, is the key
 * it is stored under (whitenoise's `immutable_file_test`). Only these are cached for a year.
 */
export function immutableNames(paths: ReadonlyMap<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [plain, hashed] of paths) {
    if (hashed !== plain && nameWithoutHash(hashed) === plain) names.add(hashed);
  }
  return names;
}
