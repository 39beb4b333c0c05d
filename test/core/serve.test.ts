import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server';

const ROOT = join(__dirname, '..', '..');

interface AppProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves with the pid of each worker that reports listening, in order. */
  listening(count: number): Promise<number[]>;
  /** What the processes wrote to stderr: the primary's and the workers' `reinhardt.server` records. */
  stderr(): string;
  exited(): Promise<number | null>;
}

/** Starts test/helpers/session-app.ts as its own `node` process (cluster primary + workers). */
async function startApp(redisUrl: string, workers: number, extraEnv: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', './test/helpers/register-ts.js', 'test/helpers/session-app.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl, WORKERS: String(workers), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pids: number[] = [];
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const match of chunk.toString().matchAll(/listening (\d+)/g)) pids.push(Number(match[1]));
    for (const wake of waiters.splice(0)) wake();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    port,
    child,
    listening: async (count) => {
      const deadline = Date.now() + 15_000;
      while (pids.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${pids.length} of ${count} workers listened`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return pids.slice(0, count);
    },
    exited: () => exit,
    stderr: () => stderr,
  };
}

/** One HTTP request on a fresh connection (no keep-alive), so the cluster can pick any worker. */
function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function sessionCookie(setCookie: string[] | string | undefined): string {
  const line = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('sessionid='))!;
  return line.split(';')[0]!;
}

let redis: RedisServer;
const apps: AppProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const app of apps) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  await redis?.stop();
});

describe('serve(app, { port, workers }) on node:cluster with RedisSessionStore', () => {
  test('a login on one process is seen by another process on another port (one Redis)', async () => {
    const first = await startApp(redis.url, 1);
    const second = await startApp(redis.url, 1);
    apps.push(first, second);
    const [firstPid] = await first.listening(1);
    const [secondPid] = await second.listening(1);

    const loggedIn = await call(first.port, 'POST', '/login/', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'id=1');
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.json).toEqual({ pid: firstPid });
    const cookie = sessionCookie(loggedIn.headers['set-cookie']);
    expect(cookie).toMatch(/^sessionid=[a-z0-9]{32}$/);

    const elsewhere = await call(second.port, 'GET', '/whoami/', { Cookie: cookie });
    expect(elsewhere.json).toEqual({ pid: secondPid, user: 'alice', loggedInBy: firstPid });
    // Without the cookie, nobody.
    expect((await call(second.port, 'GET', '/whoami/')).json).toEqual({ pid: secondPid, user: null, loggedInBy: null });

    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    expect(await first.exited()).toBe(0);
    expect(await second.exited()).toBe(0);
  });

  test('a failed message to a worker that is exiting (EPIPE) does not crash the primary; SIGTERM still exits 0', async () => {
    // Seen in CI: node:cluster's exitedAfterDisconnect wrote to a worker whose channel had closed,
    // the Worker emitted 'error' with nobody listening, and the primary died with exit code 1.
    const app = await startApp(redis.url, 2, { CHANNEL_ERROR: '1' });
    apps.push(app);
    const workerPids = await app.listening(2);
    expect((await call(app.port, 'GET', '/whoami/')).json).toEqual({ pid: expect.any(Number), user: null, loggedInBy: null });
    app.child.kill('SIGTERM');
    expect(await app.exited()).toBe(0);
    for (const pid of workerPids) expect(() => process.kill(pid, 0)).toThrow(); // gone
  });

  test('workers share the port and any worker reads a session another made; a crashed worker is replaced; SIGTERM stops all', async () => {
    const app = await startApp(redis.url, 2);
    apps.push(app);
    const workerPids = await app.listening(2);
    expect(new Set(workerPids).size).toBe(2);

    const loggedIn = await call(app.port, 'POST', '/login/', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'id=1');
    const cookie = sessionCookie(loggedIn.headers['set-cookie']);
    const seenBy = new Set<number>();
    for (let i = 0; i < 10 && seenBy.size < 2; i++) {
      const answer = await call(app.port, 'GET', '/whoami/', { Cookie: cookie });
      expect(answer.json.user).toBe('alice');
      seenBy.add(answer.json.pid);
    }
    expect(seenBy).toEqual(new Set(workerPids));

    const crashed = (await call(app.port, 'GET', '/crash/')).json.pid as number;
    const [, , replacement] = await app.listening(3);
    expect(workerPids).toContain(crashed);
    expect(workerPids).not.toContain(replacement);
    // The primary says so (issue 23 item 7), as a warning with the pid and the exit code.
    const died = app
      .stderr()
      .split('\n')
      .filter((line) => line.includes('starting another'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(died).toEqual([{ level: 'warn', time: expect.any(Number), name: 'reinhardt.server', pid: crashed, code: 1, signal: null, msg: `Worker ${crashed} exited with code 1; starting another` }]);
    expect((await call(app.port, 'GET', '/whoami/', { Cookie: cookie })).json.user).toBe('alice');

    app.child.kill('SIGTERM');
    expect(await app.exited()).toBe(0);
    for (const pid of [...workerPids.filter((p) => p !== crashed), replacement]) {
      expect(() => process.kill(pid, 0)).toThrow(); // gone
    }
  });
});
