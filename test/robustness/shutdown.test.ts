/**
 * Issue 8 §5: graceful shutdown of a real process. The app runs in a child node process (the
 * TypeScript loaded through test/helpers/register-ts.js) with `app.listen`'s signal handling on.
 * SIGTERM while 20 slow requests (1 s each) are in flight: all 20 finish with 200, a new
 * connection is refused at once, and the process exits with code 0 within shutdownTimeout + 2 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { connect } from 'node:net';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'fixtures', 'shutdown-child.js');

interface Child {
  process: ChildProcess;
  port: number;
  started(): number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stderr(): string;
}

/** Spawns the slow app and resolves once it listens. */
function spawnApp(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, [CHILD], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let started = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child did not start: ${out}${err}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      started = (out.match(/^started \d+$/gm) ?? []).length;
      const listening = /^listening (\d+)$/m.exec(out);
      if (listening !== null && timer.hasRef()) {
        clearTimeout(timer);
        timer.unref();
        resolve({ process: child, port: Number(listening[1]), started: () => started, exited, stderr: () => err });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the child exited with ${code} before listening: ${out}${err}`));
    });
  });
}

function get(port: number, agent: http.Agent, pathname: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    });
    request.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
  });
}

/** Tries a new TCP connection: 'refused', or 'accepted'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : error.code ?? 'error'));
  });
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** `promise`'s value, or null when it takes longer than `ms` (the timer never outlives the test). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

test('SIGTERM with 20 slow requests in flight: all 20 answer 200, new connections are refused, exit 0 within the deadline', async () => {
  const SHUTDOWN_TIMEOUT = 5000;
  const child = await spawnApp({ SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT), SLOW_MS: '1000' });
  children.push(child.process);
  // Keep-alive, as browsers and proxies connect: the connections must not hold the exit back.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
  expect(await get(child.port, agent, '/ok')).toEqual({ status: 200, body: 'ok' });

  const inFlight = Array.from({ length: 20 }, () => get(child.port, agent, '/slow'));
  await waitFor(() => child.started() === 20, 5000);
  expect(child.started()).toBe(20);

  const signalledAt = Date.now();
  child.process.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await tryConnect(child.port)).toBe('refused');

  const answers = await Promise.all(inFlight);
  expect(answers).toEqual(Array(20).fill({ status: 200, body: '{"done":true}' }));
  const exit = await within(child.exited, SHUTDOWN_TIMEOUT + 2000);
  agent.destroy();
  expect(exit).not.toBeNull();
  expect({ code: exit!.code, signal: exit!.signal }).toEqual({ code: 0, signal: null });
  // Nothing but the reinhardt.server records of the start and of the drain (issue 23 item 7).
  expect(child.stderr().trimEnd().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
    `Listening at http://127.0.0.1:${child.port}/ (production)`,
    'Shutting down on SIGTERM: finishing 20 requests in flight',
    'Shut down: every request finished',
  ]);
  expect(exit!.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT + 2000);
}, 30_000);

test('SIGTERM: once the in-flight requests are answered, idle keep-alive connections do not hold the exit until shutdownTimeout', async () => {
  const SHUTDOWN_TIMEOUT = 5000;
  const child = await spawnApp({ SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT), SLOW_MS: '500' });
  children.push(child.process);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 5 });
  const inFlight = Array.from({ length: 5 }, () => get(child.port, agent, '/slow'));
  await waitFor(() => child.started() === 5, 5000);
  child.process.kill('SIGTERM');
  const answers = await Promise.all(inFlight);
  const answeredAt = Date.now();
  expect(answers).toEqual(Array(5).fill({ status: 200, body: '{"done":true}' }));
  const exit = await within(child.exited, SHUTDOWN_TIMEOUT + 2000);
  agent.destroy();
  expect(exit).not.toBeNull();
  // Nothing is left to wait for: the connections are idle, and a client would reconnect anyway.
  expect(exit!.at - answeredAt).toBeLessThan(1000);
}, 30_000);

test('SIGTERM with a request slower than shutdownTimeout: its connection is closed at the deadline and the process exits', async () => {
  const SHUTDOWN_TIMEOUT = 1000;
  const child = await spawnApp({ SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT), SLOW_MS: '10000' });
  children.push(child.process);
  const agent = new http.Agent({ keepAlive: false });
  const overdue = get(child.port, agent, '/slow');
  await waitFor(() => child.started() === 1, 5000);
  const signalledAt = Date.now();
  child.process.kill('SIGTERM');
  const exit = await within(child.exited, SHUTDOWN_TIMEOUT + 2000);
  expect(exit).not.toBeNull();
  expect({ code: exit!.code, signal: exit!.signal }).toEqual({ code: 0, signal: null });
  expect(exit!.at - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT - 50);
  expect(exit!.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT + 2000);
  expect(await overdue).toEqual({ error: 'ECONNRESET' });
}, 30_000);
