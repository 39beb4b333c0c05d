/**
 * The access log (`accessLog: true`, and always under `reinhardt runserver`): one
 * `reinhardt.server` INFO record per request, after its last byte, with the body bytes actually
 * sent (wsgiref's bytes_sent, what Django's runserver line shows); the health probes left out.
 * Off by default, and then no record and no header.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { container as root } from 'tsyringe';
import { CapturingLogger, Controller, createApp, Get, healthController, LineLogger, StreamingHttpResponse, type Application, type Settings } from '../../src';

@Controller('')
class PageController {
  @Get('/page/')
  page() {
    return 'héllo'; // 6 bytes in UTF-8
  }

  @Get('/stream/')
  stream() {
    return new StreamingHttpResponse(
      (async function* () {
        yield 'abc';
        yield Buffer.from('defg');
      })(),
    );
  }
}

async function serve(app: Application): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => app.close() };
}

function appWith(settings: Partial<Settings>, logger = new CapturingLogger()) {
  const app = createApp({
    controllers: [PageController, healthController()],
    settings: { secretKey: 'access-log', allowedHosts: ['127.0.0.1'], ...settings },
    container: root.createChildContainer(),
    logger,
  });
  return { app, logger };
}

/** The access-log records (start-up and shutdown lines of reinhardt.server left out). */
const accessRecords = (logger: CapturingLogger) => logger.named('reinhardt.server').filter((record) => record.method !== undefined);

/** Waits for the records written after the response's last byte (a stream ends a tick later). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the access log', () => {
  test('bytes are the body bytes sent: UTF-8 text, a stream counted as it goes, none for HEAD', async () => {
    const { app, logger } = appWith({ accessLog: true });
    const server = await serve(app);
    try {
      await (await fetch(`${server.url}/page/`)).text();
      await (await fetch(`${server.url}/stream/`)).text();
      await fetch(`${server.url}/page/`, { method: 'HEAD' });
      const missing = Buffer.byteLength(await (await fetch(`${server.url}/missing/`)).text());
      await settle();
      expect(accessRecords(logger).map((record) => [record.msg, record.bytes])).toEqual([
        ['"GET /page/ HTTP/1.1" 200 6', 6],
        ['"GET /stream/ HTTP/1.1" 200 7', 7],
        ['"HEAD /page/ HTTP/1.1" 200 0', 0],
        [`"GET /missing/ HTTP/1.1" 404 ${missing}`, missing],
      ]);
    } finally {
      await server.close();
    }
  });

  test('the health probes are not logged', async () => {
    const { app, logger } = appWith({ accessLog: true });
    const server = await serve(app);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await (await fetch(`${server.url}/page/`)).text();
      await settle();
      expect(accessRecords(logger).map((record) => record.path)).toEqual(['/page/']);
    } finally {
      await server.close();
    }
  });

  test('off (the default): no record, no X-Request-ID', async () => {
    const { app, logger } = appWith({});
    const server = await serve(app);
    try {
      const response = await fetch(`${server.url}/page/`);
      await response.text();
      await settle();
      expect(response.headers.has('x-request-id')).toBe(false);
      expect(accessRecords(logger)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test("in the human format (debug) it is Django's runserver line; in JSON, the same facts as fields", async () => {
    const lines: string[] = [];
    const destination = { write: (text: string) => lines.push(text) };
    const human = appWith({ accessLog: true, debug: true }, new LineLogger({ format: 'human', destination }) as unknown as CapturingLogger).app;
    const json = appWith({ accessLog: true }, new LineLogger({ format: 'json', destination }) as unknown as CapturingLogger).app;
    for (const app of [human, json]) {
      const server = await serve(app);
      try {
        await (await fetch(`${server.url}/page/`)).text();
        await settle();
      } finally {
        await server.close();
      }
    }
    const access = lines.filter((line) => line.includes('/page/'));
    expect(access[0]).toMatch(/^\[\d{2}\/[A-Z][a-z]{2}\/\d{4} \d{2}:\d{2}:\d{2}\] "GET \/page\/ HTTP\/1\.1" 200 6\n$/);
    expect(JSON.parse(access[1])).toEqual({
      level: 'info',
      time: expect.any(Number),
      name: 'reinhardt.server',
      method: 'GET',
      path: '/page/',
      status: 200,
      bytes: 6,
      durationMs: expect.any(Number),
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-z]+$/),
      msg: '"GET /page/ HTTP/1.1" 200 6',
    });
  });
});
