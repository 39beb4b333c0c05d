/**
 * Soak test (issue 8 §3): the benchmark's scenarios S1–S6 (bench/lib/scenarios.js, the same
 * requests and expected answers) against a Reinhardt app with Django's default middleware stack,
 * run in a child process, driven by 64 keep-alive connections for SOAK_SECONDS (default 60).
 * Every status and body is checked; the child's RSS is sampled after a warm-up (SOAK_WARMUP
 * seconds, default 10) and at the end. Exits 1 on any error, unexpected status or body, or RSS
 * growth over 20%; prints one summary line either way.
 *
 *   npm run soak
 *   SOAK_SECONDS=300 npm run soak
 *
 * Run as `node -r ./test/helpers/register-ts.js scripts/soak.ts` (the `soak` npm script); the
 * same file is the server when SOAK_ROLE=server.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Controller, CsrfExempt, Get, HttpRequest, Post, createApp } from '../src';

interface Scenario {
  id: string;
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
  json?: unknown;
}

// The benchmark's own scenario table, so the soak sends exactly what the benchmark measures.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { scenarios: allScenarios } = require('../bench/lib/scenarios.js') as { scenarios: Scenario[] };
const SCENARIOS = allScenarios.filter((s) => ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].includes(s.id));

const CONNECTIONS = 64;
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.SOAK_WARMUP ?? Math.min(10, SECONDS / 6));
const MAX_RSS_GROWTH = 0.2;

// -- The server (child process) ------------------------------------------------------------

@Controller()
class BenchController {
  @Get('/hello')
  hello(): unknown {
    return { hello: 'world' };
  }

  @Get('/users/<int:id>')
  user(request: HttpRequest, id: number): unknown {
    return { id, fields: request.GET.getList('fields') };
  }

  @CsrfExempt()
  @Post('/echo')
  echo(request: HttpRequest): unknown {
    return request.json();
  }

  @CsrfExempt()
  @Post('/form')
  form(request: HttpRequest): unknown {
    return { a: request.POST.getList('a'), b: request.POST.get('b') };
  }

  @Get('/cookie')
  cookie(request: HttpRequest): unknown {
    return { theme: request.COOKIES.theme };
  }
}

async function serve(): Promise<void> {
  const app = createApp({
    controllers: [BenchController],
    settings: { secretKey: 'soak-secret-key-not-for-production', allowedHosts: ['127.0.0.1', 'localhost'] },
  });
  const server = await app.listen(0, '127.0.0.1');
  let connections = 0;
  server.on('connection', () => connections++);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') process.send!({ type: 'stats', rss: process.memoryUsage().rss, connections });
  });
  process.send!({ type: 'listening', port: (server.address() as AddressInfo).port });
}

// -- The driver ----------------------------------------------------------------------------

interface Stats {
  rss: number;
  connections: number;
}

function request(agent: http.Agent, port: number, scenario: Scenario): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...scenario.headers };
    if (scenario.body !== undefined) headers['Content-Length'] = Buffer.byteLength(scenario.body);
    const req = http.request({ host: '127.0.0.1', port, method: scenario.method, path: scenario.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(scenario.body);
  });
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function drive(): Promise<number> {
  const child = fork(__filename, [], {
    env: { ...process.env, SOAK_ROLE: 'server' },
    execArgv: ['-r', path.join(__dirname, '..', 'test', 'helpers', 'register-ts.js')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'listening') resolve(message.port as number);
    });
    void exited.then((code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  const stats = (): Promise<Stats> =>
    new Promise((resolve) => {
      const onMessage = (message: { type: string } & Stats): void => {
        if (message.type !== 'stats') return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ type: 'stats' });
    });

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  let requests = 0;
  let errors = 0;
  let unexpected = 0;
  const problems: string[] = [];
  const perScenario = new Map<string, number>(SCENARIOS.map((s) => [s.id, 0]));
  let next = 0;
  let warm: Stats | null = null;
  const warmTimer = setTimeout(() => {
    void stats().then((s) => (warm = s));
  }, WARMUP_SECONDS * 1000);

  const note = (problem: string): void => {
    if (problems.length < 10) problems.push(problem);
  };
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const scenario = SCENARIOS[next++ % SCENARIOS.length];
      try {
        const { status, body } = await request(agent, port, scenario);
        requests++;
        perScenario.set(scenario.id, (perScenario.get(scenario.id) ?? 0) + 1);
        if (status !== scenario.status) {
          unexpected++;
          note(`${scenario.id}: status ${status}, expected ${scenario.status}: ${body.slice(0, 200)}`);
        } else if (scenario.json !== undefined && !isDeepStrictEqual(JSON.parse(body), scenario.json)) {
          unexpected++;
          note(`${scenario.id}: body ${body.slice(0, 200)}`);
        }
      } catch (error) {
        errors++;
        note(`${scenario.id}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  clearTimeout(warmTimer);
  const end = await stats();
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  child.kill('SIGTERM');
  const exitCode = await exited;

  const warmRss = (warm as Stats | null)?.rss ?? end.rss;
  const growth = (end.rss - warmRss) / warmRss;
  const ok = errors === 0 && unexpected === 0 && growth <= MAX_RSS_GROWTH && exitCode === 0;
  const mix = Array.from(perScenario, ([id, n]) => `${id} ${n}`).join(', ');
  for (const problem of problems) console.error(`  ${problem}`);
  console.log(
    `soak ${ok ? 'PASS' : 'FAIL'}: ${elapsed.toFixed(1)} s, ${CONNECTIONS} keep-alive connections (${end.connections} opened), ` +
      `${requests} requests (${Math.round(requests / elapsed)} req/s; ${mix}), errors ${errors}, unexpected ${unexpected}, ` +
      `RSS after ${WARMUP_SECONDS} s warm-up ${megabytes(warmRss)} MB -> end ${megabytes(end.rss)} MB ` +
      `(${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%, limit +${MAX_RSS_GROWTH * 100}%), server exit ${exitCode}`,
  );
  return ok ? 0 : 1;
}

if (process.env.SOAK_ROLE === 'server') {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
} else {
  drive().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
