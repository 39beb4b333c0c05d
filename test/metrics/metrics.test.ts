/**
 * MetricsMiddleware + metricsController(): exact Prometheus lines after a few requests through the
 * test Client; labels are route patterns, never raw paths (random URLs all land in one series);
 * unknown methods are `other`; prom-client is loaded only by an app that opts in.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Client, Controller, DEFAULT_MIDDLEWARE, Get, Http404, HttpResponse, MetricsMiddleware, Post, createApp, metricsController, type Middleware } from '../../src';

@Controller('/polls')
class PollController {
  @Get('/<int:id>/')
  detail(_request: unknown, id: number): HttpResponse {
    if (id > 100) throw new Http404('No such poll.');
    return new HttpResponse(`poll ${id}`);
  }

  @Post('/<int:id>/vote/')
  vote(): HttpResponse {
    throw new Error('database gone');
  }
}

function metricsApp(middleware: Middleware[] = [MetricsMiddleware, ...DEFAULT_MIDDLEWARE]) {
  return createApp({
    controllers: [PollController, metricsController()],
    middleware,
    settings: { secretKey: 'metrics-secret', allowedHosts: ['testserver'] },
    // The 500 of the vote route is logged; kept out of the test output.
    logger: new CapturingLogger(),
    container: container.createChildContainer(),
  });
}

/** The sample lines of the text (no # HELP/# TYPE), durations' sums left out (they vary). */
function samples(text: string, prefix: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(prefix));
}

describe('MetricsMiddleware and metricsController()', () => {
  test('counts by method, route pattern and status class, in Prometheus text', async () => {
    const client = new Client(metricsApp());
    await client.get('/polls/1/');
    await client.get('/polls/2/');
    await client.get('/polls/101/');
    await client.post('/polls/1/vote/');
    const response = await client.get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    expect(samples(response.text, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",route="/polls/<int:id>/",status="2xx"} 2',
      'http_requests_total{method="GET",route="/polls/<int:id>/",status="4xx"} 1',
      'http_requests_total{method="POST",route="/polls/<int:id>/vote/",status="5xx"} 1',
    ]);
    expect(samples(response.text, 'http_request_duration_seconds_count')).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/polls/<int:id>/",status="2xx"} 2',
      'http_request_duration_seconds_count{method="GET",route="/polls/<int:id>/",status="4xx"} 1',
      'http_request_duration_seconds_count{method="POST",route="/polls/<int:id>/vote/",status="5xx"} 1',
    ]);
    expect(samples(response.text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/polls/<int:id>/",status="2xx"}')).toEqual([
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/polls/<int:id>/",status="2xx"} 2',
    ]);
    // The scrape itself is in flight while the text is made.
    expect(samples(response.text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 1']);
    expect(response.text).toContain('# TYPE http_request_duration_seconds histogram\n');
  });

  test('random URLs and methods cannot create series: one <unmatched> route, one `other` method', async () => {
    const client = new Client(metricsApp());
    for (let i = 0; i < 20; i++) await client.get(`/random-${i}-${Math.random()}`);
    // The Client has no method for arbitrary tokens; its one request path takes any.
    const send = (client as unknown as { request(method: string, path: string, body: null, type: null): Promise<unknown> }).request.bind(client);
    await send('BREW', '/polls/1/', null, null);
    await send('PROPFIND', '/x', null, null);
    const text = (await client.get('/metrics')).text;
    expect(samples(text, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",route="<unmatched>",status="4xx"} 20',
      'http_requests_total{method="other",route="<unmatched>",status="4xx"} 2',
    ]);
    expect(text).not.toContain('random-');
  });

  test('the scrape counts itself under its own route afterwards', async () => {
    const client = new Client(metricsApp());
    await client.get('/metrics');
    const text = (await client.get('/metrics')).text;
    expect(samples(text, 'http_requests_total')).toEqual(['http_requests_total{method="GET",route="/metrics",status="2xx"} 1']);
  });

  test('without the middleware the controller serves the metrics with no requests counted', async () => {
    const text = (await new Client(metricsApp([...DEFAULT_MIDDLEWARE])).get('/metrics')).text;
    expect(samples(text, 'http_requests_total')).toEqual([]);
    expect(samples(text, 'http_requests_in_flight')).toEqual(['http_requests_in_flight 0']);
  });

  test('two apps keep separate registries', async () => {
    const first = new Client(metricsApp());
    const second = new Client(metricsApp());
    await first.get('/polls/1/');
    expect(samples((await second.get('/metrics')).text, 'http_requests_total')).toEqual([]);
  });
});

describe('lazy loading', () => {
  // A fresh process: this file itself has loaded prom-client. The script builds an app with the
  // default stack and one request, then says whether prom-client was ever required.
  const script = (optIn: boolean): string => `
    require('reflect-metadata');
    const { createApp, Client, MetricsMiddleware, metricsController, DEFAULT_MIDDLEWARE } = require('./src');
    const app = createApp({
      controllers: ${optIn ? '[metricsController()]' : '[]'},
      middleware: ${optIn ? '[MetricsMiddleware, ...DEFAULT_MIDDLEWARE]' : 'DEFAULT_MIDDLEWARE'},
      settings: { secretKey: 'metrics-secret' },
    });
    new Client(app).get('/metrics').then(() => {
      process.stdout.write(String(Object.keys(require.cache).some((path) => path.includes('node_modules/prom-client/'))));
    });
  `;
  const run = (optIn: boolean): string =>
    execFileSync(process.execPath, ['-r', './test/helpers/register-ts.js', '-e', script(optIn)], { cwd: join(__dirname, '../..'), encoding: 'utf8' });

  test('an app without metrics never loads prom-client; one that opts in does', () => {
    expect(run(false)).toBe('false');
    expect(run(true)).toBe('true');
  });
});
