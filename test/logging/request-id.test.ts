/**
 * `request.id`: generated (a per-process prefix and a counter), or taken from `requestIdHeader`
 * only when `trustRequestIdHeader` says a proxy of yours sets it, and then only when it is safe
 * (Hono's request-id middleware: at most 255 of `[\w\-=]`); echoed in the response once made.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { container as root } from 'tsyringe';
import { CapturingLogger, Client, Controller, createApp, generateRequestId, Get, HttpRequest, isValidRequestId, type Settings } from '../../src';

@Controller('')
class IdController {
  @Get('/id/')
  id(request: HttpRequest) {
    request.log.info({ name: 'polls' }, 'asked for its id');
    return { id: request.id };
  }

  @Get('/quiet/')
  quiet() {
    return 'nothing logged';
  }
}

function clientWith(settings: Partial<Settings> = {}) {
  const logger = new CapturingLogger();
  const app = createApp({ controllers: [IdController], settings: { secretKey: 'k', ...settings }, container: root.createChildContainer(), logger });
  return { client: new Client(app), logger };
}

describe('generated IDs', () => {
  test("this process's 8 hex digits, a dash, then a count in base 36: unique and increasing", () => {
    const first = generateRequestId();
    const second = generateRequestId();
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(second.split('-')[0]).toBe(first.split('-')[0]);
    expect(parseInt(second.split('-')[1], 36)).toBe(parseInt(first.split('-')[1], 36) + 1);
  });

  test('request.id is made once per request, used by request.log and echoed in X-Request-ID', async () => {
    const { client, logger } = clientWith();
    const response = await client.get('/id/');
    const id = response.json<{ id: string }>().id;
    expect(response.headers.get('X-Request-ID')).toBe(id);
    expect(logger.records).toEqual([{ level: 'info', requestId: id, name: 'polls', msg: 'asked for its id' }]);
  });

  test('the echo header follows requestIdHeader', async () => {
    const { client } = clientWith({ requestIdHeader: 'X-Correlation-ID' });
    const response = await client.get('/id/');
    expect(response.headers.get('X-Correlation-ID')).toBe(response.json<{ id: string }>().id);
    expect(response.headers.has('X-Request-ID')).toBe(false);
  });

  test('a request nobody logged about and whose id nobody read gets no header (nothing was made)', async () => {
    const { client } = clientWith();
    expect((await client.get('/quiet/')).headers.has('X-Request-ID')).toBe(false);
  });

  test('a counter is much cheaper than crypto.randomUUID() per request (measured here, as a ratio)', () => {
    const rounds = 200_000;
    const time = (make: () => string): number => {
      let sink = 0;
      const start = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) sink += make().length;
      const elapsed = Number(process.hrtime.bigint() - start);
      expect(sink).toBeGreaterThan(0);
      return elapsed;
    };
    // Warm both up, then take the best of three of each, so a busy machine skews neither.
    time(generateRequestId);
    time(randomUUID);
    const counter = Math.min(time(generateRequestId), time(generateRequestId), time(generateRequestId));
    const uuid = Math.min(time(randomUUID), time(randomUUID), time(randomUUID));
    // About 3x on Node 20 (src/logging/request-id.ts); require a clear margin, not the exact figure.
    expect(uuid / counter).toBeGreaterThan(1.5);
  });
});

describe('an incoming ID, only from a trusted proxy', () => {
  const incoming = { headers: { 'X-Request-ID': 'lb-7f3a9c_01=' } };

  test('by default the header is ignored: a client cannot choose the ID its requests are logged under', async () => {
    const { client } = clientWith();
    const response = await client.get('/id/', undefined, incoming);
    expect(response.json<{ id: string }>().id).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
  });

  test('with trustRequestIdHeader the proxy-set ID is kept, logged and echoed', async () => {
    const { client, logger } = clientWith({ trustRequestIdHeader: true });
    const response = await client.get('/id/', undefined, incoming);
    expect(response.json()).toEqual({ id: 'lb-7f3a9c_01=' });
    expect(response.headers.get('X-Request-ID')).toBe('lb-7f3a9c_01=');
    expect(logger.records[0].requestId).toBe('lb-7f3a9c_01=');
  });

  test.each([
    ['a newline (a forged log line)', 'abc\n[ERROR] forged'],
    ['quotes and spaces', '"a b"'],
    ['256 characters', 'a'.repeat(256)],
    ['empty', ''],
  ])('trusted but unsafe (%s): replaced by a generated one, never echoed', async (_what, value) => {
    expect(isValidRequestId(value)).toBe(false);
    const { client } = clientWith({ trustRequestIdHeader: true });
    const response = await client.get('/id/', undefined, { headers: { 'X-Request-ID': value } });
    const id = response.json<{ id: string }>().id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(response.headers.get('X-Request-ID')).toBe(id);
  });

  test('255 characters of the safe set are kept; a UUID is', () => {
    expect(isValidRequestId('a'.repeat(255))).toBe(true);
    expect(isValidRequestId(randomUUID())).toBe(true);
  });
});
