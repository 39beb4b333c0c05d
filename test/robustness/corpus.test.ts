/**
 * Issue 8 §1: a corpus of malformed requests sent over raw TCP to `app.listen(0)` running Django's
 * default middleware stack. Every case must end in a 4xx or a closed socket within 5 s — never a
 * 5xx, a crash or a hang — and afterwards a new connection's `GET /ok` still answers 200. Where
 * the right status is known (a poisoned Host is 400, oversized headers 431, ...) the case pins it.
 * The poisoned hosts are Django's (tests/requests_tests/tests.py, `test_http_get_host`).
 */
import { readdirSync } from 'node:fs';
import { healthStatus, httpRequest, rejectionProblem, sendRaw, watchProcessErrors, type Piece, type RawOptions, type RawOutcome } from './helpers';
import { startRobustApp, type RobustApp } from './robust-app';

const H: [string, string] = ['Host', 'localhost'];
const FORM: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];
const B = 'robustboundary7f3a';
const MULTIPART: [string, string] = ['Content-Type', `multipart/form-data; boundary=${B}`];

function multipartBody(parts: string[], close = true): string {
  return parts.map((p) => `--${B}\r\n${p}\r\n`).join('') + (close ? `--${B}--\r\n` : '');
}
function field(name: string, value: string): string {
  return `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
}
function post(target: string, headers: [string, string][], body: string | Buffer): Buffer {
  return httpRequest('POST', target, [H, ...headers, ['Content-Length', String(Buffer.byteLength(body))]], body);
}

interface Case {
  name: string;
  send: Piece | Piece[];
  options?: RawOptions;
  /** The exact status this case must get (besides the general invariant). */
  status?: number;
  /** For the few valid-but-hostile requests whose documented answer is a success. */
  accept?: (outcome: RawOutcome) => void;
}

const POISONED_HOSTS = [
  'example.com@evil.tld',
  'example.com:dr.frankenstein@evil.tld',
  'example.com:dr.frankenstein@evil.tld:80',
  'example.com:80/badpath',
  'example.com: recovermypassword.com',
];
const NOT_ALLOWED_HOSTS = ['example.com', 'evil.tld', 'localhost.evil.tld', '127.0.0.2', '[::1]'];

const cases: Case[] = [
  // -- Truncated headers --
  { name: 'headers cut mid-line, then FIN', send: 'GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Fo', options: { halfClose: true } },
  { name: 'headers without the blank line, then FIN', send: 'GET /ok HTTP/1.1\r\nHost: localhost\r\n', options: { halfClose: true } },
  { name: 'request line only, no CRLF, then FIN', send: 'GET /ok HTTP/1.1', options: { halfClose: true } },
  // A slowloris: never finishes its headers and never closes; headersTimeout (2 s) must answer.
  { name: 'headers that stall forever (slowloris)', send: 'GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1', status: 408 },
  { name: 'one header byte every 300 ms (slow drip)', send: ['GET /ok HTTP/1.1\r\n', ...Array.from({ length: 16 }, (): Piece[] => [{ pause: 300 }, 'X']).flat()], status: 408 },

  // -- Oversized headers and request lines --
  { name: 'one 20 KB header value', send: httpRequest('GET', '/ok', [H, ['X-Big', 'a'.repeat(20 * 1024)]]), status: 431 },
  { name: '4,000 small headers', send: httpRequest('GET', '/ok', [H, ...Array.from({ length: 4000 }, (_, i): [string, string] => [`X-H${i}`, 'v'])]), status: 431 },
  { name: 'a 20 KB request target', send: httpRequest('GET', '/ok?' + 'q'.repeat(20 * 1024), [H]), status: 431 },
  { name: 'a 64 KB header name', send: httpRequest('GET', '/ok', [H, ['X'.repeat(64 * 1024), 'v']]), status: 431 },

  // -- Bad request lines --
  { name: 'garbage request line', send: 'GARBAGE\r\n\r\n', status: 400 },
  { name: 'method only', send: 'GET\r\n\r\n', status: 400 },
  { name: 'unknown HTTP version', send: 'GET /ok HTTP/9.9\r\nHost: localhost\r\n\r\n' },
  { name: 'trailing token after the version', send: 'GET /ok HTTP/1.1 extra\r\nHost: localhost\r\n\r\n', status: 400 },
  { name: 'lower-case method', send: 'get /ok HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400 },
  { name: 'unknown method', send: 'FROB /ok HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400 },
  // Node's parser tolerates the extra space; what matters is that nothing breaks.
  { name: 'two spaces before the target', send: 'GET  /ok HTTP/1.1\r\nHost: localhost\r\n\r\n', accept: expectStatus(200) },
  { name: 'NUL byte in the request line', send: 'GET /o\x00k HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400 },
  { name: 'binary noise', send: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]), status: 400 },
  { name: 'a TLS ClientHello on the plain port', send: Buffer.from('16030100a5010000a103030000000000000000000000000000000000000000000000000000000000000000', 'hex'), options: { halfClose: true } },
  { name: 'the HTTP/2 connection preface', send: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', options: { halfClose: true } },
  { name: 'HTTP/1.1 without Host', send: 'GET /ok HTTP/1.1\r\n\r\n', status: 400 },
  { name: 'LF-only line endings with a bare CR in a header', send: 'GET /ok HTTP/1.1\nHost: localhost\nX-A: b\rc\n\n', status: 400 },
  { name: 'header line without a colon', send: 'GET /ok HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n', status: 400 },
  { name: 'space before the colon of a header name', send: 'GET /ok HTTP/1.1\r\nHost : localhost\r\n\r\n', status: 400 },
  { name: 'obsolete line folding', send: 'GET /ok HTTP/1.1\r\nHost: localhost\r\nX-A: b\r\n  folded\r\n\r\n', status: 400 },
  { name: 'absolute-form target for another host', send: httpRequest('GET', 'http://evil.tld/ok', [['Host', 'evil.tld']]), status: 400 },
  { name: 'asterisk-form target on GET', send: httpRequest('GET', '*', [H]), status: 404 },
  { name: 'CONNECT to a host', send: httpRequest('CONNECT', 'evil.tld:443', [['Host', 'evil.tld:443']]) },

  // -- Percent-encoding in path and query --
  { name: 'a lone % at the end of the path', send: httpRequest('GET', '/ok%', [H]), status: 400 },
  { name: 'invalid escape %zz in the path', send: httpRequest('GET', '/o%zzk', [H]), status: 400 },
  // Octets that are not UTF-8 stay percent-encoded in the path, as Django's
  // repercent_broken_unicode leaves them (issue 25 item 5): no route has that text, so a 404.
  { name: 'overlong UTF-8 (%C0%AF) in the path', send: httpRequest('GET', '/%C0%AFetc/passwd', [H]), status: 404 },
  { name: 'invalid UTF-8 (%C3%28) in the path', send: httpRequest('GET', '/items/%C3%28/', [H]), status: 404 },
  { name: 'encoded NUL in the path', send: httpRequest('GET', '/ok%00', [H]), status: 404 },
  { name: 'encoded ../ in the path', send: httpRequest('GET', '/..%2f..%2fetc%2fpasswd', [H]), status: 404 },
  { name: 'int converter given 10^400', send: httpRequest('GET', `/items/${'9'.repeat(400)}/`, [H]), status: 404 },
  { name: 'invalid escapes in the query', send: httpRequest('GET', '/query?a=%zz&b=%&%=c', [H]), accept: expectJson(200, { keys: ['a', 'b', '%'] }) },
  { name: 'invalid UTF-8 escapes in the query', send: httpRequest('GET', '/query?a=%FF%FE&%C3%28=1', [H]), accept: expectStatus(200) },

  // -- Non-UTF-8 bytes --
  { name: 'raw 0xFF bytes in the query', send: Buffer.concat([Buffer.from('GET /query?a='), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: localhost\r\n\r\n')]), status: 400 },
  { name: 'raw 0xFF bytes in the path', send: Buffer.concat([Buffer.from('GET /o'), Buffer.from([0xff]), Buffer.from('k HTTP/1.1\r\nHost: localhost\r\n\r\n')]), status: 400 },
  { name: 'non-UTF-8 bytes in an urlencoded body', send: post('/form', [FORM], Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0x26, 0x62, 0x3d, 0xc3, 0x28])), status: 400 },
  { name: 'non-UTF-8 percent-escapes in an urlencoded body', send: post('/form', [FORM], 'a=%FF%FE&b=%C3%28'), accept: expectStatus(200) },
  { name: 'non-UTF-8 bytes in a JSON body', send: post('/json', [['Content-Type', 'application/json']], Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), status: 400 },
  { name: 'truncated JSON body', send: post('/json', [['Content-Type', 'application/json']], '{"a": [1, 2'), status: 400 },
  { name: 'non-ASCII bytes in a header value', send: Buffer.concat([Buffer.from('GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Custom: '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('\r\n\r\n')]), accept: expectStatus(200) },

  // -- Content-Length --
  { name: 'Content-Length longer than the body, then FIN', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '100']], 'a=1'), options: { halfClose: true } },
  { name: 'Content-Length longer than the body, client stalls', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '100']], 'a=1'), status: 408 },
  { name: 'Content-Length shorter than the body (rest is garbage)', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3']], 'a=1GARBAGE\r\n\r\n') },
  { name: 'Content-Length shorter than the body, then FIN', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3']], 'a=1&b=2&c=3'), options: { halfClose: true } },
  { name: 'duplicate Content-Length, different values', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3'], ['Content-Length', '5']], 'a=1&b'), status: 400 },
  { name: 'duplicate Content-Length, same value', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3'], ['Content-Length', '3']], 'a=1'), status: 400 },
  { name: 'Content-Length as a list', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3, 3']], 'a=1'), status: 400 },
  { name: 'negative Content-Length', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '-1']], 'a=1'), status: 400 },
  { name: 'non-numeric Content-Length', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3x']], 'a=1'), status: 400 },
  { name: 'Content-Length of 2^64', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '18446744073709551616']], 'a=1'), status: 400 },
  { name: 'Content-Length over maxUploadSize (nothing sent)', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', String(50 * 1024 * 1024)]]), status: 413 },
  { name: 'urlencoded body over dataUploadMaxMemorySize', send: post('/form', [FORM], 'a=' + 'x'.repeat(300 * 1024)), status: 413 },
  { name: 'Content-Length together with Transfer-Encoding', send: httpRequest('POST', '/form', [H, FORM, ['Content-Length', '3'], ['Transfer-Encoding', 'chunked']], '3\r\na=1\r\n0\r\n\r\n'), status: 400 },

  // -- Chunked bodies --
  { name: 'chunked body cut mid-chunk, then FIN', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']], '10\r\na=1&b='), options: { halfClose: true } },
  { name: 'chunked body cut mid-chunk, client stalls', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']], '10\r\na=1&b='), status: 408 },
  { name: 'chunked body without the last chunk, then FIN', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']], '3\r\na=1\r\n'), options: { halfClose: true } },
  { name: 'chunk size that is not hex', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']], 'zz\r\na=1\r\n0\r\n\r\n'), status: 400 },
  { name: 'chunk size overflowing 64 bits', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']], 'ffffffffffffffffff\r\na=1\r\n0\r\n\r\n'), status: 400 },
  { name: 'chunk data longer than its size', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']], '1\r\na=1\r\n0\r\n\r\n'), status: 400 },
  { name: 'unknown Transfer-Encoding', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'gzip']], 'a=1'), status: 400 },
  { name: 'chunked body over dataUploadMaxMemorySize', send: [httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked']]), ...Array.from({ length: 6 }, () => `10000\r\n${'x'.repeat(0x10000)}\r\n`)], status: 413 },

  // -- Multipart --
  { name: 'multipart without a boundary', send: post('/upload', [['Content-Type', 'multipart/form-data']], multipartBody([field('a', '1')])), status: 400 },
  { name: 'multipart with an empty boundary', send: post('/upload', [['Content-Type', 'multipart/form-data; boundary=']], multipartBody([field('a', '1')])), status: 400 },
  // Django's boundary_re allows 201 characters (issue 25 item 4).
  { name: 'multipart with a 202-character boundary', send: post('/upload', [['Content-Type', `multipart/form-data; boundary=${'b'.repeat(202)}`]], `--${'b'.repeat(202)}\r\n${field('a', '1')}\r\n--${'b'.repeat(202)}--\r\n`), status: 400 },
  { name: 'multipart with an unterminated quoted boundary', send: post('/upload', [['Content-Type', `multipart/form-data; boundary="${B}`]], multipartBody([field('a', '1')])), status: 400 },
  { name: 'multipart with a non-ASCII boundary', send: post('/upload', [['Content-Type', 'multipart/form-data; boundary=gr\u00e9nz']], '--gr\u00e9nz\r\n' + field('a', '1') + '\r\n--gr\u00e9nz--\r\n'), status: 400 },
  { name: 'multipart body that never uses its boundary', send: post('/upload', [MULTIPART], 'just some text\r\n'), status: 400 },
  // RFC 2046 §5.1.1: a line that is not a delimiter is preamble, so this is a body with no parts.
  { name: 'multipart with a garbled delimiter', send: post('/upload', [MULTIPART], `--${B}X\r\n${field('a', '1')}\r\n--${B}--\r\n`), accept: expectJson(200, { fields: 0, files: [] }) },
  { name: 'multipart with an unterminated part (no closing boundary)', send: post('/upload', [MULTIPART], `--${B}\r\n${field('a', '1')}`), status: 400 },
  { name: 'multipart part headers that never end', send: post('/upload', [MULTIPART], `--${B}\r\nContent-Disposition: form-data; name="a"\r\n`), status: 400 },
  { name: 'multipart file part cut short, then FIN', send: httpRequest('POST', '/upload', [H, MULTIPART, ['Content-Length', '100000']], `--${B}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n` + 'z'.repeat(50_000)), options: { halfClose: true } },
  { name: 'multipart part header past the size limit (20 KB)', send: post('/upload', [MULTIPART], multipartBody([`Content-Disposition: form-data; name="a"\r\nX-Pad: ${'p'.repeat(20 * 1024)}\r\n\r\n1`])), status: 400 },
  { name: '10,000 tiny multipart fields', send: post('/upload', [MULTIPART], multipartBody(Array.from({ length: 10_000 }, (_, i) => field(`f${i}`, 'x')))), status: 400 },
  { name: '10,000 tiny urlencoded fields', send: post('/form', [FORM], Array.from({ length: 10_000 }, (_, i) => `f${i}=x`).join('&')), status: 400 },
  { name: '2,000 tiny query fields (over dataUploadMaxNumberFields)', send: httpRequest('GET', '/query?' + Array.from({ length: 2000 }, () => 'a').join('&'), [H]), status: 400 },
  { name: '10,000 tiny query fields (past the header size limit)', send: httpRequest('GET', '/query?' + Array.from({ length: 10_000 }, () => 'a').join('&'), [H]), status: 431 },
  { name: 'multipart files over dataUploadMaxNumberFiles', send: post('/upload', [MULTIPART], multipartBody(Array.from({ length: 120 }, (_, i) => `Content-Disposition: form-data; name="f"; filename="${i}.txt"\r\n\r\nx`))), status: 400 },
  { name: 'multipart field over dataUploadMaxMemorySize', send: post('/upload', [MULTIPART], multipartBody([field('a', 'y'.repeat(300 * 1024))])), status: 413 },
  {
    // A longer one does not fit in Django's 1,024 bytes of part headers (the 20 KB case above).
    name: 'a file field with a 900-character name (cut to 255, SPEC §6)',
    send: post('/upload', [MULTIPART], multipartBody([`Content-Disposition: form-data; name="f"; filename="${'n'.repeat(900)}.txt"\r\nContent-Type: text/plain\r\n\r\nhello`])),
    accept: (outcome) => {
      expect(outcome.status).toBe(200);
      const body = JSON.parse(outcome.responses.find((r) => r.status >= 200)!.body.toString()) as { files: { name: string; size: number }[] };
      expect(body.files).toEqual([{ field: 'f', name: 'n'.repeat(251) + '.txt', size: 5 }]);
    },
  },
  { name: 'multipart with non-UTF-8 bytes in a field', send: post('/upload', [MULTIPART], Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\n`), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(`\r\n--${B}--\r\n`)])), accept: expectStatus(200) },
  { name: 'multipart without Content-Disposition', send: post('/upload', [MULTIPART], multipartBody(['Content-Type: text/plain\r\n\r\nhello'])), accept: expectJson(200, { fields: 0, files: [] }) },

  // -- Expectations, pipelining, smuggling shapes --
  // Node answers 100 Continue before the app sees the request; the 413 follows, and the socket closes.
  { name: 'Expect: 100-continue with a body over maxUploadSize', send: httpRequest('POST', '/form', [H, FORM, ['Expect', '100-continue'], ['Content-Length', String(50 * 1024 * 1024)]]), status: 413 },
  { name: 'an unknown Expect', send: httpRequest('POST', '/form', [H, FORM, ['Expect', 'the-unexpected'], ['Content-Length', '3']], 'a=1'), status: 417 },
  { name: 'a bad request pipelined after a good one', send: Buffer.concat([httpRequest('GET', '/ok', [H]), Buffer.from('BROKEN LINE\r\n\r\n')]) },
  { name: 'Transfer-Encoding: chunked twice', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'chunked']], '3\r\na=1\r\n0\r\n\r\n') },
  { name: 'Transfer-Encoding: chunked, identity', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'chunked, identity']], '3\r\na=1\r\n0\r\n\r\n'), status: 400 },
  { name: 'Transfer-Encoding: xchunked', send: httpRequest('POST', '/form', [H, FORM, ['Transfer-Encoding', 'xchunked']], '3\r\na=1\r\n0\r\n\r\n'), status: 400 },
  { name: 'HTTP/1.0 without Host (the server name stands in)', send: 'GET /ok HTTP/1.0\r\n\r\n', accept: expectStatus(200) },
  { name: 'a 20 KB Cookie header', send: httpRequest('GET', '/ok', [H, ['Cookie', `sessionid=${'c'.repeat(20 * 1024)}`]]), status: 431 },
  { name: 'garbage cookies and a bogus session key', send: httpRequest('GET', '/session', [H, ['Cookie', 'sessionid="\\x; =; ;;a=b=c; sessionid=../../etc; csrftoken=\u00ff']]), accept: expectStatus(200) },
  { name: 'a garbage Accept on a 404', send: httpRequest('GET', '/nowhere', [H, ['Accept', 'text/html;q=abc, */*;q=-1, application/json;;;q']]), status: 404 },

  // -- Hosts (Django's poisoned-host list, and hosts not allowed) --
  ...POISONED_HOSTS.map((host): Case => ({ name: `poisoned Host ${JSON.stringify(host)}`, send: httpRequest('GET', '/ok', [['Host', host]]), status: 400 })),
  ...NOT_ALLOWED_HOSTS.map((host): Case => ({ name: `Host ${host} not in allowedHosts`, send: httpRequest('GET', '/ok', [['Host', host]]), status: 400 })),
  { name: 'poisoned X-Forwarded-Host is ignored without useXForwardedHost', send: httpRequest('GET', '/meta', [H, ['X-Forwarded-Host', 'example.com@evil.tld']]), accept: expectStatus(200) },
  { name: 'two Host headers', send: httpRequest('GET', '/ok', [H, ['Host', 'evil.tld']]), status: 400 },
  { name: 'empty Host', send: httpRequest('GET', '/ok', [['Host', '']]), status: 400 },

  // -- Header names with underscores are dropped from META (SPEC §4), never a 5xx --
  {
    name: 'header names with underscores (X_Forwarded_Host, X_Custom)',
    send: httpRequest('GET', '/meta', [H, ['X_Forwarded_Host', 'evil.tld'], ['X_Custom', 'spoofed']]),
    accept: expectJson(200, { forwardedHost: null, custom: null, host: 'localhost' }),
  },
  {
    name: 'underscore and dash variants of one header: only the dash one counts',
    send: httpRequest('GET', '/meta', [H, ['X-Custom', 'real'], ['X_Custom', 'spoofed']]),
    accept: expectJson(200, { forwardedHost: null, custom: 'real', host: 'localhost' }),
  },
];

function expectStatus(status: number): (outcome: RawOutcome) => void {
  return (outcome) => expect(outcome.statuses.filter((s) => s >= 200)).toEqual([status]);
}
function expectJson(status: number, json: unknown): (outcome: RawOutcome) => void {
  return (outcome) => {
    expect(outcome.status).toBe(status);
    expect(JSON.parse(outcome.responses.find((r) => r.status >= 200)!.body.toString())).toEqual(json);
  };
}

let robust: RobustApp;
let watcher: ReturnType<typeof watchProcessErrors>;

beforeAll(async () => {
  watcher = watchProcessErrors();
  robust = await startRobustApp({
    settings: { dataUploadMaxMemorySize: 256 * 1024, maxUploadSize: 1024 * 1024, fileUploadMaxMemorySize: 16 * 1024 },
  });
});

afterAll(async () => {
  await robust.close();
  watcher.dispose();
  jest.restoreAllMocks();
});

afterEach(() => {
  // A crash elsewhere in the server would show here first; it fails the case that caused it.
  expect(watcher.errors).toEqual([]);
});

describe('malformed requests over raw sockets: a 4xx or a closed socket within 5 s, never a 5xx', () => {
  test.concurrent.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // A request whose documented answer is a success leaves a keep-alive connection open: the
    // case is over with its first response (so is a case expecting one exact status).
    const single = c.accept !== undefined || c.status !== undefined;
    const outcome = await sendRaw(robust.port, c.send, single ? { responses: 1, ...c.options } : c.options);
    const context = `${c.name}: statuses [${outcome.statuses.join(', ')}], closed ${outcome.closed}, ${outcome.ms} ms\n${outcome.raw.subarray(0, 300).toString('latin1')}`;
    if (c.accept) {
      expect(outcome.statuses.filter((s) => s >= 500)).toEqual([]);
      expect(outcome.timedOut).toBe(false);
      c.accept(outcome);
    } else {
      expect({ problem: rejectionProblem(outcome), context }).toEqual({ problem: null, context });
      if (c.status !== undefined) expect({ status: outcome.status, context }).toEqual({ status: c.status, context });
    }
    expect(await healthStatus(robust.port)).toBe(200);
  });

  test('the upload folder is empty and nothing was logged as a server error', async () => {
    expect(readdirSync(robust.tempDir)).toEqual([]);
    expect(robust.logs.filter((line) => line.startsWith('Internal Server Error') || line.startsWith('The error view failed'))).toEqual([]);
  });
});
