/**
 * Issue 19 item 4: request data that reaches a log line cannot forge log lines. Django escapes
 * what `log_response` logs with `unicode_escape` (CVE-2025-48432, 5.2.2 / 5.1.10 / 4.2.22);
 * every framework log call here goes through escapeLogText (src/core/log-text.ts).
 */
import 'reflect-metadata';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { errorDetailForLog, escapeLogText } from '../../src/core/log-text';
import type { HttpRequest } from '../../src/http/http-request';
import { SessionStore } from '../../src/sessions/session-store';
import { SignedCookieSessionStore } from '../../src/sessions/signed-cookie-session-store';
import { Client } from '../../src/testing/client';
import { LineLogger } from '../../src/logging/default-logger';

@Controller('')
class LoggedController {
  @Post('/s/<str:name>/')
  submit() {
    return { ok: true };
  }

  @Post('/upload/')
  upload(request: HttpRequest) {
    return { fields: request.POST.keys().length };
  }

  @Get('/visits/')
  visits(request: HttpRequest) {
    return { visits: request.session.get('visits') ?? 0 };
  }

  @Get('/boom/<str:name>/')
  boom(_request: HttpRequest, name: string) {
    throw new Error(`no such thing: ${name}`);
  }
}

/**
 * An app on the default logger's human format (what `debug` writes to stderr), its lines kept:
 * the escaping under test is the formatter's, so the lines are asserted as an operator reads them.
 */
function appWithLog(options: { signedCookies?: boolean; enforceCsrfChecks?: boolean } = {}) {
  const lines: string[] = [];
  const container = root.createChildContainer();
  if (options.signedCookies) container.register(SessionStore, { useValue: new SignedCookieSessionStore() });
  const app = createApp({
    controllers: [LoggedController],
    settings: { secretKey: 'k' },
    container,
    logger: new LineLogger({ format: 'human', destination: { write: (text: string) => lines.push(text) } }),
  });
  return { client: new Client(app, { enforceCsrfChecks: options.enforceCsrfChecks }), lines };
}

/** `[06/Dec/2026 13:22:06] ` at the start of every human line. */
const TIME = String.raw`\[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] `;

describe('escapeLogText (CVE-2025-48432)', () => {
  test.each([
    ['/s/x\n[ERROR] forged/', '/s/x\\n[ERROR] forged/'],
    ['a\r\nb\tc', 'a\\r\\nb\\tc'],
    ['\x00\x07\x1b[31mred\x7f', '\\x00\\x07\\x1b[31mred\\x7f'],
    ['next\u0085line\u2028and\u2029', 'next\\x85line\\u2028and\\u2029'],
    ['C:\\dir\\n', 'C:\\\\dir\\\\n'],
  ])('escapes control characters as Python unicode_escape writes them: %j', (text, escaped) => {
    expect(escapeLogText(text)).toBe(escaped);
  });

  test('printable text, non-ASCII included, is kept as it is', () => {
    expect(escapeLogText('GET /café/日本/?q=ü')).toBe('GET /café/日本/?q=ü');
  });

  test("an error's stack keeps its frames on their lines; only its header (the message) is escaped", () => {
    const detail = errorDetailForLog(new Error('bad\nline')) as string;
    expect(detail).toMatch(/^Error: bad\\nline\n {4}at /);
    expect(errorDetailForLog('thrown\nstring')).toBe('thrown\\nstring');
    expect(errorDetailForLog(42)).toBe(42);
  });
});

describe('request data cannot forge log lines (issue 19 item 4)', () => {
  test('a CSRF failure on a path with %0A logs one line, the newline escaped', async () => {
    const { client, lines } = appWithLog({ enforceCsrfChecks: true });
    const response = await client.post('/s/x%0A[ERROR]%20forged/', { a: '1' });
    expect(response.statusCode).toBe(403);
    const id = response.headers.get('X-Request-ID');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${TIME}WARNING reinhardt\\.security\\.csrf: Forbidden \\(CSRF cookie not set\\.\\): /s/x\\\\n\\[ERROR\\] forged/ requestId=${id} status=403\\n$`))]);
  });

  test('a multipart boundary with an RFC 2231-encoded newline is logged escaped (400, Django\'s record on reinhardt.request)', async () => {
    const { client, lines } = appWithLog();
    const response = await client.post('/upload/', '--x\r\n\r\n--x--\r\n', {
      contentType: "multipart/form-data; boundary*=utf-8''a%0A[ERROR]%20forged",
    });
    expect(response.statusCode).toBe(400);
    const id = response.headers.get('X-Request-ID');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${TIME}WARNING reinhardt\\.request: Bad request \\(Unable to parse request body\\): /upload/: Invalid boundary in multipart: a\\\\n\\[ERROR\\] forged requestId=${id} status=400\\n$`),
      ),
    ]);
  });

  test('a tampered signed session cookie logs the SuspiciousSession warning escaped', async () => {
    const { client, lines } = appWithLog({ signedCookies: true });
    client.cookies.set('sessionid', 'e30:1u0Z2Q:forged\n[ERROR] forged');
    const response = await client.get('/visits/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ visits: 0 });
    const id = response.headers.get('X-Request-ID');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${TIME}WARNING reinhardt\\.security\\.SuspiciousSession: SignedCookieSessionStore: Signature "forged\\\\n\\[ERROR\\] forged" does not match requestId=${id}\\n$`)),
    ]);
  });

  test('a 500 on a path with %0A: the message and the error header are escaped, the stack frames kept', async () => {
    const { client, lines } = appWithLog();
    const response = await client.get('/boom/x%0A[ERROR]%20forged/');
    expect(response.statusCode).toBe(500);
    const id = response.headers.get('X-Request-ID');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${TIME}ERROR reinhardt\\.request: Internal Server Error: /boom/x\\\\n\\[ERROR\\] forged/ requestId=${id} status=500\\nError: no such thing: x\\\\n\\[ERROR\\] forged\\n {4}at `),
      ),
    ]);
    // Every line after the first is a stack frame: none the client wrote.
    expect(lines[0].trimEnd().split('\n').slice(2).every((line) => line.startsWith('    at '))).toBe(true);
  });
});
