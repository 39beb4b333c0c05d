import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConditional, checkPreconditions, parseEtags, parseHttpDate, type ConditionalRequest } from '../../src/core/conditional';
import { FileResponse } from '../../src/http/file-response';
import { HttpResponse } from '../../src/http/http-response';
import { HttpResponseNotModified } from '../../src/http/response-subclasses';

let dir: string;
let file: string;
const MTIME = new Date('2024-03-04T05:06:07Z');
const LAST_MODIFIED = 'Mon, 04 Mar 2024 05:06:07 GMT';
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'; // 36 bytes

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reinhardt-conditional-'));
  file = join(dir, 'digits.txt');
  writeFileSync(file, DIGITS);
  utimesSync(file, MTIME, MTIME);
  writeFileSync(join(dir, 'empty.txt'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function request(headers: Record<string, string>, method = 'GET'): ConditionalRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, headers: { get: (name: string) => lower.get(name.toLowerCase()) ?? null } };
}

async function body(response: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of (response as FileResponse).streamingContent) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

describe('applyConditional: 304 (RFC 9110 §13.1.2, §13.1.3)', () => {
  it('If-None-Match with the current ETag -> 304 keeping validators, Cache-Control and cookies', () => {
    const response = new FileResponse(file);
    response.headers.set('Cache-Control', 'max-age=60');
    response.setCookie('seen', '1');
    const answer = applyConditional(request({ 'If-None-Match': `"other", ${response.etag}` }), response);
    expect(answer).toBeInstanceOf(HttpResponseNotModified);
    expect(answer.statusCode).toBe(304);
    expect(answer.headers.toObject()).toEqual({
      'Cache-Control': 'max-age=60',
      ETag: response.etag,
      'Last-Modified': LAST_MODIFIED,
    });
    expect(answer.cookieHeaders()).toEqual(['seen=1; Path=/']);
    expect(response.closed).toBe(true);
  });

  it('If-None-Match compares weakly: W/ matches', () => {
    const response = new HttpResponse('x', { headers: { ETag: '"v1"' } });
    expect(applyConditional(request({ 'If-None-Match': 'W/"v1"' }), response).statusCode).toBe(304);
  });

  it('If-None-Match: * matches any response with an ETag', () => {
    expect(applyConditional(request({ 'If-None-Match': '*' }), new FileResponse(file)).statusCode).toBe(304);
  });

  it('If-None-Match that does not match -> the response unchanged', () => {
    const response = new FileResponse(file);
    expect(applyConditional(request({ 'If-None-Match': '"nope"' }), response)).toBe(response);
  });

  it('If-None-Match matching on a POST -> the response unchanged: too late for a 412, the handler ran', () => {
    const response = new HttpResponse('x', { headers: { ETag: '"v1"' } });
    expect(applyConditional(request({ 'If-None-Match': '"v1"' }, 'POST'), response)).toBe(response);
  });

  it('If-Modified-Since at or after Last-Modified -> 304; before -> unchanged', () => {
    expect(applyConditional(request({ 'If-Modified-Since': LAST_MODIFIED }), new FileResponse(file)).statusCode).toBe(304);
    expect(applyConditional(request({ 'If-Modified-Since': 'Tue, 05 Mar 2024 00:00:00 GMT' }), new FileResponse(file)).statusCode).toBe(304);
    expect(applyConditional(request({ 'If-Modified-Since': 'Sun, 03 Mar 2024 00:00:00 GMT' }), new FileResponse(file)).statusCode).toBe(200);
  });

  it('If-Modified-Since is ignored when If-None-Match is present, invalid, or the method is POST', () => {
    expect(applyConditional(request({ 'If-None-Match': '"nope"', 'If-Modified-Since': LAST_MODIFIED }), new FileResponse(file)).statusCode).toBe(200);
    expect(applyConditional(request({ 'If-Modified-Since': 'yesterday' }), new FileResponse(file)).statusCode).toBe(200);
    expect(applyConditional(request({ 'If-Modified-Since': LAST_MODIFIED }, 'POST'), new FileResponse(file)).statusCode).toBe(200);
  });

  it('applies to HEAD and to any 2xx response with validators, never to others', () => {
    expect(applyConditional(request({ 'If-None-Match': '"a"' }, 'HEAD'), new HttpResponse('', { headers: { ETag: '"a"' } })).statusCode).toBe(304);
    const notFound = new HttpResponse('', { status: 404, headers: { ETag: '"a"' } });
    expect(applyConditional(request({ 'If-None-Match': '"a"' }), notFound)).toBe(notFound);
  });
});

describe('applyConditional: 412 (RFC 9110 §13.1.1, §13.1.4)', () => {
  it('If-Match compares strongly', () => {
    const response = new HttpResponse('x', { headers: { ETag: '"v1"' } });
    expect(applyConditional(request({ 'If-Match': '"v1"' }), response)).toBe(response);
    expect(applyConditional(request({ 'If-Match': '"v2"' }), new HttpResponse('x', { headers: { ETag: '"v1"' } })).statusCode).toBe(412);
    expect(applyConditional(request({ 'If-Match': 'W/"v1"' }), new HttpResponse('x', { headers: { ETag: 'W/"v1"' } })).statusCode).toBe(412);
  });

  it('never answers a PUT, POST or DELETE 412 after its handler ran (Django ConditionalGetMiddleware: GET only)', () => {
    for (const method of ['PUT', 'POST', 'DELETE', 'PATCH']) {
      const response = new HttpResponse('x', { headers: { ETag: '"v1"' } });
      expect(applyConditional(request({ 'If-Match': '"v2"', 'If-Unmodified-Since': 'Sun, 03 Mar 2024 00:00:00 GMT' }, method), response)).toBe(response);
    }
  });

  it('If-Unmodified-Since before Last-Modified -> 412', () => {
    expect(applyConditional(request({ 'If-Unmodified-Since': 'Sun, 03 Mar 2024 00:00:00 GMT' }), new FileResponse(file)).statusCode).toBe(412);
    expect(applyConditional(request({ 'If-Unmodified-Since': LAST_MODIFIED }), new FileResponse(file)).statusCode).toBe(200);
  });
});

describe('applyConditional: Range (RFC 9110 §14.2)', () => {
  it.each([
    ['bytes=0-9', 0, 9, '0123456789'],
    ['bytes=30-', 30, 35, 'uvwxyz'],
    ['bytes=-4', 32, 35, 'wxyz'],
    ['bytes=30-1000', 30, 35, 'uvwxyz'],
    ['bytes=-1000', 0, 35, DIGITS],
    ['BYTES=10-10', 10, 10, 'a'],
  ])('%s -> 206 bytes %i-%i', async (range, start, end, expected) => {
    const answer = applyConditional(request({ Range: range }), new FileResponse(file));
    expect(answer.statusCode).toBe(206);
    expect(answer.reasonPhrase).toBe('Partial Content');
    expect(answer.headers.get('Content-Range')).toBe(`bytes ${start}-${end}/36`);
    expect(answer.headers.get('Content-Length')).toBe(String(end - start + 1));
    expect(await body(answer)).toBe(expected);
  });

  it.each(['bytes=36-', 'bytes=100-200', 'bytes=-0'])('%s cannot be satisfied -> 416 with Content-Range: bytes */36', (range) => {
    const response = new FileResponse(file);
    response.setCookie('k', 'v');
    const answer = applyConditional(request({ Range: range }), response);
    expect(answer.statusCode).toBe(416);
    expect(answer.reasonPhrase).toBe('Range Not Satisfiable');
    expect(answer.headers.get('Content-Range')).toBe('bytes */36');
    expect(answer.cookieHeaders()).toEqual(['k=v; Path=/']);
  });

  it('any range of an empty file -> 416 bytes */0', () => {
    const answer = applyConditional(request({ Range: 'bytes=0-' }), new FileResponse(join(dir, 'empty.txt')));
    expect(answer.statusCode).toBe(416);
    expect(answer.headers.get('Content-Range')).toBe('bytes */0');
  });

  it.each(['bytes=0-1,4-5', 'bytes=5-2', 'items=0-1', 'bytes=-', 'bytes=a-b'])('%s is answered with the whole file (200)', async (range) => {
    const response = new FileResponse(file);
    const answer = applyConditional(request({ Range: range }), response);
    expect(answer).toBe(response);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers.get('Content-Length')).toBe('36');
    expect(await body(answer)).toBe(DIGITS);
  });

  it('is ignored for POST, for streams, and for non-200 responses', () => {
    expect(applyConditional(request({ Range: 'bytes=0-1' }, 'POST'), new FileResponse(file)).statusCode).toBe(200);
    expect(applyConditional(request({ Range: 'bytes=0-1' }), new HttpResponse('abc')).statusCode).toBe(200);
  });

  it('applies to HEAD (same headers as GET, RFC 9110 §9.3.2)', () => {
    expect(applyConditional(request({ Range: 'bytes=0-1' }, 'HEAD'), new FileResponse(file)).statusCode).toBe(206);
  });

  it('If-Range with the current ETag or date -> 206; otherwise the whole file', () => {
    const etag = new FileResponse(file).etag!;
    expect(applyConditional(request({ Range: 'bytes=0-1', 'If-Range': etag }), new FileResponse(file)).statusCode).toBe(206);
    expect(applyConditional(request({ Range: 'bytes=0-1', 'If-Range': LAST_MODIFIED }), new FileResponse(file)).statusCode).toBe(206);
    expect(applyConditional(request({ Range: 'bytes=0-1', 'If-Range': '"stale"' }), new FileResponse(file)).statusCode).toBe(200);
    expect(applyConditional(request({ Range: 'bytes=0-1', 'If-Range': `W/${etag}` }), new FileResponse(file)).statusCode).toBe(200);
    expect(applyConditional(request({ Range: 'bytes=0-1', 'If-Range': 'Tue, 05 Mar 2024 00:00:00 GMT' }), new FileResponse(file)).statusCode).toBe(200);
  });

  it('a response without conditional headers is returned untouched', () => {
    const response = new FileResponse(file);
    expect(applyConditional(request({}), response)).toBe(response);
  });
});

describe('checkPreconditions: before the handler (RFC 9110 §13.2.2, Django get_conditional_response)', () => {
  const MODIFIED = Date.UTC(2024, 2, 4, 5, 6, 7) / 1000;

  it('If-Match: strong comparison; * needs a current representation', () => {
    expect(checkPreconditions(request({ 'If-Match': '"a", "v1"' }, 'PUT'), '"v1"', null)).toBe(0);
    expect(checkPreconditions(request({ 'If-Match': '"v0"' }, 'PUT'), '"v1"', null)).toBe(412);
    expect(checkPreconditions(request({ 'If-Match': 'W/"v1"' }, 'PUT'), 'W/"v1"', null)).toBe(412);
    expect(checkPreconditions(request({ 'If-Match': '*' }, 'PUT'), 'W/"v1"', null)).toBe(0);
    expect(checkPreconditions(request({ 'If-Match': '*' }, 'PUT'), undefined, null)).toBe(412);
  });

  it('If-Unmodified-Since: 412 when modified since or unknown; ignored under If-Match or when invalid', () => {
    expect(checkPreconditions(request({ 'If-Unmodified-Since': 'Mon, 04 Mar 2024 05:06:06 GMT' }, 'DELETE'), undefined, MODIFIED)).toBe(412);
    expect(checkPreconditions(request({ 'If-Unmodified-Since': LAST_MODIFIED }, 'DELETE'), undefined, MODIFIED)).toBe(0);
    expect(checkPreconditions(request({ 'If-Unmodified-Since': LAST_MODIFIED }, 'DELETE'), undefined, null)).toBe(412);
    expect(checkPreconditions(request({ 'If-Match': '"v1"', 'If-Unmodified-Since': 'Sun, 03 Mar 2024 00:00:00 GMT' }, 'PUT'), '"v1"', MODIFIED)).toBe(0);
    expect(checkPreconditions(request({ 'If-Unmodified-Since': 'yesterday' }, 'PUT'), undefined, MODIFIED)).toBe(0);
  });

  it('If-None-Match: weak comparison; 304 for GET and HEAD, 412 for other methods', () => {
    expect(checkPreconditions(request({ 'If-None-Match': 'W/"v1"' }), '"v1"', null)).toBe(304);
    expect(checkPreconditions(request({ 'If-None-Match': '"v1"' }, 'HEAD'), 'W/"v1"', null)).toBe(304);
    expect(checkPreconditions(request({ 'If-None-Match': '*' }, 'PUT'), '"v1"', null)).toBe(412);
    expect(checkPreconditions(request({ 'If-None-Match': '*' }, 'PUT'), undefined, null)).toBe(0);
    expect(checkPreconditions(request({ 'If-None-Match': '"v0"' }), '"v1"', null)).toBe(0);
  });

  it('If-Modified-Since: 304 for GET and HEAD only, ignored under If-None-Match', () => {
    expect(checkPreconditions(request({ 'If-Modified-Since': LAST_MODIFIED }), undefined, MODIFIED)).toBe(304);
    expect(checkPreconditions(request({ 'If-Modified-Since': LAST_MODIFIED }, 'PUT'), undefined, MODIFIED)).toBe(0);
    expect(checkPreconditions(request({ 'If-Modified-Since': 'Mon, 04 Mar 2024 05:06:06 GMT' }), undefined, MODIFIED)).toBe(0);
    expect(checkPreconditions(request({ 'If-None-Match': '"v0"', 'If-Modified-Since': LAST_MODIFIED }), '"v1"', MODIFIED)).toBe(0);
  });
});

describe('parsers', () => {
  it("parseEtags as Django's parse_etags", () => {
    expect(parseEtags('*')).toEqual(['*']);
    expect(parseEtags('"a", W/"b",bad, "c"')).toEqual(['"a"', 'W/"b"', '"c"']);
  });

  it('parseHttpDate reads the three formats of RFC 9110 §5.6.7', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000;
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
    expect(parseHttpDate('2024-01-01')).toBeNull();
  });
});
