/**
 * What the static settings mean, worked out once per settings object: the URL prefix to serve,
 * the folders, and the manifest (read once — restart after `collectstatic`, as Django and
 * whitenoise ask). The `static()` helper, the Nunjucks global and the middleware share it.
 */
import { resolve } from 'node:path';
import type { Settings } from '../core/settings';
import { readManifest } from './manifest';

export interface StaticStorage {
  /** The URL path the files are served under: `staticUrl`, or its path when it is absolute. */
  readonly prefix: string;
  /** `staticRoot` made absolute, or null. */
  readonly root: string | null;
  /** `staticDirs` made absolute, in order. */
  readonly dirs: readonly string[];
  /** The manifest's paths (plain name → hashed name), or null without one. Read on first use. */
  readonly manifest: ReadonlyMap<string, string> | null;
}

const storages = new WeakMap<object, StaticStorage>();

/** The storage for `settings`, made on first use. */
export function staticStorage(settings: Readonly<Settings>): StaticStorage {
  let storage = storages.get(settings);
  if (storage === undefined) {
    storage = makeStorage(settings);
    storages.set(settings, storage);
  }
  return storage;
}

function makeStorage(settings: Readonly<Settings>): StaticStorage {
  const root = settings.staticRoot === null ? null : resolve(settings.staticRoot);
  let manifest: ReadonlyMap<string, string> | null | undefined;
  return {
    prefix: urlPath(settings.staticUrl),
    root,
    dirs: settings.staticDirs.map((dir) => resolve(dir)),
    get manifest() {
      if (manifest === undefined) manifest = root === null ? null : readManifest(root);
      return manifest;
    },
  };
}

/** `/static/` as it is; the path of `https://cdn.example.com/static/` (whitenoise serves that path too). */
function urlPath(staticUrl: string): string {
  return staticUrl.startsWith('/') && !staticUrl.startsWith('//') ? staticUrl : new URL(staticUrl, 'http://x').pathname;
}
