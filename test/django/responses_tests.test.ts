/**
 * Django's tests/responses/tests.py, translated: django/django at commit
 * 90026602450d909676f771ecab875cc10863f583 (the newest version read_file gave). One test per
 * Django test method, by its Django name.
 *
 * Mapping: Django's `HttpResponseBase` (no body of its own: not writable, cannot tell) has no
 * class here; `StreamingHttpResponse` is the response without a buffered body, and its messages
 * are Django's with its own name. `repr(response)` is `String(response)`, with the status
 * written `statusCode=` as the property is named. `assertContains(response, text)` is: status
 * 200 and `content` holds the bytes.
 *
 * Not translated (no counterpart):
 * - HttpResponseTests.test_wrap_textiowrapper: Python's io.TextIOWrapper around a response.
 * - The second half of HttpResponseTests.test_generator_cache (a response pickled into the
 *   cache and read back): responses are not pickled here; the first half is translated.
 */
import { HttpResponse } from '../../src/http/http-response';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';
import { responseConfig } from '../../src/http/response-config';

const UTF8 = 'utf-8';
const ISO88591 = 'iso-8859-1';

function assertContains(response: HttpResponse, bytes: Buffer): void {
  expect(response.statusCode).toBe(200);
  expect(response.content.includes(bytes)).toBe(true);
}

describe('HttpResponseBaseTests', () => {
  it('test_closed', () => {
    const r = new StreamingHttpResponse();
    expect(r.closed).toBe(false);
    r.close();
    expect(r.closed).toBe(true);
  });

  it('test_write', () => {
    const r = new StreamingHttpResponse();
    expect(r.writable).toBe(false);
    expect(() => r.write('asdf')).toThrow('This StreamingHttpResponse instance is not writable');
    expect(() => r.writeLines(['asdf\n', 'qwer\n'])).toThrow('This StreamingHttpResponse instance is not writable');
  });

  it('test_tell', () => {
    const r = new StreamingHttpResponse();
    expect(() => r.tell()).toThrow('This StreamingHttpResponse instance cannot tell its position');
  });

  it('test_setdefault: setDefault() does not change an existing header and is case-insensitive', () => {
    const r = new StreamingHttpResponse();
    r.headers.set('Header', 'Value');
    r.setDefault('header', 'changed');
    expect(r.headers.get('header')).toBe('Value');
    r.setDefault('x-header', 'DefaultValue');
    expect(r.headers.get('X-Header')).toBe('DefaultValue');
  });

  it('test_charset_setter', () => {
    const r = new StreamingHttpResponse();
    r.charset = 'utf-8';
    expect(r.charset).toBe('utf-8');
  });

  it('test_reason_phrase_setter', () => {
    const r = new StreamingHttpResponse();
    r.reasonPhrase = 'test';
    expect(r.reasonPhrase).toBe('test');
  });
});

describe('HttpResponseTests', () => {
  it('test_status_code', () => {
    const resp = new HttpResponse(undefined, { status: 503 });
    expect(resp.statusCode).toBe(503);
    expect(resp.reasonPhrase).toBe('Service Unavailable');
  });

  it('test_change_status_code', () => {
    const resp = new HttpResponse();
    resp.statusCode = 503;
    expect(resp.statusCode).toBe(503);
    expect(resp.reasonPhrase).toBe('Service Unavailable');
  });

  it('test_valid_status_code_string', () => {
    expect(new HttpResponse(undefined, { status: '100' as unknown as number }).statusCode).toBe(100);
    expect(new HttpResponse(undefined, { status: '404' as unknown as number }).statusCode).toBe(404);
    expect(new HttpResponse(undefined, { status: '599' as unknown as number }).statusCode).toBe(599);
  });

  it('test_invalid_status_code', () => {
    const mustBeInteger = 'HTTP status code must be an integer.';
    const mustBeIntegerInRange = 'HTTP status code must be an integer from 100 to 599.';
    expect(() => new HttpResponse(undefined, { status: {} as unknown as number })).toThrow(new TypeError(mustBeInteger));
    expect(() => new HttpResponse(undefined, { status: "J'attendrai" as unknown as number })).toThrow(new TypeError(mustBeInteger));
    expect(() => new HttpResponse(undefined, { status: 99 })).toThrow(new RangeError(mustBeIntegerInRange));
    expect(() => new HttpResponse(undefined, { status: 600 })).toThrow(new RangeError(mustBeIntegerInRange));
  });

  it('test_reason_phrase', () => {
    const reason = "I'm an anarchist coffee pot on crack.";
    const resp = new HttpResponse(undefined, { status: 419, reason });
    expect(resp.statusCode).toBe(419);
    expect(resp.reasonPhrase).toBe(reason);
  });

  it('test_charset_detection: the charset comes from the content type', () => {
    expect(new HttpResponse('ok').charset).toBe(responseConfig.defaultCharset);

    let response = new HttpResponse(undefined, { charset: ISO88591 });
    expect(response.charset).toBe(ISO88591);
    expect(response.headers.get('Content-Type')).toBe(`text/html; charset=${ISO88591}`);

    response = new HttpResponse(undefined, { contentType: `text/plain; charset=${UTF8}`, charset: ISO88591 });
    expect(response.charset).toBe(ISO88591);

    expect(new HttpResponse(undefined, { contentType: `text/plain; charset=${ISO88591}` }).charset).toBe(ISO88591);
    expect(new HttpResponse(undefined, { contentType: `text/plain; charset="${ISO88591}"` }).charset).toBe(ISO88591);
    expect(new HttpResponse(undefined, { contentType: 'text/plain; charset=' }).charset).toBe(responseConfig.defaultCharset);
    expect(new HttpResponse(undefined, { contentType: 'text/plain' }).charset).toBe(responseConfig.defaultCharset);
  });

  it('test_response_content_charset: bytes are sent as they are, whatever the charset', () => {
    const content = 'Café :)';
    const utf8Content = Buffer.from(content, 'utf8');
    const isoContent = Buffer.from(content, 'latin1');

    assertContains(new HttpResponse(utf8Content), utf8Content);
    assertContains(new HttpResponse(isoContent, { contentType: `text/plain; charset=${ISO88591}` }), isoContent);
    assertContains(new HttpResponse(isoContent), isoContent);
    assertContains(new HttpResponse(isoContent, { contentType: 'text/plain' }), isoContent);
  });

  it('test_repr', () => {
    const response = new HttpResponse(Buffer.from('Café :)', 'utf8'), { status: 201 });
    expect(String(response)).toBe('<HttpResponse statusCode=201, "text/html; charset=utf-8">');
  });

  it('test_repr_no_content_type', () => {
    const response = new HttpResponse(undefined, { status: 204 });
    response.headers.delete('Content-Type');
    expect(String(response)).toBe('<HttpResponse statusCode=204>');
  });

  it('test_generator_cache: a generator is consumed when given', () => {
    function* generator() {
      for (let i = 0; i < 10; i++) yield String(i);
    }
    const chunks = generator();
    const response = new HttpResponse(chunks);
    expect(response.content).toEqual(Buffer.from('0123456789'));
    expect(chunks.next()).toEqual({ value: undefined, done: true });
    expect(response.content).toEqual(Buffer.from('0123456789'));
  });
});
