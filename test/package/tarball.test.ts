/**
 * Issue 20, "Done when" 1. SLOW (about a minute and a half; it needs the npm registry): packs
 * the project with `npm pack`, installs the tarball into an empty temporary folder with npm as a
 * user would, type-checks a consumer app under the strictest flags (skipLibCheck off, strict,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess, noPropertyAccessFromIndexSignature, and
 * verbatimModuleSyntax for the ES module) with @types/node 20 and then the newest (and with
 * TypeScript 5 besides this repository's TypeScript), runs it, answers a real HTTP request, and
 * runs the consumer's own jest test with the `Client`; once for a CommonJS consumer and once for
 * an ES-module one. The consumers are in fixtures/; their tests are *.spec.ts, which this
 * repository's jest does not collect.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packOnce, REPO_ROOT } from './pack';

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const INSTALL_TIMEOUT = 5 * 60_000;
const STEP_TIMEOUT = 2 * 60_000;

/**
 * The child's environment without the `npm_*` variables of the `npm test` that runs this file:
 * npm passes its config to scripts that way, and the consumer's npm must read only its own.
 */
const CHILD_ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: CHILD_ENV, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every copy of `name` installed under `dir`/node_modules, nested ones included. */
function copiesOf(dir: string, name: string): string[] {
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) return [];
  const found = existsSync(join(modules, name, 'package.json')) ? [join(modules, name)] : [];
  for (const entry of readdirSync(modules)) {
    const scoped = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((inner) => join(entry, inner)) : [entry];
    for (const pkg of scoped) found.push(...copiesOf(join(modules, pkg), name));
  }
  return found;
}

function installedVersion(dir: string, name: string): string {
  return (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Starts `node script` in `cwd` and resolves with the port it prints ("listening on N"). */
function startServer(cwd: string, script: string): Promise<{ port: number; stop: () => Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [script], { cwd, env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listening on (\d+)/.exec(output);
      if (m === null) return;
      clearTimeout(timer);
      resolve({
        port: Number(m[1]),
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
}

let tarball: string;
let tarballFiles: string[];
/** The tarball unpacked: its files are under `unpacked/package/`. */
let unpacked: string;

beforeAll(async () => {
  tarball = await packOnce();
  const listed = await run('tar', ['-tzf', tarball], REPO_ROOT);
  expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
  tarballFiles = listed.stdout.split('\n').filter((line) => line !== '').map((line) => line.replace(/^package\//, ''));
  unpacked = mkdtempSync(join(tmpdir(), 'reinhardt-unpacked-'));
  const extracted = await run('tar', ['-xzf', tarball, '-C', unpacked], REPO_ROOT);
  expect(extracted).toEqual({ code: 0, stdout: '', stderr: '' });
}, STEP_TIMEOUT);

afterAll(() => {
  // Unset when beforeAll failed before unpacking.
  if (unpacked !== undefined) rmSync(unpacked, { recursive: true, force: true });
});

describe('npm pack (slow)', () => {
  test('ships the compiled code, its declarations and maps, the sources they map to, README, LICENSE, and nothing else', () => {
    const allowed = /^(LICENSE|README\.md|package\.json|(dist\/)?(src|decorators)\/.+)$/;
    expect(tarballFiles.filter((file) => !allowed.test(file))).toEqual([]);
    expect(tarballFiles.filter((file) => /^(dist\/)?(test|bench|sample-app|docs|scripts)\//.test(file))).toEqual([]);
    expect(tarballFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/index.d.ts.map']));
  });

  test('every TypeScript source file is shipped compiled, with its declaration and declaration map', () => {
    const sources = tarballFiles.filter((file) => /^(src|decorators)\/.+(?<!\.d)\.ts$/.test(file));
    expect(sources.length).toBeGreaterThan(50);
    const shipped = new Set(tarballFiles);
    const missing = sources.flatMap((source) => {
      const base = `dist/${source.slice(0, -'.ts'.length)}`;
      return [`${base}.js`, `${base}.d.ts`, `${base}.d.ts.map`].filter((file) => !shipped.has(file));
    });
    expect(missing).toEqual([]);
  });

  test('every source map and declaration map leads to a source file in the tarball', () => {
    const maps = tarballFiles.filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(100);
    const unresolved = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(unpacked, 'package', map), 'utf8')) as { sources: string[] };
      return sources.map((source) => join(dirname(map), source)).filter((source) => !existsSync(join(unpacked, 'package', source)));
    });
    expect(unresolved).toEqual([]);
  });

  test('main, types, the exports map and bin point at files in the tarball', () => {
    const packed = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      exports: { '.': { types: string; default: string } };
      bin?: Record<string, string>;
    };
    const inTarball = (path: string): boolean => tarballFiles.includes(path.replace(/^\.\//, ''));
    const entries = [packed.main, packed.types, packed.exports['.'].types, packed.exports['.'].default, ...Object.values(packed.bin ?? {})];
    expect(entries.filter((path) => !inTarball(path))).toEqual([]);
    expect(packed.types).toBe('./dist/src/index.d.ts');
  });
});

describe.each([
  { kind: 'a CommonJS', fixture: 'cjs' },
  { kind: 'an ES-module', fixture: 'esm' },
])('$kind consumer app installed from the tarball (slow)', ({ fixture }) => {
  let root: string;
  let app: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), `reinhardt-consumer-${fixture}-`));
    app = join(root, 'app');
    cpSync(join(__dirname, 'fixtures', fixture), app, { recursive: true });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('installs with npm, the peers tsyringe and reflect-metadata as single copies shared with the framework', async () => {
    const peers = ['tsyringe', 'reflect-metadata'].map((name) => `${name}@${PACKAGE.peerDependencies[name]}`);
    const runtime = await run('npm', ['install', ...NPM_FLAGS, tarball, ...peers], app);
    expect({ code: runtime.code, stderr: runtime.stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    const dev = ['typescript', 'jest', '@types/jest', '@swc/core', '@swc/jest'].map((name) => `${name}@${PACKAGE.devDependencies[name]}`);
    const tools = await run('npm', ['install', '--save-dev', ...NPM_FLAGS, '@types/node@20', ...dev], app);
    expect({ code: tools.code, stderr: tools.stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });

    expect(installedVersion(app, 'reinhardt')).toBe(PACKAGE.version);
    // Two copies of tsyringe are two DI registries: the framework's middleware would be unknown
    // to the app's container ("TypeInfo not known for AuthenticationMiddleware").
    expect(copiesOf(app, 'tsyringe')).toEqual([join(app, 'node_modules', 'tsyringe')]);
    expect(copiesOf(app, 'reflect-metadata')).toEqual([join(app, 'node_modules', 'reflect-metadata')]);
  }, INSTALL_TIMEOUT);

  test('type-checks under the strict flags with @types/node 20', async () => {
    expect(installedVersion(app, '@types/node')).toMatch(/^20\./);
    const checked = await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--noEmit'], app);
    expect({ code: checked.code, errors: checked.stdout }).toEqual({ code: 0, errors: '' });
  }, STEP_TIMEOUT);

  test('type-checks and builds under the strict flags with the newest @types/node', async () => {
    const newest = await run('npm', ['install', '--save-dev', ...NPM_FLAGS, '@types/node@latest'], app);
    expect({ code: newest.code, stderr: newest.stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    expect(Number(installedVersion(app, '@types/node').split('.')[0])).toBeGreaterThan(20);
    const built = await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);
    expect({ code: built.code, errors: built.stdout }).toEqual({ code: 0, errors: '' });
  }, INSTALL_TIMEOUT);

  test('runs, answers a real HTTP request, and stops on SIGTERM', async () => {
    const server = await startServer(app, join('dist', 'src', 'main.js'));
    let exitCode: number | null;
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/hello/ada/?lang=fr`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe('{"greeting":"Hello, ada!","lang":"fr"}');
    } finally {
      exitCode = await server.stop();
    }
    expect({ exitCode, output: server.output() }).toEqual({ exitCode: 0, output: expect.stringMatching(/listening on \d+/) });
  }, STEP_TIMEOUT);

  if (fixture === 'esm') {
    test('an ES module imports every name that require() gives', async () => {
      const ran = await run(process.execPath, [join('dist', 'src', 'named-exports.js')], app);
      expect(ran).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    }, STEP_TIMEOUT);
  }

  test('type-checks under the strict flags with TypeScript 5 as well', async () => {
    const older = await run('npm', ['install', '--save-dev', ...NPM_FLAGS, 'typescript@5'], app);
    expect({ code: older.code, stderr: older.stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    expect(installedVersion(app, 'typescript')).toMatch(/^5\./);
    const checked = await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--noEmit'], app);
    expect({ code: checked.code, errors: checked.stdout }).toEqual({ code: 0, errors: '' });
  }, INSTALL_TIMEOUT);

  test("the consumer's own jest test passes, using the Client", async () => {
    const tested = await run(join(app, 'node_modules', '.bin', 'jest'), ['--ci'], app);
    expect({ code: tested.code, output: tested.stderr }).toEqual({
      code: 0,
      output: expect.stringContaining('Tests:       3 passed, 3 total'),
    });
  }, STEP_TIMEOUT);
});
