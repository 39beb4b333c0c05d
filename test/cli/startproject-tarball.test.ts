/**
 * Issue 20, "Done when" 2. SLOW (a minute or two; npm installs from the registry cache): packs this
 * checkout (test/package/pack.ts), installs the tarball, runs its `reinhardt startproject` through
 * the package's `bin`, installs the generated project with its reinhardt dependency pointed at the
 * tarball, then runs the project's own `npm test`, `reinhardt routes` and `check`, and `npm start`
 * answers 200.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packOnce } from '../package/pack';

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
/** Without the npm_* variables of the `npm test` running this file: the child npm reads only its own config. */
const CHILD_ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = CHILD_ENV): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

describe('reinhardt startproject from the packed tarball (slow)', () => {
  const work = mkdtempSync(join(tmpdir(), 'reinhardt-newproject-'));
  const project = join(work, 'mysite');
  let tarball: string;
  let server: ChildProcess | undefined;

  afterAll(() => {
    // npm start ran in its own process group: end the group (npm, sh, node), not just npm.
    if (server?.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
  });

  test('the tarball installs and its bin creates the project', async () => {
    tarball = await packOnce();
    const tools = join(work, 'tools');
    writeFileSync(join(work, 'package.json'), '{"private": true}\n');
    const installed = await run('npm', ['install', ...NPM_FLAGS, '--prefix', tools, tarball], work);
    expect(installed.code).toBe(0);
    const created = await run(join(tools, 'node_modules', '.bin', 'reinhardt'), ['startproject', 'mysite'], work);
    expect(created).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Created the project mysite in mysite. Next:\n\n  cd mysite\n  npm install && npm start   # http://localhost:8000\n  npm test\n',
    });
  }, 5 * 60_000);

  test("npm install (reinhardt from the tarball), then the project's npm test passes", async () => {
    const pkgPath = join(project, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    pkg.dependencies.reinhardt = `file:${tarball}`;
    writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));
    const installed = await run('npm', ['install', ...NPM_FLAGS], project);
    expect({ code: installed.code, stderr: installed.stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    const tested = await run('npm', ['test'], project);
    expect({ code: tested.code, summary: /Tests:.*/.exec(tested.stderr)?.[0] }).toEqual({ code: 0, summary: 'Tests:       2 passed, 2 total' });
  }, 6 * 60_000);

  test('reinhardt routes (the TypeScript app, compiled by the project\'s SWC) and check (the built one)', async () => {
    const bin = join(project, 'node_modules', '.bin', 'reinhardt');
    expect(await run(bin, ['routes'], project)).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Method  Pattern             Name    Handler                    Guards\nGET     /                   home    HomeController.home\nGET     /static/<str:name>  static  HomeController.staticFile\n',
    });
    expect((await run('npm', ['run', 'build'], project)).code).toBe(0);
    expect(await run(bin, ['check', '--app', 'dist/src/app.js'], project)).toEqual({ code: 0, stderr: '', stdout: 'System check identified no issues (0 silenced).\n' });
  }, 3 * 60_000);

  test('reinhardt runserver (npm run dev) serves the TypeScript app, and reloads after an edit', async () => {
    const port = await freePort();
    const dev = spawn(join(project, 'node_modules', '.bin', 'reinhardt'), ['runserver', String(port)], { cwd: project, env: CHILD_ENV });
    let stdout = '';
    dev.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise((resolve) => dev.on('exit', resolve));
    const controller = join(project, 'src', 'controllers', 'home.controller.ts');
    const original = readFileSync(controller, 'utf8');
    try {
      for (let i = 0; i < 240 && !stdout.includes('Quit the server with CONTROL-C.'); i++) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await status(`http://127.0.0.1:${port}/`)).toBe(200);
      writeFileSync(controller, original.replace("@Get('/', { name: 'home' })", "@Get('/home/', { name: 'home' })"));
      for (let i = 0; i < 240 && stdout.split('Quit the server with CONTROL-C.').length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(stdout).toContain('src/controllers/home.controller.ts changed, reloading.\n');
      expect(await status(`http://127.0.0.1:${port}/home/`)).toBe(200);
    } finally {
      dev.kill('SIGTERM');
      writeFileSync(controller, original);
    }
    expect(await exited).toBe(0);
  }, 3 * 60_000);

  test('npm start answers 200', async () => {
    const port = await freePort();
    server = spawn('npm', ['start'], { cwd: project, env: { ...CHILD_ENV, PORT: String(port) }, detached: true, stdio: 'ignore' });
    let answer = 0;
    for (let i = 0; i < 240 && answer !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await status(`http://127.0.0.1:${port}/`);
    }
    expect(answer).toBe(200);
    expect(await status(`http://127.0.0.1:${port}/static/style.css`)).toBe(200);
  }, 3 * 60_000);
});
