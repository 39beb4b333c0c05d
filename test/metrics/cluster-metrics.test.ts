/**
 * serve() with two workers: a scrape reaches one worker and answers the sum of both (prom-client's
 * AggregatorRegistry in the primary), so requests served by either worker are all counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { freePort } from '../helpers/redis-server';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false: a new connection each time, so node:cluster's round robin spreads them.
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('metrics under serve() with two workers', () => {
  let child: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    child = spawn(process.execPath, ['-r', './test/helpers/register-ts.js', 'test/metrics/fixtures/cluster-app.ts'], {
      env: { ...process.env, PORT: String(port), WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      const timer = setTimeout(() => reject(new Error('workers did not start')), 20_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += [...chunk.toString().matchAll(/listening \d+/g)].length;
        if (seen >= 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }, 30_000);

  afterAll(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  test('one scrape counts the requests of both workers', async () => {
    const pids = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const response = await get(port, '/pid/');
      expect(response.status).toBe(200);
      pids.add(response.body);
    }
    expect(pids.size).toBe(2);
    const scrape = await get(port, '/metrics');
    expect(scrape.status).toBe(200);
    const lines = scrape.body.split('\n').filter((line) => /^http_requests_total|^http_request_duration_seconds_count|^http_requests_in_flight/.test(line));
    expect(lines).toEqual([
      'http_requests_total{method="GET",route="/pid/",status="2xx"} 6',
      'http_request_duration_seconds_count{method="GET",route="/pid/",status="2xx"} 6',
      'http_requests_in_flight 1',
    ]);
  }, 30_000);
});
