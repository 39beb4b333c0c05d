/**
 * The package as a user receives it: this repository packed with `npm pack`, once per test run.
 *
 * `packOnce()` returns the path of `reinhardt-<version>.tgz`. `npm pack` runs the `prepare`
 * script (the build) first, exactly as publishing does. The tarball is kept under the OS
 * temporary folder in a folder named after a hash of everything that goes into it (package.json,
 * the tsconfigs, README.md, LICENSE, scripts/, src/, decorators/), so the test files of one jest
 * run, in whichever worker, share one pack, and a later run packs again only when a source
 * changed. Packing rebuilds this checkout's dist/, so two packs never run at once: a lock folder
 * (holding the packer's pid; a dead packer's lock is taken over) serialises them across workers.
 *
 * @example
 * import { packOnce } from '../package/pack';
 * const tarball = await packOnce(); // '/tmp/reinhardt-pack-<hash>/reinhardt-0.1.0.tgz'
 * execFileSync('npm', ['install', tarball], { cwd: emptyProjectDir });
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = join(__dirname, '..', '..');

/** What the tarball is built from; any change to these packs again. */
const INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'scripts', 'src', 'decorators'];
const LOCK = join(tmpdir(), 'reinhardt-pack.lock');
/** A pack (build included) takes seconds; a lock held longer than this by a live pid is a bug. */
const LOCK_WAIT_MS = 5 * 60_000;

const run = promisify(execFile);
let memo: Promise<string> | undefined;

/** The tarball of this checkout as it is now; packs at most once per content. */
export function packOnce(): Promise<string> {
  memo ??= packUnderLock();
  return memo;
}

function inputsHash(): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    const full = join(REPO_ROOT, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) add(join(path, name));
      return;
    }
    hash.update(`${relative(REPO_ROOT, full)}\0`).update(readFileSync(full)).update('\0');
  };
  for (const input of INPUTS) add(input);
  return hash.digest('hex').slice(0, 20);
}

function tarballIn(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  return name === undefined ? null : join(dir, name);
}

async function packUnderLock(): Promise<string> {
  const dir = join(tmpdir(), `reinhardt-pack-${inputsHash()}`);
  const ready = tarballIn(dir);
  if (ready !== null) return ready;
  await takeLock();
  try {
    // Another worker may have packed while this one waited.
    const packed = tarballIn(dir);
    if (packed !== null) return packed;
    const staging = `${dir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', staging], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    renameSync(staging, dir);
    pruneOldPacks(dir);
    return join(dir, filename);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Removes packs of earlier sources, once an hour old: a run started before may still use one. */
function pruneOldPacks(current: string): void {
  const hourAgo = Date.now() - 60 * 60_000;
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith('reinhardt-pack-') || path === current || path === LOCK) continue;
    try {
      if (statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another run's prune.
    }
  }
}

async function takeLock(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive()) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`npm pack lock ${LOCK} held for over ${LOCK_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // Created but the pid not written yet: the holder is writing it, unless that was long ago.
    try {
      return Date.now() - statSync(LOCK).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
