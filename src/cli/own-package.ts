/** This package's own package.json: its version (runserver's banner) and the versions startproject pins. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OwnPackage {
  readonly version: string;
  /** Every dependency, dev dependency and peer, by name. */
  readonly versions: Readonly<Record<string, string>>;
}

let cached: OwnPackage | undefined;

/**
 * Reads the nearest package.json above this file: the repository's from src/, the installed
 * package's from dist/src/.
 * @example ownPackage().version // '0.1.0'
 */
export function ownPackage(): OwnPackage {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  cached = { version: pkg.version, versions: { ...pkg.devDependencies, ...pkg.dependencies, ...pkg.peerDependencies } };
  return cached;
}
