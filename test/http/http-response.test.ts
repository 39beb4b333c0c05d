import { HttpResponse, charsetFromContentType, encodeText, decodeBytes } from '../../src/http/http-response';
import { BadHeaderError } from '../../src/http/errors';
import { configureResponses } from '../../src/http/response-config';
import { reasonPhraseFor } from '../../src/http/status-codes';

describe('HttpResponse: content (Django "Passing strings" / "Passing iterators")', () => {
  it('a string is encoded with the charset; the default type is text/html; charset=utf-8', () => {
    const response = new HttpResponse("Here's the text of the Web page.");
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.content).toEqual(Buffer.from("Here's the text of the Web page."));
    expect(response.text).toBe("Here's the text of the Web page.");
    expect(response.charset).toBe('utf-8');
    expect(response.streaming).toBe(false);
  });

  it('mimetype="text/plain" sets the Content-Type as given', () => {
    const response = new HttpResponse('Text only, please.', { mimetype: 'text/plain' });
    expect(response.headers.get('content-type')).toBe('text/plain');
  });

  it('mimetype wins over contentType', () => {
    const response = new HttpResponse('x', { mimetype: 'text/plain', contentType: 'application/xml' });
    expect(response.headers.get('content-type')).toBe('text/plain');
  });

  it('no content gives an empty body', () => {
    expect(new HttpResponse().content).toEqual(Buffer.alloc(0));
    expect(new HttpResponse().tell()).toBe(0);
  });

  it('bytes are kept as they are', () => {
    const bytes = new Uint8Array([0xff, 0x00, 0x41]);
    expect(new HttpResponse(bytes).content).toEqual(Buffer.from([0xff, 0x00, 0x41]));
    expect(new HttpResponse(Buffer.from('abc')).text).toBe('abc');
  });

  it('an iterator is consumed at construction and its chunks joined', () => {
    function* parts() {
      yield 'a';
      yield Buffer.from('b');
      yield 'é';
    }
    const response = new HttpResponse(parts());
    expect(response.text).toBe('abé');
    expect(response.content).toEqual(Buffer.from('abé'));
    expect(response.text).toBe('abé'); // readable again
  });

  it('a body given as a list or an iterator stays writable (Django test_iter_content, test_file_interface)', () => {
    const fromList = new HttpResponse(['a', 'b']);
    expect(fromList.writable).toBe(true);
    fromList.write('c');
    expect(fromList.text).toBe('abc');
    const fromIterator = new HttpResponse(['a', 'b'][Symbol.iterator]());
    fromIterator.write('c');
    expect(fromIterator.text).toBe('abc');
  });

  it('an async iterable or a plain object as content is refused', () => {
    async function* gen() { yield 'a'; }
    expect(() => new HttpResponse(gen() as never)).toThrow('HttpResponse content cannot be an async iterable or a stream: use StreamingHttpResponse.');
    expect(() => new HttpResponse({ a: 1 } as never)).toThrow('HttpResponse content must be a string, bytes or an iterable of them (got [object Object]).');
  });

  it('write/flush/tell make it file-like (Django "add content incrementally")', () => {
    const response = new HttpResponse();
    expect(response.writable).toBe(true);
    response.write("<p>Here's the text of the Web page.</p>");
    response.write("<p>Here's another paragraph.</p>");
    response.flush();
    expect(response.text).toBe("<p>Here's the text of the Web page.</p><p>Here's another paragraph.</p>");
    expect(response.tell()).toBe(71);
    response.writeLines(['x', 'y']);
    expect(response.getValue().toString()).toBe("<p>Here's the text of the Web page.</p><p>Here's another paragraph.</p>xy");
  });

  it('setting content replaces the body and accepts iterables', () => {
    const response = new HttpResponse('old');
    response.content = ['n', 'e', 'w'];
    expect(response.text).toBe('new');
    response.content = Buffer.from('bytes');
    expect(response.text).toBe('bytes');
  });
});

describe('HttpResponse: wireBody, what the writer sends', () => {
  it('is the text itself for a string in utf-8, and content its utf-8 bytes', () => {
    const response = new HttpResponse('café');
    expect(response.wireBody).toBe('café');
    expect(response.content).toEqual(Buffer.from('café', 'utf8'));
    expect(response.tell()).toBe(5);
  });

  it('is the bytes once anything was appended, or the body was given as bytes or in another charset', () => {
    const appended = new HttpResponse('ab');
    appended.write('€');
    expect(appended.wireBody).toEqual(Buffer.from('ab€', 'utf8'));
    expect(new HttpResponse(Buffer.from('xy')).wireBody).toEqual(Buffer.from('xy'));
    expect(new HttpResponse('é', { charset: 'latin-1' }).wireBody).toEqual(Buffer.from([0xe9]));
    const replaced = new HttpResponse('old');
    replaced.content = ['n', 'e', 'w'];
    expect(replaced.wireBody).toEqual(Buffer.from('new'));
    replaced.content = 'text again';
    expect(replaced.wireBody).toBe('text again');
  });
});

describe('HttpResponse: charset', () => {
  it('the charset option encodes the body and names it in the default content type', () => {
    const response = new HttpResponse('café', { charset: 'iso-8859-1' });
    expect(response.headers.get('content-type')).toBe('text/html; charset=iso-8859-1');
    expect(response.content).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(response.text).toBe('café');
  });

  it('else the charset comes from the Content-Type (quotes stripped)', () => {
    const response = new HttpResponse('café', { contentType: 'text/plain; charset="latin1"' });
    expect(response.charset).toBe('latin1');
    expect(response.content).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const fromHeaders = new HttpResponse('café', { headers: { 'Content-Type': 'text/plain; Charset=ISO-8859-1' } });
    expect(fromHeaders.content.length).toBe(4);
  });

  it('a content type given again (checked once, then remembered) is sent and decoded as the first time', () => {
    for (let i = 0; i < 3; i++) {
      const response = new HttpResponse('café', { contentType: 'text/plain; charset=latin1' });
      expect(response.headers.get('content-type')).toBe('text/plain; charset=latin1');
      expect(response.charset).toBe('latin1');
      expect(response.content).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      // The charset option still wins over the remembered one.
      const utf8 = new HttpResponse('café', { contentType: 'text/plain; charset=latin1', charset: 'utf-8' });
      expect(utf8.content).toEqual(Buffer.from('café', 'utf8'));
      // A content type without charset= gets the default, however often it is seen.
      expect(new HttpResponse('é', { contentType: 'text/csv' }).content).toEqual(Buffer.from('é', 'utf8'));
    }
  });

  it('a content type with CR/LF is refused every time, and a Latin-1 one is sent as Latin-1 every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => new HttpResponse('x', { contentType: 'text/plain\r\nX-Evil: 1' })).toThrow(BadHeaderError);
      const latin1 = new HttpResponse('x', { contentType: 'text/plain; name=café' });
      expect(latin1.headers.get('content-type')).toBe('text/plain; name=café');
      expect(latin1.headers.hasLatin1Values).toBe(true);
    }
  });

  it('past the 64 remembered content types, others are still checked and sent as given', () => {
    for (let i = 0; i < 70; i++) {
      const response = new HttpResponse('é', { contentType: `text/x-type-${i}; charset=latin1` });
      expect(response.headers.get('content-type')).toBe(`text/x-type-${i}; charset=latin1`);
      expect(response.content).toEqual(Buffer.from([0xe9]));
    }
    expect(() => new HttpResponse('x', { contentType: 'text/x-late\n' })).toThrow(BadHeaderError);
  });

  it('follows a later Content-Type change, as Django does', () => {
    const response = new HttpResponse();
    response.headers.set('Content-Type', 'text/plain; charset=latin1');
    expect(response.charset).toBe('latin1');
  });

  it('uses the configured default charset', () => {
    configureResponses({ defaultCharset: 'latin1' });
    try {
      expect(new HttpResponse('é').headers.get('content-type')).toBe('text/html; charset=latin1');
      expect(new HttpResponse('é').content).toEqual(Buffer.from([0xe9]));
    } finally {
      configureResponses({ defaultCharset: 'utf-8' });
    }
  });

  it('charsetFromContentType, encodeText and decodeBytes', () => {
    expect(charsetFromContentType('text/html;charset=UTF-8')).toBe('UTF-8');
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(encodeText('é', 'UTF-16LE')).toEqual(Buffer.from([0xe9, 0x00]));
    expect(() => encodeText('x', 'shift_jis')).toThrow("Cannot encode text to charset 'shift_jis': give the content as bytes.");
    expect(decodeBytes(Buffer.from([0x82, 0xa0]), 'shift_jis')).toBe('あ');
  });

  it('encodes text in single-byte charsets, Python names included, and refuses a character the charset lacks', () => {
    expect(encodeText('Привет', 'koi8-r')).toEqual(Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]));
    expect(encodeText('€', 'cp1252')).toEqual(Buffer.from([0x80]));
    expect(encodeText('€', 'iso8859_15')).toEqual(Buffer.from([0xa4]));
    expect(new HttpResponse('Ж', { charset: 'koi8-r' }).content).toEqual(Buffer.from([0xf6]));
    expect(() => encodeText('€', 'koi8-r')).toThrow("'koi8-r' codec can't encode character '\\u20ac' in position 0");
    expect(() => encodeText('x', 'no-such-charset')).toThrow("Cannot encode text to charset 'no-such-charset': give the content as bytes.");
    expect(decodeBytes(Buffer.from([0xf6]), 'koi8_r')).toBe('Ж');
    expect(decodeBytes(Buffer.from('ok'), 'no-such-charset')).toBe('ok');
  });
});

describe('HttpResponse: status and reason', () => {
  it('status sets the code; the reason phrase follows it', () => {
    const response = new HttpResponse('', { status: 404 });
    expect(response.statusCode).toBe(404);
    expect(response.reasonPhrase).toBe('Not Found');
    response.statusCode = 201;
    expect(response.reasonPhrase).toBe('Created');
  });

  it('a given reason stays when the code changes', () => {
    const response = new HttpResponse('', { status: 200, reason: 'Fine' });
    response.statusCode = 500;
    expect(response.reasonPhrase).toBe('Fine');
  });

  it('a reason phrase with a newline throws BadHeaderError', () => {
    expect(() => new HttpResponse('', { reason: 'OK\r\nX-Injected: 1' })).toThrow(BadHeaderError);
    expect(() => { new HttpResponse().reasonPhrase = 'a\nb'; }).toThrow("Invalid reason phrase (got 'a\\nb')");
  });

  it('an unknown code reads "Unknown Status Code"', () => {
    expect(new HttpResponse('', { status: 599 }).reasonPhrase).toBe('Unknown Status Code');
    expect(reasonPhraseFor(418)).toBe("I'm a Teapot");
  });

  it.each([99, 600, 0, -200])('status %p throws RangeError with Django\'s message', (status) => {
    expect(() => new HttpResponse('', { status })).toThrow(RangeError);
    expect(() => new HttpResponse('', { status })).toThrow('HTTP status code must be an integer from 100 to 599.');
  });

  it('a status given as decimal text is read as a number (Django int(status))', () => {
    expect(new HttpResponse('', { status: '404' as unknown as number }).statusCode).toBe(404);
    expect(() => new HttpResponse('', { status: '42' as unknown as number })).toThrow(RangeError);
  });

  it.each([200.5, NaN, '200.0', '0x10', ''])('status %p throws TypeError', (status) => {
    expect(() => new HttpResponse('', { status: status as number })).toThrow(TypeError);
    expect(() => new HttpResponse('', { status: status as number })).toThrow('HTTP status code must be an integer.');
  });

  it('setting statusCode checks it too', () => {
    const response = new HttpResponse();
    expect(() => { response.statusCode = 700; }).toThrow(RangeError);
  });
});

describe('HttpResponse: headers and content type', () => {
  it('contentType with a Content-Type in headers throws TypeError', () => {
    expect(() => new HttpResponse('', { contentType: 'text/plain', headers: { 'content-type': 'text/html' } })).toThrow(
      "'headers' must not contain 'Content-Type' when the 'contentType' parameter is provided.",
    );
  });

  it('a Content-Type in headers is used as is', () => {
    expect(new HttpResponse('', { headers: { 'Content-Type': 'application/xml' } }).headers.get('content-type')).toBe('application/xml');
  });

  it('Content-Disposition for an attachment (Django "Telling the browser to treat the response as a file attachment")', () => {
    const response = new HttpResponse('a,b\n', { mimetype: 'application/vnd.ms-excel' });
    response.setHeader('Content-Disposition', 'attachment; filename=foo.xls');
    expect(response.headers.toObject()).toEqual({
      'Content-Type': 'application/vnd.ms-excel',
      'Content-Disposition': 'attachment; filename=foo.xls',
    });
  });

  it('serialize gives header lines, Set-Cookie lines, a blank line and the body', () => {
    const response = new HttpResponse('body', { headers: { 'X-A': '1' } });
    response.setCookie('k', 'v', { path: '/' });
    expect(response.serialize().toString()).toBe(
      'X-A: 1\r\nContent-Type: text/html; charset=utf-8\r\nSet-Cookie: k=v; Path=/\r\n\r\nbody',
    );
  });

  it("toString is Django's repr", () => {
    expect(String(new HttpResponse('', { status: 404 }))).toBe('<HttpResponse statusCode=404, "text/html; charset=utf-8">');
  });

  it('close() marks it closed, once', () => {
    const response = new HttpResponse('x');
    expect(response.closed).toBe(false);
    response.close();
    response.close();
    expect(response.closed).toBe(true);
  });
});
