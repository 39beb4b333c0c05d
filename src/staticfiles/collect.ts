/**
 * `collectstatic` (django/contrib/staticfiles/management/commands/collectstatic.py with
 * ManifestStaticFilesStorage and whitenoise's CompressedManifestStaticFilesStorage): copies
 * every file of `staticDirs` into `staticRoot` under its own name and under a content-hashed
 * name, rewrites CSS references to the hashed names, writes the manifest, and writes `.br` and
 * `.gz` copies beside each compressible file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve, sep } from 'node:path';
import type { Settings } from '../core/settings';
import { ImproperlyConfigured } from '../http/errors';
import { compressBeside, isCompressible } from './compress';
import { MissingReferenceError, rewriteCssReferences } from './css-references';
import { fileHash, hashedName, manifestText, MANIFEST_NAME } from './manifest';
import { scanFolder, type ScannedFile } from './scan';

/** Django's `max_post_process_passes`: CSS importing CSS settles within this many passes. */
const MAX_PASSES = 5;

export interface CollectOptions {
  /** Relative `staticDirs`/`staticRoot` are taken from here. Default: process.cwd(). */
  readonly baseDir?: string;
  /** Empty `staticRoot` first (Django's `--clear`), so files since removed do not linger. */
  readonly clear?: boolean;
  /** Where to report a skipped duplicate or a missing folder. Default: nowhere. */
  readonly warn?: (message: string) => void;
}

export interface CollectResult {
  /** `staticRoot`, absolute. */
  readonly root: string;
  /** Files copied (under their own name). */
  readonly copied: number;
  /** Files also written under a hashed name. */
  readonly postProcessed: number;
  /** The manifest's paths, plain name → hashed name. */
  readonly paths: ReadonlyMap<string, string>;
}

/** Thrown for a problem the user fixes in their files or settings; the command prints it as one line. */
export class CollectStaticError extends Error {}

interface Source extends ScannedFile {
  readonly content: Buffer;
}

/**
 * Collects the static files of `settings` into `staticRoot`.
 * @example
 * const { copied } = collectStatic(app.settings, { clear: true });
 */
export function collectStatic(settings: Readonly<Settings>, options: CollectOptions = {}): CollectResult {
  const base = options.baseDir ?? process.cwd();
  if (settings.staticRoot === null) {
    throw new ImproperlyConfigured("You're using the staticfiles app without having set the staticRoot setting to a filesystem path.");
  }
  const root = resolve(base, settings.staticRoot);
  const sources = findSources(settings.staticDirs.map((dir) => resolve(base, dir)), root, options.warn);
  const { paths, processed } = hashNames(sources, settings.staticUrl);

  if (options.clear === true && existsSync(root)) {
    for (const entry of readdirSync(root)) rmSync(join(root, entry), { recursive: true, force: true });
  }
  for (const source of sources.values()) {
    writeCollected(join(root, source.name), source.content, source.mtime);
    const hashed = paths.get(source.name) as string;
    writeCollected(join(root, hashed), processed.get(source.name) ?? source.content, source.mtime);
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, MANIFEST_NAME), manifestText(paths));
  return { root, copied: sources.size, postProcessed: paths.size, paths };
}

/** Every file of the folders by name, the first folder winning (Django's finders). */
function findSources(dirs: readonly string[], root: string, warn?: (message: string) => void): Map<string, Source> {
  const sources = new Map<string, Source>();
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      warn?.(`The directory '${dir}' in the staticDirs setting does not exist.`);
      continue;
    }
    for (const file of scanFolder(dir)) {
      // staticRoot inside a static folder: what an earlier run wrote is not a source.
      if (file.path.startsWith(root + sep)) continue;
      if (sources.has(file.name)) {
        warn?.(`Found another file with the destination path '${file.name}'. It will be ignored since only the first encountered file is collected.`);
        continue;
      }
      sources.set(file.name, { ...file, content: readFileSync(file.path) });
    }
  }
  return sources;
}

/**
 * The hashed name of every file (Django's `post_process`): other files by their content; CSS by
 * its content after its references are rewritten, pass after pass until no name changes (a CSS
 * file importing another changes when that one does). Each pass starts from the original text.
 * Returns the names and the rewritten content of each CSS file.
 */
function hashNames(sources: ReadonlyMap<string, Source>, staticUrl: string): { paths: Map<string, string>; processed: Map<string, Buffer> } {
  const names = new Map<string, string>();
  const processed = new Map<string, Buffer>();
  const sorted = [...sources.keys()].sort();
  for (const name of sorted) names.set(name, hashedName(name, fileHash(sources.get(name)!.content)));
  // Deepest first, as Django: a file usually references files in or above its folder.
  const css = sorted.filter((name) => posix.extname(name).toLowerCase() === '.css').sort((a, b) => b.split('/').length - a.split('/').length);
  const texts = new Map(css.map((name) => [name, decodeCss(name, sources.get(name)!.content)]));
  for (let pass = 0; pass <= MAX_PASSES; pass++) {
    let changed = false;
    for (const name of css) {
      let text: string;
      try {
        text = rewriteCssReferences(name, texts.get(name)!, names, staticUrl);
      } catch (error) {
        if (error instanceof MissingReferenceError) throw new CollectStaticError(error.message);
        throw error;
      }
      const content = Buffer.from(text);
      const hashed = hashedName(name, fileHash(content));
      processed.set(name, content);
      if (names.get(name) !== hashed) {
        names.set(name, hashed);
        changed = true;
      }
    }
    if (!changed) return { paths: names, processed };
  }
  throw new CollectStaticError('Max post-process passes exceeded: CSS files reference each other in a cycle.');
}

function decodeCss(name: string, content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new CollectStaticError(`The file '${name}' is not valid UTF-8; CSS references cannot be rewritten in it.`);
  }
}

/** Writes one collected file with its source's mtime, and its compressed copies. */
function writeCollected(path: string, content: Buffer, mtime: Date): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  utimesSync(path, mtime, mtime);
  if (isCompressible(path)) compressBeside(path, content, mtime);
}
