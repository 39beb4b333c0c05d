/**
 * The served files, knowing no framework settings (whitenoise's base.py): folders are scanned
 * once into a Map from URL path to a {@link StaticFile}, whose variants (the file, and its `.br`
 * and `.gz` beside it) carry their headers ready-made. Serving is then one Map lookup and one
 * `FileResponse` over a header list copied whole.
 */
import { ResponseHeaders } from '../http/response-headers';
import { FileResponse } from '../http/file-response';
import { guessContentType } from '../http/guess-content-type';
import { scanFolder, type ScannedFile } from './scan';

/** One way to send a file: the file itself or a compressed copy, with its headers precomputed. */
export interface StaticVariant {
  readonly path: string;
  /** `br`, `gzip`, or null for the file as it is. */
  readonly encoding: string | null;
  readonly stats: { readonly size: number; readonly mtime: Date };
  /** Content-Type, Cache-Control, Vary, Content-Encoding, Access-Control-Allow-Origin. */
  readonly headers: ResponseHeaders;
}

/** A servable file: the identity variant and the encoded ones, smallest first. */
export interface StaticFile {
  readonly identity: StaticVariant;
  readonly encoded: readonly StaticVariant[];
}

/** How the table labels a file; the middleware turns settings into these (whitenoise's middleware.py). */
export interface StaticTableOptions {
  /** Seconds for `Cache-Control: max-age` on files that are not immutable. */
  readonly maxAge: number;
  /** Whether a name (under its folder) is a hashed name the manifest vouches for. */
  readonly isImmutable: (name: string) => boolean;
}

/** A year: the value issue 21 asks for, and the most RFC 2616 §14.21 advised for a far-future date. */
export const IMMUTABLE_CACHE_CONTROL = 'max-age=31536000, immutable';

const ENCODINGS: readonly (readonly [suffix: string, encoding: string])[] = [
  ['.br', 'br'],
  ['.gz', 'gzip'],
];

/**
 * The table of served files.
 * @example
 * const table = new StaticFileTable({ maxAge: 60, isImmutable: () => false });
 * table.addFolder('/srv/app/staticfiles', '/static/');
 * table.get('/static/css/site.css')?.identity.headers.get('content-type') // 'text/css; charset=utf-8'
 */
export class StaticFileTable {
  private readonly files = new Map<string, StaticFile>();

  constructor(private readonly options: StaticTableOptions) {}

  /** The file served at `urlPath` (a decoded request path), or undefined. */
  get(urlPath: string): StaticFile | undefined {
    return this.files.get(urlPath);
  }

  /**
   * Adds every file under `root` at `prefix` + its name. A name already in the table is kept
   * unless `override` (the first folder given wins, as Django's finders; a debug `staticDirs`
   * copy overrides the collected one, as whitenoise's `use_finders`).
   */
  addFolder(root: string, prefix: string, override = false): void {
    const scanned = scanFolder(root);
    const byName = new Map<string, ScannedFile>();
    for (const file of scanned) byName.set(file.name, file);
    for (const file of scanned) {
      const suffix = file.name.slice(-3);
      // A compressed copy beside its original is a variant of it, not a file of its own.
      if ((suffix === '.gz' || suffix === '.br') && byName.has(file.name.slice(0, -3))) continue;
      const url = prefix + file.name;
      if (!override && this.files.has(url)) continue;
      this.files.set(url, this.staticFile(file, byName));
    }
  }

  private staticFile(file: ScannedFile, byName: ReadonlyMap<string, ScannedFile>): StaticFile {
    const immutable = this.options.isImmutable(file.name);
    const encoded: StaticVariant[] = [];
    for (const [suffix, encoding] of ENCODINGS) {
      const copy = byName.get(file.name + suffix);
      if (copy !== undefined && copy.size < file.size) encoded.push(this.variant(file, copy, encoding, immutable, true));
    }
    encoded.sort((a, b) => a.stats.size - b.stats.size);
    return { identity: this.variant(file, file, null, immutable, encoded.length > 0), encoded };
  }

  private variant(original: ScannedFile, file: ScannedFile, encoding: string | null, immutable: boolean, vary: boolean): StaticVariant {
    const headers = new ResponseHeaders();
    headers.set('Content-Type', contentTypeFor(original.name));
    headers.set('Cache-Control', immutable ? IMMUTABLE_CACHE_CONTROL : `max-age=${this.options.maxAge}, public`);
    // Only a file with compressed copies varies by Accept-Encoding (whitenoise adds it then).
    if (vary) headers.set('Vary', 'Accept-Encoding');
    if (encoding !== null) headers.set('Content-Encoding', encoding);
    // Public files, so safe to share (whitenoise's allow_all_origins default): web fonts served
    // from a CDN's origin then still load in Firefox.
    headers.set('Access-Control-Allow-Origin', '*');
    return { path: file.path, encoding, stats: { size: file.size, mtime: file.mtime }, headers };
  }
}

/**
 * The response for one variant: FileResponse with the scan's stats (no `stat` per request) and
 * the variant's headers. ETag is the variant's own, so a gzip copy and the file never share a
 * strong validator (RFC 9110 §8.8.3). No Content-Disposition: the browser shows the file.
 */
export function variantResponse(variant: StaticVariant): FileResponse {
  const response = new FileResponse(variant.path, { headers: variant.headers, stats: variant.stats });
  response.headers.delete('content-disposition');
  return response;
}

/**
 * The smallest variant `acceptEncoding` allows (RFC 9110 §12.5.3: `q=0` refuses, `*` stands
 * for any coding not named), else the file itself.
 */
export function chooseVariant(file: StaticFile, acceptEncoding: string | undefined): StaticVariant {
  if (acceptEncoding === undefined || acceptEncoding === '' || file.encoded.length === 0) return file.identity;
  for (const variant of file.encoded) {
    if (accepts(acceptEncoding, variant.encoding as string)) return variant;
  }
  return file.identity;
}

function accepts(header: string, coding: string): boolean {
  let wildcard = false;
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (name !== coding && name !== '*') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key.trim().toLowerCase() === 'q') q = Number(value);
    }
    const acceptable = Number.isFinite(q) && q > 0;
    if (name === coding) return acceptable;
    wildcard = acceptable;
  }
  return wildcard;
}

/**
 * The Content-Type FileResponse guesses for the name (`archive.tar.gz` is application/gzip, never
 * Content-Encoding: only a `.gz` beside its original is an encoding of it), with
 * `charset=utf-8` for text as whitenoise adds; else octet-stream.
 */
function contentTypeFor(name: string): string {
  const type = guessContentType(name);
  return (type && (require('mime-types') as typeof import('mime-types')).contentType(type)) || 'application/octet-stream';
}
