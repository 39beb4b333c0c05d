/**
 * The default logger: one line per record, Django's console lines with `debug` and pino's JSON
 * lines without, `logLevel` as the minimum, request data escaped (CVE-2025-48432).
 */
import 'reflect-metadata';
import { container as root } from 'tsyringe';
import { Controller, createApp, defaultLogger, Get, ImproperlyConfigured, LineLogger, resolveSettings } from '../../src';

const TIME = String.raw`\[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\]`;

function capture(format: 'human' | 'json', level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = new LineLogger({ format, level, destination: { write: (text: string) => lines.push(text) } });
  return { logger, lines };
}

describe('the human format (debug)', () => {
  test("Django's console line: time, level, logger name, message, then the fields", () => {
    const { logger, lines } = capture('human');
    logger.child({ requestId: '9f3c2a1b-1' }).warn({ name: 'reinhardt.security.csrf', status: 403 }, 'Forbidden (CSRF cookie not set.): /vote/');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${TIME} WARNING reinhardt\\.security\\.csrf: Forbidden \\(CSRF cookie not set\\.\\): /vote/ requestId=9f3c2a1b-1 status=403\\n$`))]);
  });

  test("reinhardt.server's info records are django.server's `[time] message`, nothing else", () => {
    const { logger, lines } = capture('human');
    logger.child({ name: 'reinhardt.server' }).info({ method: 'GET', status: 200, requestId: 'x-1' }, '"GET / HTTP/1.1" 200 2');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${TIME} "GET / HTTP/1\\.1" 200 2\\n$`))]);
  });

  test('an error follows on the next lines as its stack, the header escaped', () => {
    const { logger, lines } = capture('human');
    const error = new Error('bad\ninput');
    logger.error({ name: 'reinhardt.request', err: error }, 'Internal Server Error: /x');
    const [first, header, ...frames] = lines[0].trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^${TIME} ERROR reinhardt\\.request: Internal Server Error: /x$`));
    expect(header).toBe('Error: bad\\ninput');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((frame) => frame.startsWith('    at '))).toBe(true);
  });

  test('control characters in the message and the fields are escaped: one record, one line', () => {
    const { logger, lines } = capture('human');
    logger.warn({ path: '/a\r\n[ERROR] forged', n: { deep: '\x1b[31m' } }, 'x\ny');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${TIME} WARNING x\\\\ny path=/a\\\\r\\\\n\\[ERROR\\] forged n=\\{"deep":"\\\\\\\\u001b\\[31m"\\}\\n$`));
    expect(lines[0].slice(0, -1)).not.toContain('\n');
  });
});

describe('the JSON format (production)', () => {
  test("pino's field names: level (label), time (epoch ms), the bindings and fields, msg", () => {
    const { logger, lines } = capture('json');
    const before = Date.now();
    logger.child({ requestId: 'a-1' }).warn({ name: 'reinhardt.security.csrf', status: 403 }, 'Forbidden (CSRF cookie not set.): /vote/');
    const record = JSON.parse(lines[0]);
    expect(Object.keys(record)).toEqual(['level', 'time', 'requestId', 'name', 'status', 'msg']);
    expect(record).toEqual({ level: 'warn', time: expect.any(Number), requestId: 'a-1', name: 'reinhardt.security.csrf', status: 403, msg: 'Forbidden (CSRF cookie not set.): /vote/' });
    expect(record.time).toBeGreaterThanOrEqual(before);
    expect(lines[0].endsWith('}\n')).toBe(true);
  });

  test("an err is pino's serialised error: type, message, stack", () => {
    const { logger, lines } = capture('json');
    const error = new RangeError('too far\n[ERROR] forged');
    logger.error({ err: error }, 'failed');
    expect(lines).toHaveLength(1);
    expect(lines[0].slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(lines[0]).err).toEqual({ type: 'RangeError', message: 'too far\n[ERROR] forged', stack: error.stack });
  });

  test('a message alone, and a record with a cycle, are still one line each', () => {
    const { logger, lines } = capture('json');
    logger.info('plain');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    logger.info({ cyclic }, 'cycle');
    expect(JSON.parse(lines[0])).toEqual({ level: 'info', time: expect.any(Number), msg: 'plain' });
    expect(JSON.parse(lines[1])).toEqual({ level: 'info', time: expect.any(Number), cyclic: { a: 1, self: '[Circular]' }, msg: 'cycle' });
  });
});

describe('levels', () => {
  test("'info' (the default) drops debug; 'warn' drops info; errors always pass", () => {
    const info = capture('json');
    info.logger.debug('d');
    info.logger.info('i');
    expect(info.lines.map((line) => JSON.parse(line).msg)).toEqual(['i']);
    const warn = capture('json', 'warn');
    warn.logger.child({ name: 'x' }).info('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    expect(warn.lines.map((line) => JSON.parse(line).msg)).toEqual(['w', 'e']);
    expect(warn.logger.isLevelEnabled('info')).toBe(false);
  });

  test('defaultLogger: human with debug, JSON without, at logLevel', () => {
    const lines: string[] = [];
    const destination = { write: (text: string) => lines.push(text) };
    defaultLogger(resolveSettings({ debug: true }), destination).info('dev');
    defaultLogger(resolveSettings({ secretKey: 'k', logLevel: 'error' }), destination).warn('dropped');
    defaultLogger(resolveSettings({ secretKey: 'k' }), destination).info('prod');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${TIME} INFO dev\\n$`)), expect.stringMatching(/^\{"level":"info","time":\d+,"msg":"prod"\}\n$/)]);
  });

  test('the logging settings are checked at start-up, naming the setting', () => {
    expect(() => resolveSettings({ secretKey: 'k', logLevel: 'verbose' as 'info' })).toThrow(
      new ImproperlyConfigured(`The logLevel setting must be 'debug', 'info', 'warn' or 'error', not "verbose".`),
    );
    expect(() => resolveSettings({ secretKey: 'k', requestIdHeader: 'X Request' })).toThrow(
      new ImproperlyConfigured(`The requestIdHeader setting must be a header name such as 'X-Request-ID', not "X Request".`),
    );
    expect(() => resolveSettings({ secretKey: 'k', accessLog: 'yes' as unknown as boolean })).toThrow(new ImproperlyConfigured('The accessLog setting must be true or false.'));
  });
});

describe("an app's logger", () => {
  @Controller('')
  class HomeController {
    @Get('/')
    home() {
      return 'hi';
    }
  }

  test('without createApp({ logger }) nor LOGGER in its container: the default logger for its settings', () => {
    const app = createApp({ controllers: [HomeController], settings: { secretKey: 'k' }, container: root.createChildContainer() });
    expect(app.logger).toBeInstanceOf(LineLogger);
  });
});
