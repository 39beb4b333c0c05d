import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { cachesFor, Client, Controller, createApp, Post, RateLimit, type Application, type Settings } from '../../src';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server';

// Issue 21 item 5 across processes: the count lives in Redis (add, then INCRBY: atomic), so
// every process sees one count. Redis going away: fail closed (django-ratelimit's default),
// or open with rateLimitFailOpen.

const ROOT = join(__dirname, '..', '..');
let redis: RedisServer;
const apps: Application[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(apps.map((app) => cachesFor(app.settings).close()));
  await redis?.stop();
});

@Controller('')
class LoginController {
  @Post('/login/')
  @RateLimit('5/h', { key: 'ip', method: 'POST' })
  login() {
    return { ok: true };
  }
}

const logger = new CapturingLogger();

function build(url: string, settings: Partial<Settings> = {}): Application {
  const app = createApp({
    controllers: [LoginController],
    container: container.createChildContainer(),
    settings: { secretKey: 's', caches: { default: { backend: 'redis', location: url } }, ...settings },
    logger,
  });
  apps.push(app);
  return app;
}

describe('rate limits counted in Redis', () => {
  test('two apps on one Redis share one count', async () => {
    await cachesFor(build(redis.url).settings).get().clear();
    const one = new Client(build(redis.url));
    const two = new Client(build(redis.url));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 === 0 ? one : two).post('/login/')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test('concurrent requests are counted exactly: of 20 at once, 5 pass', async () => {
    const app = build(redis.url);
    await cachesFor(app.settings).get().clear();
    const clients = [new Client(app), new Client(build(redis.url))];
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 2].post('/login/').then((r) => r.statusCode)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  test('Redis down: the request is refused with 429 (fail closed) and the failure logged; rateLimitFailOpen lets it through', async () => {
    const own = await startRedisServer();
    const closedApp = build(own.url);
    const openApp = build(own.url, { rateLimitFailOpen: true });
    const closed = new Client(closedApp);
    const open = new Client(openApp);
    expect((await closed.post('/login/')).statusCode).toBe(200);
    await own.stop();
    logger.clear();
    try {
      const refused = await closed.post('/login/', undefined, { headers: { Accept: 'application/json' } });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers.get('Retry-After')).toBe('60');
      expect(refused.json()).toEqual({ detail: 'Request was throttled. Expected available in 60 seconds.' });
      expect(logger.records).toEqual([
        {
          level: 'error',
          requestId: refused.headers.get('X-Request-ID'),
          name: 'reinhardt.ratelimit',
          group: 'LoginController.login',
          err: expect.objectContaining({ message: expect.stringMatching(/^Cache unavailable: /) }),
          msg: 'Rate limit LoginController.login could not count (refusing the request)',
        },
        { level: 'warn', requestId: refused.headers.get('X-Request-ID'), name: 'reinhardt.request', status: 429, msg: 'Too Many Requests: /login/' },
      ]);
      const through = await open.post('/login/');
      expect(through.statusCode).toBe(200);
      expect(logger.records[2].msg).toBe('Rate limit LoginController.login could not count (letting the request through)');

      // Redis back: counting resumes (a fresh, empty server).
      const again = await startRedisServer(own.port);
      try {
        let status = 429;
        const deadline = Date.now() + 8000;
        while (status !== 200 && Date.now() < deadline) {
          status = (await closed.post('/login/')).statusCode;
          if (status !== 200) await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toBe(200);
      } finally {
        await again.stop();
      }
    } finally {
      logger.clear();
    }
  });
});

interface AppProcess {
  readonly port: number;
  readonly child: ChildProcess;
  readonly pid: Promise<number>;
}

function startApp(port: number): AppProcess {
  const child = spawn(process.execPath, ['-r', './test/helpers/register-ts.js', 'test/ratelimit/fixtures/limited-app.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), REDIS_URL: redis.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its log (JSON lines on stderr: the server's lines, the 429 warnings) is kept, shown if it dies.
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const pid = new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${log}`)));
  });
  return { port, child, pid };
}

function post(port: number, path: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, agent: false, headers: { Accept: 'application/json', 'Content-Length': '0' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('two app processes sharing one Redis limit', () => {
  const processes: AppProcess[] = [];
  afterAll(async () => {
    await Promise.all(
      processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null) return resolve();
            p.child.once('exit', () => resolve());
            p.child.kill('SIGTERM');
          }),
      ),
    );
  });

  test.each([
    ['the first', 0],
    ['the second', 1],
  ])('the 6th request in the window is refused when it lands on %s process', async (_name, last) => {
    await cachesFor(build(redis.url).settings).get().clear();
    if (processes.length === 0) {
      processes.push(startApp(await freePort()), startApp(await freePort()));
      const pids = await Promise.all(processes.map((p) => p.pid));
      expect(new Set(pids).size).toBe(2);
    }
    const statuses: number[] = [];
    // Five spread over both processes, then the sixth on the chosen one.
    for (let i = 0; i < 5; i++) statuses.push((await post(processes[i % 2].port, '/login/')).status);
    const sixth = await post(processes[last].port, '/login/');
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(sixth.status).toBe(429);
    const wait = Number(sixth.retryAfter);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(sixth.body).toBe(`{"detail":"Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}."}`);
    // And the other process refuses too: the count is one.
    expect((await post(processes[1 - last].port, '/login/')).status).toBe(429);
  }, 30_000);
});
