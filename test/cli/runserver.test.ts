/**
 * `reinhardt runserver`, as a real process (bin.ts under test/helpers/register-ts.js): Django's
 * banner, one line per request, the debug pages, a reload after an edit, a failing edit reported
 * and recovered from, and one clear line for a port in use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run-command';

const REPO = join(__dirname, '..', '..');

function appSource(answer: string, extraSettings = ''): string {
  return `import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, createApp, settingsFromEnv } from ${JSON.stringify(join(REPO, 'src'))};

@Controller()
class HomeController {
  @Get('/')
  home() {
    return ${JSON.stringify(answer)};
  }
}

export const app = createApp({
  controllers: [HomeController],
  settings: { secretKey: 'k', ...settingsFromEnv({ dotenv: false })${extraSettings} },
  container: container.createChildContainer(),
});
`;
}

/** A project in a temporary folder that shares this repository's node_modules (one tsyringe). */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-runserver-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, reinhardt: { app: 'app.ts' } }));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'app.ts'), appSource('v1'));
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

interface Runserver {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function runserver(cwd: string, args: string[]): Runserver {
  const child = spawn(process.execPath, ['-r', join(REPO, 'test/helpers/register-ts.js'), join(REPO, 'src/cli/bin.ts'), 'runserver', ...args], {
    cwd,
    env: { ...process.env, DEBUG: undefined },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = (text: string, part: string) => text.split(part).length - 1;
const BANNER_DATE = /^[A-Z][a-z]+ \d{2}, \d{4} - \d{2}:\d{2}:\d{2}$/m;

describe('reinhardt runserver', () => {
  test('banner, request lines, debug pages, and a reload after an edit', async () => {
    const dir = makeProject();
    const port = await freePort();
    const server = runserver(dir, [`127.0.0.1:${port}`]);
    try {
      await until('the banner', () => server.stdout().includes('Quit the server with CONTROL-C.'));
      expect(server.stdout().replace(BANNER_DATE, '<date>')).toBe(
        'Watching for file changes with fs.watch\n' +
          'Performing system checks...\n\n' +
          'System check identified no issues (0 silenced).\n' +
          '<date>\n' +
          'Reinhardt version 0.1.0, using settings from app.ts\n' +
          `Starting development server at http://127.0.0.1:${port}/\n` +
          'Quit the server with CONTROL-C.\n\n',
      );
      expect(await get(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, body: 'v1' });
      await until('the request line', () => server.stderr().includes('\n'));
      expect(server.stderr()).toMatch(/^\[\d{2}\/[A-Z][a-z]{2}\/\d{4} \d{2}:\d{2}:\d{2}\] "GET \/ HTTP\/1\.1" 200 2\n$/);
      // DEBUG=true in the child's environment: the technical 404 page.
      const missing = await get(`http://127.0.0.1:${port}/nope/`);
      expect(missing.status).toBe(404);
      expect(missing.body).toContain('Reinhardt tried these URL patterns, in this order:');

      writeFileSync(join(dir, 'app.ts'), appSource('v2'));
      await until('the reload', () => count(server.stdout(), 'Quit the server with CONTROL-C.') === 2);
      expect(server.stdout()).toContain('Quit the server with CONTROL-C.\n\napp.ts changed, reloading.\nPerforming system checks...\n');
      expect(await get(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, body: 'v2' });
    } finally {
      server.process.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    // The child went with it: the port is free again.
    await new Promise<void>((resolve, reject) => {
      const probe: Server = createServer().once('error', reject).listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  }, 120_000);

  test('an edit that fails the system checks is reported; the next good edit serves again', async () => {
    const dir = makeProject();
    const port = await freePort();
    const server = runserver(dir, [String(port)]);
    try {
      await until('the banner', () => server.stdout().includes('Quit the server with CONTROL-C.'));
      writeFileSync(join(dir, 'app.ts'), appSource('v2', ", csrfTrustedOrigins: ['example.com']"));
      await until('the check error', () => server.stderr().includes('System check identified 1 issue (0 silenced).'));
      expect(server.stderr()).toBe(
        'SystemCheckError: System check identified some issues:\n\nERRORS:\n' +
          "?: (reinhardt.E006) The values in the csrfTrustedOrigins setting must start with a scheme (usually http:// or https://) but found 'example.com'.\n" +
          "\tHINT: Write the origin as the browser sends it, e.g. 'https://example.com'.\n\n" +
          'System check identified 1 issue (0 silenced).\n',
      );
      writeFileSync(join(dir, 'app.ts'), appSource('v3'));
      await until('the recovery', () => count(server.stdout(), 'Quit the server with CONTROL-C.') === 2);
      expect(await get(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, body: 'v3' });
    } finally {
      server.process.kill('SIGTERM');
    }
    await server.exited;
  }, 120_000);

  test('--noreload: no watching, an edit changes nothing', async () => {
    const dir = makeProject();
    const port = await freePort();
    const server = runserver(dir, [`127.0.0.1:${port}`, '--noreload']);
    try {
      await until('the banner', () => server.stdout().includes('Quit the server with CONTROL-C.'));
      expect(server.stdout().startsWith('Performing system checks...\n')).toBe(true);
      writeFileSync(join(dir, 'app.ts'), appSource('v2'));
      // Answered after the edit: still the first version, and no reload was announced.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await get(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, body: 'v1' });
      expect(server.stdout()).not.toContain('changed, reloading');
    } finally {
      server.process.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  }, 60_000);

  test('a port in use: one line, "Error: That port is already in use.", exit code 1', async () => {
    const dir = makeProject();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    try {
      const server = runserver(dir, [`127.0.0.1:${port}`]);
      expect(await server.exited).toBe(1);
      expect(server.stderr()).toBe('Error: That port is already in use.\n');
      // No banner: it is written only once the port is bound.
      expect(server.stdout()).toBe('Watching for file changes with fs.watch\nPerforming system checks...\n\nSystem check identified no issues (0 silenced).\n');
    } finally {
      taken.close();
    }
  }, 60_000);

  test('an address that is not ADDR:PORT', async () => {
    for (const arg of ['abc', '70000', '1.2.3.4:', 'host:port']) {
      expect(await run(['runserver', arg], makeProject())).toEqual({
        code: 1,
        stdout: '',
        stderr: `CommandError: "${arg}" is not a valid port number or address:port pair.\n`,
      });
    }
  });
});
