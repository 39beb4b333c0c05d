/**
 * The one walk over a static folder, shared by the middleware (when the app starts, then never
 * again: whitenoise's `scantree`, so a request is a Map lookup and never a disk probe) and by
 * `collectstatic`. What it leaves out can never be served or collected, whatever URL asks:
 * - anything reached through a symbolic link that leads outside the folder (after resolving it);
 * - names holding a backslash or a NUL (a `..\` cannot become a path on any platform);
 * - Django's default ignore patterns (`.*`, `*~`, `CVS`): dot-files such as `.env` or `.git`
 *   are never static files (django/contrib/staticfiles/apps.py, `ignore_patterns`).
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** One file found: its name under the folder (`/`-separated), its path on disk and its stats. */
export interface ScannedFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
}

function ignored(entry: string): boolean {
  return entry.startsWith('.') || entry.endsWith('~') || entry === 'CVS' || entry.includes('\\') || entry.includes('\0');
}

/**
 * Every regular file under `root`, by `/`-separated name, in a stable (sorted) order. A root
 * that does not exist gives an empty list. Links are followed only while they stay inside the
 * root's real path; each real folder is walked once, so a link loop ends.
 * @example scanFolder('/srv/app/static').map((f) => f.name) // ['css/site.css', 'img/logo.png']
 */
export function scanFolder(root: string): ScannedFile[] {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return [];
  }
  const files: ScannedFile[] = [];
  walk(realRoot, realRoot, '', files, new Set([realRoot]));
  return files;
}

function walk(realRoot: string, dir: string, prefix: string, files: ScannedFile[], seen: Set<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return; // unreadable folder: nothing in it can be served
  }
  for (const entry of entries) {
    if (ignored(entry)) continue;
    let path = join(dir, entry);
    let stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats === undefined) continue;
    if (stats.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(path);
      } catch {
        continue; // dangling link
      }
      if (!target.startsWith(realRoot + sep)) continue; // a link out of the root is never served
      path = target;
      stats = statSync(path, { throwIfNoEntry: false });
      if (stats === undefined) continue;
    }
    const name = prefix + entry;
    if (stats.isDirectory()) {
      if (seen.has(path)) continue;
      seen.add(path);
      walk(realRoot, path, `${name}/`, files, seen);
    } else if (stats.isFile()) {
      files.push({ name, path, size: stats.size, mtime: stats.mtime });
    }
  }
}
