import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `npm start` from a fresh clone (issue 26 item 4): the build compiles the app and copies its
 * templates and static files into dist/sample-app (tsc copies only code), collectstatic runs,
 * and the server answers a styled page. The clone is a temporary folder holding the files git
 * tracks (or would track: new files not ignored) that `npm start` reads, with this checkout's
 * node_modules linked in: no dist/, no sample-app/data, nothing a previous run left behind.
 */
const REPO_ROOT = join(__dirname, '..', '..');
/** What the build and the server read: package.json (the scripts), the tsconfigs and the sources. */
const NEEDED = /^(package\.json|tsconfig(\.build)?\.json|scripts\/|src\/|decorators\/|sample-app\/)/;

let clone: string;
let child: ChildProcess | undefined;

function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-clone-'));
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  for (const file of listed.split('\0')) {
    // A file deleted from the working tree but still in git's index is not part of the next clone.
    if (!NEEDED.test(file) || !existsSync(join(REPO_ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(dir, file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** What the server wrote to stderr so far: the framework's log records (issue 23 item 7). */
let serverStderr = '';

/** Runs `npm start` in `cwd` until it prints the URL it serves. */
function npmStart(cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, so the test can stop npm and the node server under it together.
    child = spawn('npm', ['start'], {
      cwd,
      detached: true,
      // A clean environment: no SECRET_KEY, DEBUG or PORT of the machine running the tests.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      const started = /Polls at (http:\/\/localhost:\d+\/)/.exec(output);
      if (started) resolve(started[1]);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.stderr!.on('data', (chunk: Buffer) => (serverStderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code} before serving:\n${output}`)));
  });
}

afterAll(() => {
  // The process group this test started (npm, the build steps, the server).
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  if (clone) rmSync(clone, { recursive: true, force: true });
});

test('npm start from a fresh clone builds, collects and serves the styled poll list', async () => {
  clone = freshClone();
  const url = await npmStart(clone);

  expect(existsSync(join(clone, 'dist', 'sample-app', 'templates', 'base.html'))).toBe(true);
  expect(existsSync(join(clone, 'dist', 'sample-app', 'static', 'css', 'site.css'))).toBe(true);
  // The database and the key live in the clone's sample-app/data, outside dist/ (which each build empties).
  expect(existsSync(join(clone, 'sample-app', 'data', 'db.sqlite3'))).toBe(true);
  expect(existsSync(join(clone, 'dist', 'sample-app', 'data'))).toBe(false);

  const page = await fetch(`${url}polls/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<h1>Latest polls</h1>');
  const stylesheet = /<link rel="stylesheet" href="(\/static\/css\/site\.[0-9a-f]{12}\.css)">/.exec(html);
  expect(stylesheet).not.toBeNull();

  const css = await fetch(new URL(stylesheet![1], url));
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  expect(css.headers.get('cache-control')).toBe('max-age=31536000, immutable');
  const source = readFileSync(join(REPO_ROOT, 'sample-app', 'static', 'css', 'site.css'), 'utf8');
  // The collected copy is the source with its url() pointing at the logo's hashed name.
  const body = await css.text();
  expect(body).toMatch(/url\("\.\.\/img\/logo\.[0-9a-f]{12}\.svg"\)/);
  expect(body.replace(/logo\.[0-9a-f]{12}\.svg/, 'logo.svg')).toBe(source);

  // On stderr, as JSON lines (DEBUG is off): where it listens, then one access-log record per
  // request (npm start turns accessLog on), with Django's runserver line as the message.
  const port = new URL(url).port;
  await new Promise((resolve) => setTimeout(resolve, 100));
  const records = serverStderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  // No host given: Node listens on every interface, `::` (or `0.0.0.0` on a machine without IPv6).
  const address = records[0]?.address as string;
  expect(address).toMatch(new RegExp(`^http://(\\[::\\]|0\\.0\\.0\\.0):${port}/$`));
  expect(records[0]).toEqual({ level: 'info', time: expect.any(Number), name: 'reinhardt.server', address, mode: 'production', msg: `Listening at ${address} (production)` });
  expect(records.slice(1).map((record) => record.msg)).toEqual([
    // The bytes sent: gzipped (fetch asks for it), as each response's Content-Length says.
    `"GET /polls/ HTTP/1.1" 200 ${page.headers.get('content-length')}`,
    `"GET ${stylesheet![1]} HTTP/1.1" 200 ${css.headers.get('content-length')}`,
  ]);
  expect(records[1]).toMatchObject({ name: 'reinhardt.server', method: 'GET', path: '/polls/', status: 200 });
}, 120_000);
