/**
 * Django's tests/requests_tests/tests.py, translated: django/django at 0910af604682 (the newest
 * version the reference store holds: Django 6.1's development, with FormParser refusing a
 * urlencoded body in another charset than UTF-8, and the base64 alignment test of 6.0.x).
 *
 * Django builds a `WSGIRequest` from an environ and a `wsgi.input`; here a request is built over
 * a Node stream that delivers the payload (`environ` below), then `await request.loadBody()` does
 * what the pipeline does before a handler, where Django's attributes load synchronously. Django's
 * `request.META = {...}` is the META of a request rewritten in place (getHost and getPort read
 * META once it is built). `request.read()` and friends are awaited (Node streams are
 * asynchronous), and Django's `request.body` read before a multipart body was parsed is
 * `await request.readBody()` (docs/differences-from-django.md).
 *
 * Not translated, with the reason:
 * - test_httprequest_repr_invalid_method_and_path: a request always has a method and a path
 *   here (from the request line), so `<HttpRequest>` without them cannot occur.
 * - test_wsgirequest_with_script_name, test_wsgirequest_script_url_double_slashes,
 *   test_wsgirequest_with_force_script_name,
 *   test_wsgirequest_path_with_force_script_name_trailing_slash: there is no SCRIPT_NAME nor
 *   FORCE_SCRIPT_NAME (the app is mounted at the root; docs/differences-from-django.md).
 * - test_wsgirequest_copy, test_copy, test_deepcopy: Python's copy module.
 * - test_POST_multipart_handler_error, test_POST_multipart_handler_parses_input: there are no
 *   FILE_UPLOAD_HANDLERS to replace (uploads go to memory or a temporary file, SPEC §6).
 * Parts left out inside translated tests are said where they are (the SCRIPT_NAME prefix of the
 * full-path tests, WSGI's exact META keys, LazyStream's read count).
 *
 * Differs deliberately (docs/differences-from-django.md), asserted as Reinhardt behaves:
 * - test_request_methods_with_content: POST is filled for any method with a form body.
 * - test_set_encoding_clears_POST / _GET: 'iso-8859-16' is a charset Node cannot decode, so the
 *   assignment throws (issue 25 item 5); the re-decoding is shown with 'iso-8859-2'.
 *
 * Differs, not decided here: test_FILES_connection_error. A multipart body whose stream fails is
 * reported by the multipart parser (multipart-parser.ts) as MultiPartParserError ("The client
 * aborted the upload ..."), where Django raises UnreadablePostError; both answer 400. The test
 * asserts today's error so that a change of the parser shows here.
 */
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { BadRequest, DisallowedHost, ImmutableQueryDictError, MultiPartParserError, RawPostDataException, UnreadablePostError } from '../../src/http/errors';
import { splitDomainPort } from '../../src/http/host';
import { FROM_TEST_CLIENT, HttpRequest } from '../../src/http/http-request';
import type { MultiValueDict } from '../../src/http/multi-value-dict';
import { HttpHeaders } from '../../src/http/request-headers';
import { UploadedFile } from '../../src/http/uploaded-file';

/** django.test.client.BOUNDARY and MULTIPART_CONTENT. */
const BOUNDARY = 'BoUnDaRyStRiNg';
const MULTIPART_CONTENT = `multipart/form-data; boundary=${BOUNDARY}`;

interface Environ {
  method?: string;
  url?: string;
  contentType?: string;
  /** The payload (Django's FakePayload); a declared Content-Length of its size unless given. */
  payload?: string | Buffer;
  contentLength?: number;
  headers?: Array<[string, string]>;
  settings?: Partial<Settings>;
  /** A stream that fails when read (Django's ExplodingBytesIO). */
  exploding?: boolean;
  fromTestClient?: boolean;
}

/** A request over a stream delivering `payload` (or failing, for `exploding`), as WSGIRequest(environ). */
function wsgiRequest(environ: Environ = {}): HttpRequest {
  const payload = environ.payload === undefined ? Buffer.alloc(0) : Buffer.from(environ.payload as string);
  const stream = environ.exploding
    ? new Readable({
        read() {
          this.destroy(new Error('kaboom!'));
        },
      })
    : Readable.from(payload.length === 0 ? [] : [payload]);
  const rawHeaders = (environ.headers ?? [['Host', 'testserver']]).flat();
  if (environ.contentType !== undefined) rawHeaders.push('Content-Type', environ.contentType);
  const length = environ.contentLength ?? payload.length;
  if (environ.payload !== undefined || environ.contentLength !== undefined) rawHeaders.push('Content-Length', String(length));
  Object.assign(stream, {
    method: environ.method ?? 'GET',
    url: environ.url ?? '/',
    rawHeaders,
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 50000, localPort: 80, encrypted: false },
    [FROM_TEST_CLIENT]: environ.fromTestClient === true,
  });
  return new HttpRequest(stream as unknown as IncomingMessage, resolveSettings({ secretKey: 'secret', ...environ.settings }));
}

async function loaded(environ: Environ): Promise<HttpRequest> {
  const request = wsgiRequest(environ);
  await request.loadBody();
  return request;
}

/** A QueryDict or MultiValueDict as Django's `assertEqual(request.POST, {...})` sees it. */
function lists(dict: MultiValueDict<unknown>): Record<string, unknown[]> {
  return Object.fromEntries(dict.lists());
}

/** Django's `request.META = {...}`: the request's META, replaced in place. */
function withMeta(meta: Record<string, string | number>, settings: Partial<Settings> = {}): HttpRequest {
  const request = wsgiRequest({ headers: [], settings });
  const target = request.META;
  for (const key of Object.keys(target)) delete target[key];
  for (const [key, value] of Object.entries(meta)) target[key] = String(value);
  return request;
}

const multipart = (...lines: string[]): string => lines.join('\r\n');

const JSON_PAYLOAD = [
  'Content-Disposition: form-data; name="JSON"',
  'Content-Type: application/json',
  '',
  '{"pk": 1, "model": "store.book", "fields": {"name": "Mostly Harmless", "author": ["Douglas", Adams"]}}',
];
const JSON_VALUE = '{"pk": 1, "model": "store.book", "fields": {"name": "Mostly Harmless", "author": ["Douglas", Adams"]}}';

describe('RequestsTests', () => {
  test('test_httprequest', () => {
    // Django's bare HttpRequest() has no META at all; ours always has the server variables, and
    // "no Content-Type" is '' and {} rather than None.
    const request = wsgiRequest({ headers: [] });
    expect(request.GET.keys()).toEqual([]);
    expect(request.POST.keys()).toEqual([]);
    expect(Object.keys(request.COOKIES)).toEqual([]);
    expect(request.GET.urlencode()).toBe('');
    expect(request.POST.urlencode()).toBe('');
    expect(request.FILES.getList('foo')).toEqual([]);
    expect(request.contentType).toBe('');
    expect(request.contentParams).toEqual({});
  });

  test('test_httprequest_full_path', () => {
    // path_info "/;some/?awful/=path/foo:bar/" as a client sends it; no "/prefix" (no SCRIPT_NAME).
    const request = wsgiRequest({ url: '/%3Bsome/%3Fawful/%3Dpath/foo:bar/?;some=query&+query=string' });
    expect(request.pathInfo).toBe('/;some/?awful/=path/foo:bar/');
    const expected = '/%3Bsome/%3Fawful/%3Dpath/foo:bar/?;some=query&+query=string';
    expect(request.getFullPathInfo()).toBe(expected);
    expect(request.getFullPath()).toBe(expected);
  });

  test('test_httprequest_full_path_with_query_string_and_fragment', () => {
    const request = wsgiRequest({ url: '/foo%23bar?baz#quux' });
    expect(request.pathInfo).toBe('/foo#bar');
    expect(request.getFullPathInfo()).toBe('/foo%23bar?baz#quux');
    expect(request.getFullPath()).toBe('/foo%23bar?baz#quux');
  });

  test('test_httprequest_repr', () => {
    const request = wsgiRequest({ url: '/somepath/', headers: [['Cookie', 'post-key=post-value']] });
    expect(String(request)).toBe("<HttpRequest: GET '/somepath/'>");
  });

  test('test_wsgirequest', () => {
    // WSGI's exact META keys (PATH_INFO, SCRIPT_NAME, wsgi.input) have no counterpart.
    const request = wsgiRequest({ method: 'bogus', url: 'bogus', contentType: 'text/html; charset=utf8', payload: '' });
    expect(request.GET.keys()).toEqual([]);
    expect(request.POST.keys()).toEqual([]);
    expect(Object.keys(request.COOKIES)).toEqual([]);
    expect(request.META.REQUEST_METHOD).toBe('BOGUS');
    expect(request.pathInfo).toBe('bogus');
    expect(request.contentType).toBe('text/html');
    expect(request.contentParams).toEqual({ charset: 'utf8' });
  });

  test('test_wsgirequest_repr', () => {
    // The class is HttpRequest here (there is no WSGIRequest).
    expect(String(wsgiRequest({ method: 'get' }))).toBe("<HttpRequest: GET '/'>");
    expect(String(wsgiRequest({ method: 'get', url: '/somepath/' }))).toBe("<HttpRequest: GET '/somepath/'>");
  });

  test('test_wsgirequest_path_info', () => {
    // Regression for #19468: the UTF-8 the browser sent.
    expect(wsgiRequest({ url: '/' + encodeURIComponent('سلام') + '/' }).path).toBe('/سلام/');
    // The URL may be incorrectly encoded in a non-UTF-8 encoding (#26971): left percent-encoded.
    expect(wsgiRequest({ url: '/caf%E9/' }).path).toBe('/caf%E9/');
  });

  test('test_limited_stream', async () => {
    // LimitedStream(BytesIO(...), limit) is the request stream with a Content-Length of `limit`.
    const stream = (data: string, limit: number) => wsgiRequest({ method: 'POST', payload: data, contentLength: limit });
    let request = stream('test', 2);
    expect(String(await request.read())).toBe('te');
    expect(String(await request.read())).toBe('');

    request = stream('test', 2);
    expect(String(await request.read(5))).toBe('te');
    expect(String(await request.readline(5))).toBe('');

    request = stream('12345678', 8);
    expect(String(await request.read(5))).toBe('12345');
    expect(String(await request.read(5))).toBe('678');
    expect(String(await request.readline(5))).toBe('');

    request = stream('1234\n5678\nabcd\nefgh\nijkl', 24);
    expect(String(await request.readline())).toBe('1234\n');
    expect(String(await request.readline(2))).toBe('56');
    expect(String(await request.readline())).toBe('78\n');
    expect(String(await request.readline(6))).toBe('abcd\n');
    expect(String(await request.readline(4))).toBe('efgh');
    expect(String(await request.readline())).toBe('\n');
    expect(String(await request.readline())).toBe('ijkl');

    // Regression for #15018: a newline does not reset the available count.
    request = stream('1234\nabcdef', 9);
    expect(String(await request.readline(10))).toBe('1234\n');
    expect(String(await request.readline(3))).toBe('abc');
    expect(String(await request.readline(3))).toBe('d');
    expect(String(await request.readline(2))).toBe('');

    request = stream('1234\nabcdef', 9);
    expect(String(await request.read(6))).toBe('1234\na');
    expect(String(await request.read(2))).toBe('bc');
    expect(String(await request.read(2))).toBe('d');
    expect(String(await request.read(2))).toBe('');
    expect(String(await request.read())).toBe('');
  });

  test('test_stream_read', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value' });
    expect(String(await request.read())).toBe('name=value');
  });

  test('test_stream_readline', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value\nother=string' });
    expect(String(await request.readline())).toBe('name=value\n');
    expect(String(await request.readline())).toBe('other=string');
  });

  test('test_read_after_value', async () => {
    const request = await loaded({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value' });
    expect(lists(request.POST)).toEqual({ name: ['value'] });
    expect(String(request.body)).toBe('name=value');
    expect(String(await request.read())).toBe('name=value');
  });

  test('test_value_after_read', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value' });
    expect(String(await request.read(2))).toBe('na');
    await request.loadBody();
    expect(() => request.body).toThrow(RawPostDataException);
    expect(lists(request.POST)).toEqual({});
  });

  test('test_non_ascii_POST', async () => {
    const request = await loaded({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: new URLSearchParams({ key: 'España' }).toString() });
    expect(lists(request.POST)).toEqual({ key: ['España'] });
  });

  test('test_non_utf8_charset_POST_bad_request', async () => {
    // urlencode({"key": "España".encode("latin-1")})
    const request = await loaded({ method: 'POST', contentType: 'application/x-www-form-urlencoded; charset=iso-8859-1', payload: 'key=Espa%F1a' });
    const message = "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.";
    expect(() => request.POST).toThrow(new BadRequest(message));
    expect(() => request.FILES).toThrow(new BadRequest(message));
  });

  test('test_utf8_charset_POST', async () => {
    for (const charset of ['utf-8', 'UTF-8']) {
      const request = await loaded({ method: 'POST', contentType: `application/x-www-form-urlencoded; charset=${charset}`, payload: 'key=Espa%C3%B1a' });
      expect(lists(request.POST)).toEqual({ key: ['España'] });
    }
  });

  test('test_body_after_POST_multipart_form_data', async () => {
    const payload = multipart('--boundary', 'Content-Disposition: form-data; name="name"', '', 'value', '--boundary--');
    const request = await loaded({ method: 'POST', contentType: 'multipart/form-data; boundary=boundary', payload });
    expect(lists(request.POST)).toEqual({ name: ['value'] });
    expect(() => request.body).toThrow(RawPostDataException);
  });

  test('test_malformed_multipart_header', async () => {
    for (const header of ['Content-Disposition : form-data; name="name"', 'Content-Disposition:form-data; name="name"', 'Content-Disposition :form-data; name="name"']) {
      const payload = multipart('--boundary', header, '', 'value', '--boundary--');
      const request = await loaded({ method: 'POST', contentType: 'multipart/form-data; boundary=boundary', payload });
      expect(lists(request.POST)).toEqual({ name: ['value'] });
    }
  });

  test('test_body_after_POST_multipart_related', async () => {
    // Ticket #9054: multipart that is not form-data stays readable as body.
    const payload = multipart('--boundary', 'Content-ID: id; name="name"', '', 'value', '--boundary--');
    const request = await loaded({ method: 'POST', contentType: 'multipart/related; boundary=boundary', payload });
    expect(lists(request.POST)).toEqual({});
    expect(String(request.body)).toBe(payload);
  });

  test('test_POST_multipart_with_content_length_zero', async () => {
    const payload = multipart('--boundary', 'Content-Disposition: form-data; name="name"', '', 'value', '--boundary--');
    const request = await loaded({ method: 'POST', contentType: 'multipart/form-data; boundary=boundary', payload, contentLength: 0 });
    expect(lists(request.POST)).toEqual({});
  });

  test('test_request_methods_with_content (deliberate difference: POST is filled for any method)', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const request = await loaded({ method, contentType: 'application/x-www-form-urlencoded', payload: 'key=value' });
      // Django: {} for every method but POST.
      expect(lists(request.POST)).toEqual({ key: ['value'] });
    }
  });

  test('test_POST_content_type_json', async () => {
    const payload = multipart('{"pk": 1, "model": "store.book", "fields": {"name": "Mostly Ha', 'rmless", "author": ["Douglas", Adams"]}}');
    const request = await loaded({ method: 'POST', contentType: 'application/json', payload });
    expect(lists(request.POST)).toEqual({});
    expect(lists(request.FILES)).toEqual({});
  });

  test('test_POST_form_data_json', async () => {
    const request = await loaded({ method: 'POST', contentType: MULTIPART_CONTENT, payload: multipart(`--${BOUNDARY}`, ...JSON_PAYLOAD, `--${BOUNDARY}--`) });
    expect(lists(request.POST)).toEqual({ JSON: [JSON_VALUE] });
  });

  test('test_POST_multipart_json', async () => {
    const payload = multipart(`--${BOUNDARY}`, 'Content-Disposition: form-data; name="name"', '', 'value', `--${BOUNDARY}`, ...JSON_PAYLOAD, `--${BOUNDARY}--`);
    const request = await loaded({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    expect(lists(request.POST)).toEqual({ name: ['value'], JSON: [JSON_VALUE] });
  });

  test('test_POST_multipart_json_csv', async () => {
    const payload = multipart(
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="name"',
      '',
      'value',
      `--${BOUNDARY}`,
      ...JSON_PAYLOAD,
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="CSV"',
      'Content-Type: text/csv',
      '',
      'Framework,ID.Django,1.Flask,2.',
      `--${BOUNDARY}--`,
    );
    const request = await loaded({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    expect(lists(request.POST)).toEqual({ name: ['value'], JSON: [JSON_VALUE], CSV: ['Framework,ID.Django,1.Flask,2.'] });
  });

  test('test_POST_multipart_with_file', async () => {
    const payload = multipart(
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="name"',
      '',
      'value',
      `--${BOUNDARY}`,
      ...JSON_PAYLOAD,
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="File"; filename="test.csv"',
      'Content-Type: application/octet-stream',
      '',
      'Framework,ID',
      'Django,1',
      'Flask,2',
      `--${BOUNDARY}--`,
    );
    const request = await loaded({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    expect(lists(request.POST)).toEqual({ name: ['value'], JSON: [JSON_VALUE] });
    expect(request.FILES.size).toBe(1);
    expect(request.FILES.getItem('File')).toBeInstanceOf(UploadedFile);
    await request.cleanup();
  });

  test('test_base64_invalid_encoding', async () => {
    const payload = multipart(
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="file"; filename="test.txt"',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      `\r\nZsg£\r\n--${BOUNDARY}--`,
    );
    const request = wsgiRequest({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    await expect(request.loadBody()).rejects.toThrow(new MultiPartParserError('Could not decode base64 data.'));
    expect(() => request.POST).toThrow(MultiPartParserError);
  });

  test('test_POST_binary_only', async () => {
    const payload = Buffer.from('\r\n\x01\x00\x00\x00ab\x00\x00\xcd\xcc,@', 'latin1');
    for (const contentType of ['application/octet-stream', undefined]) {
      const request = await loaded({ method: 'POST', contentType, payload });
      expect(lists(request.POST)).toEqual({});
      expect(lists(request.FILES)).toEqual({});
      expect(request.body.equals(payload)).toBe(true);
    }
  });

  test('test_read_by_lines', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value' });
    const lines: string[] = [];
    for await (const line of request) lines.push(String(line));
    expect(lines).toEqual(['name=value']);
  });

  test('test_POST_after_body_read', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value' });
    await request.readBody();
    expect(lists(request.POST)).toEqual({ name: ['value'] });
  });

  test('test_POST_after_body_read_and_stream_read', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value' });
    await request.readBody();
    expect(String(await request.read(1))).toBe('n');
    expect(lists(request.POST)).toEqual({ name: ['value'] });
  });

  test('test_multipart_post_field_with_base64', async () => {
    const payload = multipart(`--${BOUNDARY}`, 'Content-Disposition: form-data; name="name"', 'Content-Transfer-Encoding: base64', '', 'dmFsdWU=', `--${BOUNDARY}--`, '');
    const request = wsgiRequest({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    await request.readBody();
    expect(lists(request.POST)).toEqual({ name: ['value'] });
  });

  test('test_multipart_post_field_with_invalid_base64', async () => {
    const payload = multipart(`--${BOUNDARY}`, 'Content-Disposition: form-data; name="name"', 'Content-Transfer-Encoding: base64', '', '123', `--${BOUNDARY}--`, '');
    const request = wsgiRequest({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    await request.readBody();
    expect(lists(request.POST)).toEqual({ name: ['123'] });
  });

  test('test_multipart_file_upload_base64_whitespace_heavy', async () => {
    // The count of LazyStream.read() calls is Django's parser's own; the content is the contract.
    const head = multipart(`--${BOUNDARY}`, 'Content-Disposition: form-data; name="file"; filename="test.txt"', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '');
    const payload = `${head}\r\n\r\nAAA${' '.repeat(70000)}A\r\n--${BOUNDARY}--\r\n`;
    const request = await loaded({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    expect(request.FILES.size).toBe(1);
    expect((await request.FILES.getItem('file').read()).equals(Buffer.from([0, 0, 0]))).toBe(true);
    await request.cleanup();
  });

  test('test_POST_after_body_read_and_stream_read_multipart', async () => {
    const payload = multipart('--boundary', 'Content-Disposition: form-data; name="name"', '', 'value', '--boundary--');
    const request = wsgiRequest({ method: 'POST', contentType: 'multipart/form-data; boundary=boundary', payload });
    await request.readBody();
    // Consume enough data to mess up the parsing:
    expect(String(await request.read(13))).toBe('--boundary\r\nC');
    expect(lists(request.POST)).toEqual({ name: ['value'] });
  });

  test('test_POST_immutable_for_multipart', async () => {
    const payload = multipart('--boundary', 'Content-Disposition: form-data; name="name"', '', 'value', '--boundary--');
    const request = await loaded({ method: 'POST', contentType: 'multipart/form-data; boundary=boundary', payload });
    expect(() => request.POST.setItem('name', 'other')).toThrow(ImmutableQueryDictError);
  });

  test('test_multipart_without_boundary', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'multipart/form-data;', payload: 'x' });
    await expect(request.loadBody()).rejects.toThrow(new MultiPartParserError('Invalid boundary in multipart: None'));
  });

  test('test_multipart_non_ascii_content_type', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'multipart/form-data; boundary = \xe0', payload: 'x' });
    await expect(request.loadBody()).rejects.toThrow(new MultiPartParserError('Invalid non-ASCII Content-Type in multipart: multipart/form-data; boundary = à'));
  });

  test('test_multipart_with_header_fields_too_large', async () => {
    // MAX_TOTAL_HEADER_SIZE is 1,024 bytes.
    const payload = multipart('--boundary', 'Content-Disposition: form-data; name="name"', `X-Long-Header: ${'-'.repeat(1025)}`, '', 'value', '--boundary--');
    const request = wsgiRequest({ method: 'POST', contentType: 'multipart/form-data; boundary=boundary', payload });
    await expect(request.loadBody()).rejects.toThrow(new MultiPartParserError('Request max total header size exceeded.'));
  });

  test('test_POST_connection_error', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'application/x-www-form-urlencoded', payload: 'name=value', exploding: true });
    await expect(request.readBody()).rejects.toThrow(UnreadablePostError);
  });

  test('test_set_encoding_clears_POST (iso-8859-16 throws at the assignment here)', async () => {
    const payload = multipart(`--${BOUNDARY}`, 'Content-Disposition: form-data; name="name"', '', 'Hello Günter', `--${BOUNDARY}--`, '');
    const request = await loaded({ method: 'POST', contentType: MULTIPART_CONTENT, payload });
    expect(lists(request.POST)).toEqual({ name: ['Hello Günter'] });
    expect(() => (request.encoding = 'iso-8859-16')).toThrow(new RangeError('unknown encoding: iso-8859-16'));
    // Django's FIXME (#14035): POST is not re-parsed after a change of encoding; it stays as parsed.
    request.encoding = 'iso-8859-2';
    expect(lists(request.POST)).toEqual({ name: ['Hello Günter'] });
  });

  test('test_set_encoding_clears_GET (iso-8859-16 throws at the assignment here)', () => {
    const request = wsgiRequest({ url: '/?name=Hello%20G%C3%BCnter' });
    expect(lists(request.GET)).toEqual({ name: ['Hello Günter'] });
    expect(() => (request.encoding = 'iso-8859-16')).toThrow(new RangeError('unknown encoding: iso-8859-16'));
    request.encoding = 'iso-8859-2';
    expect(lists(request.GET)).toEqual({ name: ['Hello G\u0102\u017anter'] });
  });

  test('test_FILES_connection_error (differs: the multipart parser names it MultiPartParserError)', async () => {
    const request = wsgiRequest({ method: 'POST', contentType: 'multipart/form-data; boundary=foo_', payload: 'x', exploding: true });
    // Django: UnreadablePostError. Both are answered 400; the parser's error is its own (see the header).
    const aborted = new MultiPartParserError('The client aborted the upload before the request body was complete.');
    await expect(request.loadBody()).rejects.toThrow(aborted);
    expect(() => request.FILES).toThrow(aborted);
  });
});

describe('HostValidationTests', () => {
  const POISONED_HOSTS = [
    'example.com@evil.tld',
    'example.com:dr.frankenstein@evil.tld',
    'example.com:dr.frankenstein@evil.tld:80',
    'example.com:80/badpath',
    'example.com: recovermypassword.com',
  ];

  test('test_http_get_host', () => {
    const settings: Partial<Settings> = {
      useXForwardedHost: false,
      allowedHosts: [
        'forward.com',
        'example.com',
        'internal.com',
        '12.34.56.78',
        '[2001:19f0:feee::dead:beef:cafe]',
        'xn--4ca9at.com',
        '.multitenant.com',
        'INSENSITIVE.com',
        '[::ffff:169.254.169.254]',
      ],
    };
    // X_FORWARDED_HOST is ignored.
    expect(withMeta({ HTTP_X_FORWARDED_HOST: 'forward.com', HTTP_HOST: 'example.com', SERVER_NAME: 'internal.com', SERVER_PORT: 80 }, settings).getHost()).toBe('example.com');
    expect(withMeta({ HTTP_HOST: 'example.com', SERVER_NAME: 'internal.com', SERVER_PORT: 80 }, settings).getHost()).toBe('example.com');
    expect(withMeta({ SERVER_NAME: 'internal.com', SERVER_PORT: 80 }, settings).getHost()).toBe('internal.com');
    expect(withMeta({ SERVER_NAME: 'internal.com', SERVER_PORT: 8042 }, settings).getHost()).toBe('internal.com:8042');
    const legit = [
      'example.com',
      'example.com:80',
      '12.34.56.78',
      '12.34.56.78:443',
      '[2001:19f0:feee::dead:beef:cafe]',
      '[2001:19f0:feee::dead:beef:cafe]:8080',
      'xn--4ca9at.com',
      'anything.multitenant.com',
      'multitenant.com',
      'insensitive.com',
      'example.com.',
      'example.com.:80',
      '[::ffff:169.254.169.254]',
    ];
    for (const host of legit) expect(withMeta({ HTTP_HOST: host }, settings).getHost()).toBe(host);
    for (const host of [...POISONED_HOSTS, 'other.com', 'example.com..']) {
      expect(() => withMeta({ HTTP_HOST: host }, settings).getHost()).toThrow(DisallowedHost);
    }
  });

  test('test_http_get_host_with_x_forwarded_host', () => {
    const settings: Partial<Settings> = { useXForwardedHost: true, allowedHosts: ['*'] };
    // X_FORWARDED_HOST is obeyed.
    expect(withMeta({ HTTP_X_FORWARDED_HOST: 'forward.com', HTTP_HOST: 'example.com', SERVER_NAME: 'internal.com', SERVER_PORT: 80 }, settings).getHost()).toBe('forward.com');
    expect(withMeta({ HTTP_HOST: 'example.com', SERVER_NAME: 'internal.com', SERVER_PORT: 80 }, settings).getHost()).toBe('example.com');
    expect(withMeta({ SERVER_NAME: 'internal.com', SERVER_PORT: 80 }, settings).getHost()).toBe('internal.com');
    expect(withMeta({ SERVER_NAME: 'internal.com', SERVER_PORT: 8042 }, settings).getHost()).toBe('internal.com:8042');
    const legit = ['example.com', 'example.com:80', '12.34.56.78', '12.34.56.78:443', '[2001:19f0:feee::dead:beef:cafe]', '[2001:19f0:feee::dead:beef:cafe]:8080', 'xn--4ca9at.com'];
    for (const host of legit) expect(withMeta({ HTTP_HOST: host }, settings).getHost()).toBe(host);
    for (const host of POISONED_HOSTS) expect(() => withMeta({ HTTP_HOST: host }, settings).getHost()).toThrow(DisallowedHost);
  });

  test('test_get_port', () => {
    const settings: Partial<Settings> = { useXForwardedPort: false };
    // Shouldn't use the X-Forwarded-Port header.
    expect(withMeta({ SERVER_PORT: '8080', HTTP_X_FORWARDED_PORT: '80' }, settings).getPort()).toBe('8080');
    expect(withMeta({ SERVER_PORT: '8080' }, settings).getPort()).toBe('8080');
  });

  test('test_get_port_with_x_forwarded_port', () => {
    const settings: Partial<Settings> = { useXForwardedPort: true };
    expect(withMeta({ SERVER_PORT: '8080', HTTP_X_FORWARDED_PORT: '80' }, settings).getPort()).toBe('80');
    expect(withMeta({ SERVER_PORT: '8080' }, settings).getPort()).toBe('8080');
  });

  test('test_host_validation_in_debug_mode', () => {
    const settings: Partial<Settings> = { debug: true, allowedHosts: [] };
    for (const host of ['localhost', 'subdomain.localhost', '127.0.0.1', '[::1]']) {
      expect(withMeta({ HTTP_HOST: host }, settings).getHost()).toBe(host);
    }
    expect(() => withMeta({ HTTP_HOST: 'example.com' }, settings).getHost()).toThrow(DisallowedHost);
  });

  test('test_get_host_suggestion_of_allowed_host', () => {
    const settings: Partial<Settings> = { allowedHosts: [] };
    const suggestion = (host: string, domain: string) => `Invalid HTTP_HOST header: '${host}'. You may need to add '${domain}' to allowedHosts.`;
    for (const host of ['example.com', '12.34.56.78', '[2001:19f0:feee::dead:beef:cafe]', 'xn--4ca9at.com']) {
      expect(() => withMeta({ HTTP_HOST: host }, settings).getHost()).toThrow(new DisallowedHost(suggestion(host, host)));
    }
    for (const [domain, port] of [['example.com', 80], ['12.34.56.78', 443], ['[2001:19f0:feee::dead:beef:cafe]', 8080]] as const) {
      const host = `${domain}:${port}`;
      expect(() => withMeta({ HTTP_HOST: host }, settings).getHost()).toThrow(new DisallowedHost(suggestion(host, domain)));
    }
    for (const host of POISONED_HOSTS) {
      expect(() => withMeta({ HTTP_HOST: host }, settings).getHost()).toThrow(`Invalid HTTP_HOST header: '${host}'.`);
    }
    expect(() => withMeta({ HTTP_HOST: 'invalid_hostname.com' }, settings).getHost()).toThrow(
      "Invalid HTTP_HOST header: 'invalid_hostname.com'. The domain name provided is not valid according to RFC 1034/1035",
    );
  });

  test('test_split_domain_port', () => {
    const cases: Array<[string, [string, string]]> = [
      ['<invalid>', ['', '']],
      ['<invalid>:8080', ['', '']],
      ['example.com 8080', ['', '']],
      ['example.com:invalid', ['', '']],
      ['[::1]', ['[::1]', '']],
      ['[::1]:8080', ['[::1]', '8080']],
      ['[::ffff:127.0.0.1]', ['[::ffff:127.0.0.1]', '']],
      ['[::ffff:127.0.0.1]:8080', ['[::ffff:127.0.0.1]', '8080']],
      ['[1851:0000:3238:DEF1:0177:0000:0000:0125]', ['[1851:0000:3238:def1:0177:0000:0000:0125]', '']],
      ['[1851:0000:3238:DEF1:0177:0000:0000:0125]:8080', ['[1851:0000:3238:def1:0177:0000:0000:0125]', '8080']],
      ['127.0.0.1', ['127.0.0.1', '']],
      ['127.0.0.1:8080', ['127.0.0.1', '8080']],
      ['example.com', ['example.com', '']],
      ['example.com:8080', ['example.com', '8080']],
      ['example.com.', ['example.com', '']],
      ['example.com.:8080', ['example.com', '8080']],
      ['xn--n28h.test', ['xn--n28h.test', '']],
      ['xn--n28h.test:8080', ['xn--n28h.test', '8080']],
      ['subdomain.example.com', ['subdomain.example.com', '']],
      ['subdomain.example.com:8080', ['subdomain.example.com', '8080']],
    ];
    for (const [host, expected] of cases) expect([host, splitDomainPort(host)]).toEqual([host, expected]);
  });
});

describe('BuildAbsoluteURITests', () => {
  test('test_absolute_url', () => {
    const url = 'https://www.example.com/asdf';
    expect(wsgiRequest().buildAbsoluteUri(url)).toBe(url);
  });

  test('test_host_retrieval', () => {
    // Django patches get_host; here the Host header says it.
    const request = wsgiRequest({ headers: [['Host', 'www.example.com']], settings: { allowedHosts: ['www.example.com'] } });
    expect(request.buildAbsoluteUri('/path/with:colons')).toBe('http://www.example.com/path/with:colons');
  });

  test('test_request_path_begins_with_two_slashes', () => {
    // RequestFactory().get("////absolute-uri") makes the path "//absolute-uri".
    const request = wsgiRequest({ url: '//absolute-uri', fromTestClient: true });
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'http://testserver//absolute-uri'],
      ['http://example.com/?foo=bar', 'http://example.com/?foo=bar'],
      ['//example.com/?foo=bar', 'http://example.com/?foo=bar'],
      ['/foo/bar/', 'http://testserver/foo/bar/'],
      ['/foo/./bar/', 'http://testserver/foo/bar/'],
      ['/foo/../bar/', 'http://testserver/bar/'],
      ['///foo/bar/', 'http://testserver/foo/bar/'],
    ];
    for (const [location, expected] of cases) expect([location, request.buildAbsoluteUri(location)]).toEqual([location, expected]);
  });
});

describe('RequestHeadersTests', () => {
  const ENVIRON: Array<[string, string]> = [
    ['Content-Type', 'text/html'],
    ['Content-Length', '100'],
    ['Accept', '*'],
    ['Host', 'example.com'],
    ['User-Agent', 'python-requests/1.2.0'],
  ];
  const EXPECTED = { 'Content-Type': 'text/html', 'Content-Length': '100', Accept: '*', Host: 'example.com', 'User-Agent': 'python-requests/1.2.0' };

  test('test_base_request_headers', () => {
    // Django's request.META = ENVIRON, non-header keys included (they are ignored).
    const request = withMeta({
      PATH_INFO: '/somepath/',
      REQUEST_METHOD: 'get',
      SERVER_NAME: 'internal.com',
      SERVER_PORT: 80,
      CONTENT_TYPE: 'text/html',
      CONTENT_LENGTH: '100',
      HTTP_ACCEPT: '*',
      HTTP_HOST: 'example.com',
      HTTP_USER_AGENT: 'python-requests/1.2.0',
    });
    expect(request.headers.toJSON()).toEqual(EXPECTED);
  });

  test('test_wsgi_request_headers', () => {
    expect(wsgiRequest({ url: '/somepath/', headers: ENVIRON }).headers.toJSON()).toEqual(EXPECTED);
  });

  test('test_wsgi_request_headers_getitem', () => {
    const headers = wsgiRequest({ url: '/somepath/', headers: ENVIRON }).headers;
    expect(headers.getItem('User-Agent')).toBe('python-requests/1.2.0');
    expect(headers.getItem('user-agent')).toBe('python-requests/1.2.0');
    expect(headers.getItem('user_agent')).toBe('python-requests/1.2.0');
    expect(headers.getItem('Content-Type')).toBe('text/html');
    expect(headers.getItem('Content-Length')).toBe('100');
  });

  test('test_wsgi_request_headers_get', () => {
    const headers = wsgiRequest({ url: '/somepath/', headers: ENVIRON }).headers;
    expect(headers.get('User-Agent')).toBe('python-requests/1.2.0');
    expect(headers.get('user-agent')).toBe('python-requests/1.2.0');
    expect(headers.get('Content-Type')).toBe('text/html');
    expect(headers.get('Content-Length')).toBe('100');
  });
});

describe('HttpHeadersTests', () => {
  test('test_basic', () => {
    const headers = new HttpHeaders({ CONTENT_TYPE: 'text/html', CONTENT_LENGTH: '100', HTTP_HOST: 'example.com' });
    expect([...headers.keys()].sort()).toEqual(['Content-Length', 'Content-Type', 'Host']);
    expect(headers.toJSON()).toEqual({ 'Content-Type': 'text/html', 'Content-Length': '100', Host: 'example.com' });
  });

  test('test_parse_header_name', () => {
    const cases: Array<[string, string | null]> = [
      ['PATH_INFO', null],
      ['HTTP_ACCEPT', 'Accept'],
      ['HTTP_USER_AGENT', 'User-Agent'],
      ['HTTP_X_FORWARDED_PROTO', 'X-Forwarded-Proto'],
      ['CONTENT_TYPE', 'Content-Type'],
      ['CONTENT_LENGTH', 'Content-Length'],
    ];
    for (const [header, expected] of cases) expect([header, HttpHeaders.parseHeaderName(header)]).toEqual([header, expected]);
  });
});
