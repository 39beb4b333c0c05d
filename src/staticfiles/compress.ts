/**
 * The `.br` and `.gz` copies `collectstatic` writes beside each compressible file (whitenoise's
 * compress.py, CompressedManifestStaticFilesStorage): Brotli at its best quality and gzip at
 * level 9, each kept only when it is at most 95% of the original's size (not worth a `Vary`
 * otherwise), with the original's modification time.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Already-compressed formats (whitenoise's SKIP_COMPRESS_EXTENSIONS): compressing again only wastes time. */
const SKIP_EXTENSIONS = new Set([
  'jpg', 'jpeg', 'png', 'gif', 'webp', 'avif', 'zip', 'gz', 'tgz', 'bz2', 'tbz', 'xz', 'br', 'zst', 'swf', 'flv', 'woff', 'woff2',
  '3gp', '3gpp', 'asf', 'avi', 'm4v', 'mov', 'mp4', 'mpeg', 'mpg', 'webm', 'wmv', 'mp3', 'ogg', 'opus',
]);

/** whitenoise's `is_compressed_effectively`: at most 95% of the original. */
const MAX_RATIO = 0.95;

/** Whether `name` is worth compressing (by extension). */
export function isCompressible(name: string): boolean {
  return !SKIP_EXTENSIONS.has(extname(name).slice(1).toLowerCase());
}

/**
 * Gzip with the header's MTIME 0 (RFC 1952 §2.3.1: "no time stamp is available"), which is what
 * node:zlib writes, so the same input always gives the same bytes (reproducible builds, stable
 * ETags across machines).
 */
export function gzipBytes(data: Buffer): Buffer {
  return gzipSync(data, { level: 9 });
}

export function brotliBytes(data: Buffer): Buffer {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

/**
 * Writes `path.br` and `path.gz` for `data` (the content of `path`) when they are small enough;
 * returns the suffixes written; older copies are removed. Brotli first: when it does not pay, gzip will not either.
 * @example compressBeside('/srv/staticfiles/css/site.css', css, mtime) // ['.br', '.gz']
 */
export function compressBeside(path: string, data: Buffer, mtime: Date): string[] {
  // A copy left by an earlier run would be served for the new content: remove it first.
  rmSync(`${path}.br`, { force: true });
  rmSync(`${path}.gz`, { force: true });
  const written: string[] = [];
  if (data.length === 0) return written;
  const limit = data.length * MAX_RATIO;
  const br = brotliBytes(data);
  if (br.length > limit) return written;
  writeCopy(`${path}.br`, br, mtime);
  written.push('.br');
  const gz = gzipBytes(data);
  if (gz.length <= limit) {
    writeCopy(`${path}.gz`, gz, mtime);
    written.push('.gz');
  }
  return written;
}

function writeCopy(path: string, data: Buffer, mtime: Date): void {
  writeFileSync(path, data);
  utimesSync(path, mtime, mtime);
}
