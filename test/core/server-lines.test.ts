/**
 * Issue 23 item 7: what `app.listen()` and `serve()` tell the operator on stderr, through the app's
 * logger (`reinhardt.server`), as real processes (test/core/fixtures/announced-app.ts): where they
 * listen, in which mode and with how many workers; a port in use as one line and exit code 1, as
 * Django's runserver (`Error: That port is already in use.`); and on SIGTERM/SIGINT the drain's
 * start, with the requests in flight, and its end, then exit code 0 with the request answered.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { CapturingLogger, createApp } from '../../src';
import { freePort } from '../helpers/redis-server';

const ROOT = join(__dirname, '..', '..');

interface AppProcess {
  readonly child: ChildProcess;
  readonly port: number;
  stderr(): string;
  stdout(): string;
  exited: Promise<number | null>;
}

/** `detached`: in a process group of its own, so that a signal can reach the primary and its workers at once. */
function startApp(port: number, env: Record<string, string>, detached: boolean): AppProcess {
  const child = spawn(process.execPath, ['-r', './test/helpers/register-ts.js', 'test/core/fixtures/announced-app.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, stderr: () => stderr, stdout: () => stdout, exited };
}

async function until(app: AppProcess, what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr so far:\n${app.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A GET on its own connection: resolves with the status and body, or the socket error's code. */
function get(port: number, path: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** The JSON lines of stderr, each record's `time` checked to be a number and then left out. */
function records(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { time, ...record } = JSON.parse(line) as Record<string, unknown>;
      expect(typeof time).toBe('number');
      return record;
    });
}

/** The human lines of stderr with their `[06/Dec/2026 13:22:06]` time replaced by `[time]`. */
function humanLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] /, '[time] '));
}

/** A port some other program holds. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as { port: number }).port, server };
}

const started: AppProcess[] = [];
afterEach(() => {
  for (const app of started.splice(0)) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
});

function launch(port: number, env: Record<string, string> = {}, detached = false): AppProcess {
  const app = startApp(port, env, detached);
  started.push(app);
  return app;
}

describe('app.listen(): the start-up line, a port in use, the drain on a signal', () => {
  test('production: one JSON record with the address and the mode; SIGTERM during a slow request logs the drain, answers it, exits 0', async () => {
    const port = await freePort();
    const app = launch(port);
    await until(app, 'the start-up line', () => app.stderr().includes('Listening at'));
    const answer = get(port, '/slow/');
    await until(app, 'the request to be handled', () => app.stdout().includes('handling'));
    app.child.kill('SIGTERM');

    expect(await answer).toEqual({ status: 200, body: 'done' });
    expect(await app.exited).toBe(0);
    const address = `http://127.0.0.1:${port}/`;
    expect(records(app.stderr())).toEqual([
      { level: 'info', name: 'reinhardt.server', address, mode: 'production', msg: `Listening at ${address} (production)` },
      { level: 'info', name: 'reinhardt.server', signal: 'SIGTERM', connections: 1, msg: 'Shutting down on SIGTERM: finishing 1 request in flight' },
      { level: 'info', name: 'reinhardt.server', connections: 0, msg: 'Shut down: every request finished' },
    ]);
  }, 30_000);

  test('debug: the same lines in the human format, as Django writes django.server records; SIGINT as SIGTERM', async () => {
    const port = await freePort();
    const app = launch(port, { DEBUG: '1' });
    await until(app, 'the start-up line', () => app.stderr().includes('Listening at'));
    const answer = get(port, '/slow/');
    await until(app, 'the request to be handled', () => app.stdout().includes('handling'));
    app.child.kill('SIGINT');

    expect(await answer).toEqual({ status: 200, body: 'done' });
    expect(await app.exited).toBe(0);
    expect(humanLines(app.stderr())).toEqual([
      `[time] Listening at http://127.0.0.1:${port}/ (debug)`,
      '[time] Shutting down on SIGINT: finishing 1 request in flight',
      '[time] Shut down: every request finished',
    ]);
  }, 30_000);

  test('a request still running at shutdownTimeout is cut off: a warning says how many connections were closed, exit 0', async () => {
    const port = await freePort();
    const app = launch(port, { SLOW_MS: '10000', SHUTDOWN_TIMEOUT: '300' });
    await until(app, 'the start-up line', () => app.stderr().includes('Listening at'));
    const answer = get(port, '/slow/');
    await until(app, 'the request to be handled', () => app.stdout().includes('handling'));
    app.child.kill('SIGTERM');

    expect(await answer).toEqual({ error: 'ECONNRESET' });
    expect(await app.exited).toBe(0);
    expect(records(app.stderr()).slice(1)).toEqual([
      { level: 'info', name: 'reinhardt.server', signal: 'SIGTERM', connections: 1, msg: 'Shutting down on SIGTERM: finishing 1 request in flight' },
      { level: 'warn', name: 'reinhardt.server', connections: 1, shutdownTimeout: 300, msg: 'Shut down after 300 ms: closed 1 connection still in flight' },
    ]);
  }, 30_000);

  test('a port in use: one error record, "Error: That port is already in use." with the address, no stack, exit code 1', async () => {
    const { port, server } = await takenPort();
    try {
      const app = launch(port);
      expect(await app.exited).toBe(1);
      const address = `http://127.0.0.1:${port}/`;
      expect(records(app.stderr())).toEqual([{ level: 'error', name: 'reinhardt.server', address, code: 'EADDRINUSE', msg: 'Error: That port is already in use.' }]);

      const debug = launch(port, { DEBUG: '1' });
      expect(await debug.exited).toBe(1);
      expect(humanLines(debug.stderr())).toEqual([`[time] ERROR reinhardt.server: Error: That port is already in use. address=${address} code=EADDRINUSE`]);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe('app.listen(port, host, { handleSignals: false }): a server embedded in a test or another program', () => {
  test('says nothing, and a port in use rejects with Node\'s error instead of exiting', async () => {
    const logger = new CapturingLogger();
    const app = createApp({ controllers: [], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's' }, logger });
    const { port, server: taken } = await takenPort();
    try {
      await expect(app.listen(port, '127.0.0.1', { handleSignals: false })).rejects.toMatchObject({ code: 'EADDRINUSE', port });
      const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
      expect(server.listening).toBe(true);
      await app.close();
      expect(logger.records).toEqual([]);
    } finally {
      taken.close();
    }
  });
});

describe('serve(): the primary speaks once for its workers', () => {
  test('one start-up line with the worker count; SIGTERM: the primary and each worker log their drain, the request is answered, exit 0', async () => {
    const port = await freePort();
    const app = launch(port, { SERVE: '2' });
    await until(app, 'the start-up line', () => app.stderr().includes('Listening at'));
    const address = `http://127.0.0.1:${port}/`;
    // Both workers listen before the line is written, and no worker writes one of its own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(records(app.stderr())).toEqual([{ level: 'info', name: 'reinhardt.server', address, mode: 'production', workers: 2, msg: `Listening at ${address} (production, 2 workers)` }]);

    const answer = get(port, '/slow/');
    await until(app, 'the request to be handled', () => app.stdout().includes('handling'));
    const busy = Number(/handling (\d+)/.exec(app.stdout())![1]);
    app.child.kill('SIGTERM');

    expect(await answer).toEqual({ status: 200, body: 'done' });
    expect(await app.exited).toBe(0);
    const lines = records(app.stderr()).slice(1);
    // The primary's two lines open and close the shutdown; the workers' lines come in between,
    // in whichever order the two processes write them.
    expect(lines[0]).toEqual({ level: 'info', name: 'reinhardt.server', signal: 'SIGTERM', workers: 2, msg: 'Shutting down on SIGTERM: stopping 2 workers' });
    expect(lines[lines.length - 1]).toEqual({ level: 'info', name: 'reinhardt.server', workers: 2, killed: 0, msg: 'Shut down: 2 workers stopped' });
    const workerLines = lines.slice(1, -1).map((record) => record.msg as string);
    expect(workerLines).toHaveLength(4);
    expect(workerLines).toEqual(
      expect.arrayContaining([
        `Worker ${busy}: Shutting down on SIGTERM: finishing 1 request in flight`,
        `Worker ${busy}: Shut down: every request finished`,
        expect.stringMatching(/^Worker (\d+): Shutting down on SIGTERM: no request in flight$/),
        expect.stringMatching(/^Worker (\d+): Shut down: every request finished$/),
      ]),
    );
    expect(workerLines.indexOf(`Worker ${busy}: Shutting down on SIGTERM: finishing 1 request in flight`)).toBeLessThan(workerLines.indexOf(`Worker ${busy}: Shut down: every request finished`));
  }, 30_000);

  test('a port in use: one error line from the primary (not one per worker), exit code 1', async () => {
    const { port, server } = await takenPort();
    try {
      const app = launch(port, { SERVE: '2', DEBUG: '1' });
      expect(await app.exited).toBe(1);
      expect(humanLines(app.stderr())).toEqual([`[time] ERROR reinhardt.server: Error: That port is already in use. address=http://127.0.0.1:${port}/ code=EADDRINUSE`]);
    } finally {
      server.close();
    }
  }, 30_000);

  test('Ctrl-C (SIGINT to the whole process group) drains the workers instead of killing them', async () => {
    const port = await freePort();
    const app = launch(port, { SERVE: '2' }, true);
    await until(app, 'the start-up line', () => app.stderr().includes('Listening at'));
    const answer = get(port, '/slow/');
    await until(app, 'the request to be handled', () => app.stdout().includes('handling'));
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-app.child.pid!, 'SIGINT');

    expect(await answer).toEqual({ status: 200, body: 'done' });
    expect(await app.exited).toBe(0);
    const messages = records(app.stderr()).map((record) => record.msg);
    expect(messages[1]).toBe('Shutting down on SIGINT: stopping 2 workers');
    expect(messages).toContainEqual(expect.stringMatching(/^Worker \d+: Shutting down on SIGTERM: finishing 1 request in flight$/));
    expect(messages[messages.length - 1]).toBe('Shut down: 2 workers stopped');
  }, 30_000);
});
