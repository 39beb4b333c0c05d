import { mkdtempSync, promises as fsp, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { resolveSettings, type Settings } from '../../src/core/settings';
import {
  ImmutableQueryDictError,
  MultiPartParserError,
  RequestDataTooBig,
  TooManyFieldsSent,
  TooManyFilesSent,
} from '../../src/http/errors';
import { parseMultipart, removeUploadedFiles, type MultipartResult } from '../../src/http/multipart-parser';
import { InMemoryUploadedFile, TemporaryUploadedFile } from '../../src/http/uploaded-file';

// Tests after Django's tests/file_uploads/tests.py and tests/requests_tests/test_data_upload_settings.py.

const B = '----ReinhardtBoundary7MA4YWxkTrZu0gW';
const CT = `multipart/form-data; boundary=${B}`;

let tempDir: string;
beforeEach(() => {
  tempDir = mkdtempSync(path.join(tmpdir(), 'reinhardt-multipart-'));
});
afterEach(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

/** The files left in this test's fileUploadTempDir. */
function tempFiles(): string[] {
  return readdirSync(tempDir);
}

function settings(overrides: Partial<Settings> = {}): Readonly<Settings> {
  return resolveSettings({ debug: true, fileUploadTempDir: tempDir, ...overrides });
}

function field(name: string, value: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
    Buffer.from(value),
    Buffer.from('\r\n'),
  ]);
}

function file(name: string, filename: string, content: string | Buffer, contentType = 'application/octet-stream'): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
        `Content-Type: ${contentType}\r\n\r\n`,
      'utf8',
    ),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
}

/** A part written out by hand: its header lines, then its content. */
function rawPart(headerLines: string[], content: string | Buffer = ''): Buffer {
  return Buffer.concat([Buffer.from(`--${B}\r\n${headerLines.join('\r\n')}\r\n\r\n`, 'utf8'), Buffer.from(content), Buffer.from('\r\n')]);
}

const END = Buffer.from(`--${B}--\r\n`);

function body(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, END]);
}

/** Feed the body in 1 KiB chunks, as a socket would. */
function stream(data: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 1024) chunks.push(data.subarray(i, i + 1024));
  return Readable.from(chunks);
}

function parse(
  data: Buffer,
  overrides: Partial<Settings> = {},
  extra: { contentType?: string; encoding?: string; fieldsAlreadyCounted?: number } = {},
): Promise<MultipartResult> {
  return parseMultipart(stream(data), {
    contentType: extra.contentType ?? CT,
    encoding: extra.encoding ?? 'utf-8',
    settings: settings(overrides),
    fieldsAlreadyCounted: extra.fieldsAlreadyCounted ?? 0,
  });
}

/** Expect a rejection of exactly this class and message, and no temporary file left. */
async function expectRejected(promise: Promise<unknown>, kind: new (...args: never[]) => Error, message: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message).toBe(message);
  expect(tempFiles()).toEqual([]);
}

const TRUNCATED = 'Multipart body ended before its closing boundary (truncated upload).';
const TOO_MANY_FIELDS = 'The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.';
const TOO_MANY_FILES = 'The number of files exceeded settings.dataUploadMaxNumberFiles.';
const FIELDS_TOO_BIG = 'Request body exceeded settings.dataUploadMaxMemorySize.';
const BODY_TOO_BIG = 'Request body exceeded settings.maxUploadSize.';

describe('parseMultipart: fields and files', () => {
  test('repeated field names keep every value, in order, in an immutable QueryDict', async () => {
    const { post, files } = await parse(body(field('a', '1'), field('b', 'x y'), field('a', '2'), field('empty', '')));
    expect(post.getList('a')).toEqual(['1', '2']);
    expect(post.getItem('b')).toBe('x y');
    expect(post.getItem('empty')).toBe('');
    expect([...post.keys()]).toEqual(['a', 'b', 'empty']);
    expect(() => post.setItem('a', '3')).toThrow(ImmutableQueryDictError);
    expect(files.size).toBe(0);
  });

  test('files land in FILES under their field name with the part metadata', async () => {
    const { post, files } = await parse(
      body(
        field('title', 'Report'),
        file('doc', 'report.txt', 'hello world', 'text/plain; charset=iso-8859-1; format=flowed'),
        file('doc', 'second.bin', Buffer.from([0, 1, 2, 255])),
      ),
    );
    expect(post.getItem('title')).toBe('Report');
    expect(post.has('doc')).toBe(false);
    const [first, second] = files.getList('doc');
    expect(first).toBeInstanceOf(InMemoryUploadedFile);
    expect(first.name).toBe('report.txt');
    expect(first.size).toBe(11);
    expect(first.contentType).toBe('text/plain');
    expect(first.charset).toBe('iso-8859-1');
    expect(first.contentTypeExtra).toEqual({ charset: 'iso-8859-1', format: 'flowed' });
    expect(first.fieldName).toBe('doc');
    expect((await first.read()).toString()).toBe('hello world');
    expect(second.name).toBe('second.bin');
    expect(second.contentType).toBe('application/octet-stream');
    expect(second.charset).toBeNull();
    expect(await second.read()).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  test('a file part without Content-Type has an empty content type, as in Django', async () => {
    const { files } = await parse(body(rawPart(['Content-Disposition: form-data; name="f"; filename="a.txt"'], 'abc')));
    expect(files.getItem('f').contentType).toBe('');
    expect((await files.getItem('f').read()).toString()).toBe('abc');
  });

  test('a file part whose content contains the boundary text without CRLF is kept intact', async () => {
    const tricky = `line1\r\n--${B.slice(0, -1)}\r\n-- not a boundary --${B}`;
    const { files } = await parse(body(file('f', 'x.txt', tricky)));
    expect((await files.getItem('f').read()).toString()).toBe(tricky);
  });

  test('field values are decoded with the request encoding; invalid UTF-8 becomes U+FFFD', async () => {
    const { post } = await parse(body(field('ok', 'Grüße €'), field('bad', Buffer.from([0x61, 0xff, 0xfe, 0x62]))));
    expect(post.getItem('ok')).toBe('Grüße €');
    expect(post.getItem('bad')).toBe('a\ufffd\ufffdb');
  });

  test('another request encoding decodes field values in it (iso-8859-2: 0xA1 is Ą)', async () => {
    const { post } = await parse(body(field('word', Buffer.from([0xa1, 0x35]))), {}, { encoding: 'iso-8859-2' });
    expect(post.getItem('word')).toBe('Ą5');
  });

  test('a part naming its own charset is decoded with it (RFC 7578 §4.4)', async () => {
    const part = rawPart(
      ['Content-Disposition: form-data; name="t"', 'Content-Type: text/plain; charset=iso-8859-1'],
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    );
    expect((await parse(body(part))).post.getItem('t')).toBe('café');
  });

  test('a part charset busboy does not know is decoded here; an unknown one falls back to the request encoding', async () => {
    const part = (name: string, charset: string, bytes: number[]) =>
      rawPart([`Content-Disposition: form-data; name="${name}"`, `Content-Type: text/plain; charset=${charset}`], Buffer.from(bytes));
    const { post } = await parse(
      body(
        part('python', 'latin-1', [0x63, 0x61, 0x66, 0xe9]),
        part('koi8', '"KOI8-R"', [0xe9]),
        part('euro', 'iso8859_15', [0xa4]),
        part('bogus', 'no-such-charset', [0xc3, 0xa9]),
        part('bogusBad', 'no-such-charset', [0xe9]),
      ),
    );
    expect(post.dict()).toEqual({ python: 'café', koi8: 'И', euro: '€', bogus: 'é', bogusBad: '\ufffd' });
    // With a request encoding other than utf-8, an unknown part charset falls back to it.
    const latin = await parse(body(part('x', 'no-such-charset', [0xe9])), {}, { encoding: 'latin-1' });
    expect(latin.post.getItem('x')).toBe('é');
  });

  test("a request encoding in Python's spelling decodes fields (latin-1, ISO8859_15)", async () => {
    expect((await parse(body(field('a', Buffer.from([0xe9]))), {}, { encoding: 'latin-1' })).post.getItem('a')).toBe('é');
    expect((await parse(body(field('a', Buffer.from([0xa4]))), {}, { encoding: 'ISO8859_15' })).post.getItem('a')).toBe('€');
  });

  test('RFC 2231 file names in any charset Python knows, invalid escapes kept as Python keeps them', async () => {
    const named = (disposition: string) => rawPart([`Content-Disposition: form-data; name="f"; ${disposition}`, 'Content-Type: text/plain'], 'x');
    const cases: [string, string][] = [
      ["filename*=latin-1''caf%E9.txt", 'café.txt'],
      ["filename*=KOI8-R''%E9.txt", 'И.txt'],
      ["filename*=UTF-8''%ZZ.txt", '%ZZ.txt'],
      ["filename*=UTF-8''100%25%20%27quoted%27.txt", "100% 'quoted'.txt"],
      ["filename*=utf-8'en'%E2%82%AC.txt", '€.txt'],
      ['filename="plain.txt"; filename*=UTF-8\'\'%C3%A9.txt', 'é.txt'],
    ];
    for (const [disposition, expected] of cases) {
      const { files } = await parse(body(named(disposition)));
      expect([disposition, files.getList('f').map((f) => f.name)]).toEqual([disposition, [expected]]);
    }
  });

  test('parts without a name and parts without Content-Disposition are skipped', async () => {
    const { post, files } = await parse(
      body(
        rawPart(['Content-Disposition: form-data'], 'no name'),
        rawPart(['Content-Type: text/plain'], 'no disposition'),
        field('kept', 'yes'),
      ),
    );
    expect([...post.keys()]).toEqual(['kept']);
    expect(files.size).toBe(0);
  });

  test('an empty form (closing boundary only) gives empty POST and FILES', async () => {
    const { post, files } = await parse(END);
    expect(post.size).toBe(0);
    expect(files.size).toBe(0);
  });
});

describe('parseMultipart: memory or temporary file', () => {
  test('a file of exactly fileUploadMaxMemorySize stays in memory', async () => {
    const { files } = await parse(body(file('f', 'a.bin', Buffer.alloc(1024, 7))), { fileUploadMaxMemorySize: 1024 });
    const upload = files.getItem('f');
    expect(upload).toBeInstanceOf(InMemoryUploadedFile);
    expect(upload.size).toBe(1024);
    expect(tempFiles()).toEqual([]);
    expect(() => upload.temporaryFilePath()).toThrow(TypeError);
  });

  test('one byte over spills to a 0600 temporary file, removed by removeUploadedFiles', async () => {
    const content = Buffer.alloc(1025, 9);
    const { files } = await parse(body(file('f', 'a.bin', content)), { fileUploadMaxMemorySize: 1024 });
    const upload = files.getItem('f');
    expect(upload).toBeInstanceOf(TemporaryUploadedFile);
    expect(upload.size).toBe(1025);
    const tmp = upload.temporaryFilePath();
    expect(path.dirname(tmp)).toBe(tempDir);
    expect(path.basename(tmp)).toMatch(/^reinhardt-upload-[0-9a-f]{32}\.upload$/);
    expect(tempFiles()).toEqual([path.basename(tmp)]);
    expect(statSync(tmp).mode & 0o777).toBe(0o600);
    expect(await upload.read()).toEqual(content);
    await removeUploadedFiles(files);
    expect(tempFiles()).toEqual([]);
    await removeUploadedFiles(files); // idempotent
    expect(tempFiles()).toEqual([]);
  });

  test('a temporary folder that does not exist fails the parse with the file system error', async () => {
    const missing = path.join(tempDir, 'missing');
    const error = await parse(body(file('f', 'a.bin', Buffer.alloc(5000))), {
      fileUploadMaxMemorySize: 1000,
      fileUploadTempDir: missing,
    }).catch((e: NodeJS.ErrnoException) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(tempFiles()).toEqual([]);
  });

  test('files keep part order whatever kind they are', async () => {
    const { files } = await parse(
      body(file('f', 'big.bin', Buffer.alloc(200_000, 1)), file('f', 'small.txt', 'x'), file('g', 'big2.bin', Buffer.alloc(5000))),
      { fileUploadMaxMemorySize: 4096 },
    );
    expect(files.getList('f').map((f) => f.name)).toEqual(['big.bin', 'small.txt']);
    expect(files.getList('f').map((f) => f.constructor.name)).toEqual(['TemporaryUploadedFile', 'InMemoryUploadedFile']);
    expect(files.getItem('g').size).toBe(5000);
    expect(tempFiles()).toHaveLength(2);
    await removeUploadedFiles(files);
    expect(tempFiles()).toEqual([]);
  });
});

describe('parseMultipart: limits, exactly at the limit and one over', () => {
  // A field costs its value bytes + its name + 2 (Django counts '&=' as for urlencoded bodies).
  test('dataUploadMaxMemorySize counts field names and values', async () => {
    const atLimit = await parse(body(field('a', 'x'.repeat(97))), { dataUploadMaxMemorySize: 100 });
    expect(atLimit.post.getItem('a')).toHaveLength(97);
    await expectRejected(
      parse(body(field('a', 'x'.repeat(98))), { dataUploadMaxMemorySize: 100 }),
      RequestDataTooBig,
      FIELDS_TOO_BIG,
    );
    // Over several fields: 2 x (1 + 1 + 2) = 8.
    await expect(parse(body(field('a', 'x'), field('b', 'y')), { dataUploadMaxMemorySize: 8 })).resolves.toBeDefined();
    await expectRejected(
      parse(body(field('a', 'x'), field('b', 'yy')), { dataUploadMaxMemorySize: 8 }),
      RequestDataTooBig,
      FIELDS_TOO_BIG,
    );
  });

  test('dataUploadMaxMemorySize: one huge field is refused without buffering it all', async () => {
    await expectRejected(
      parse(body(field('a', 'x'.repeat(5_000_000))), { dataUploadMaxMemorySize: 1000 }),
      RequestDataTooBig,
      FIELDS_TOO_BIG,
    );
  });

  test('dataUploadMaxMemorySize does not count file parts', async () => {
    const { files } = await parse(body(file('f', 'a.bin', Buffer.alloc(10_000))), { dataUploadMaxMemorySize: 10 });
    expect(files.getItem('f').size).toBe(10_000);
    await removeUploadedFiles(files);
  });

  test('dataUploadMaxNumberFields counts GET fields already counted', async () => {
    const two = body(field('a', '1'), field('b', '2'));
    await expect(parse(two, { dataUploadMaxNumberFields: 3 }, { fieldsAlreadyCounted: 1 })).resolves.toBeDefined();
    await expectRejected(
      parse(body(field('a', '1'), field('b', '2'), field('c', '3')), { dataUploadMaxNumberFields: 3 }, { fieldsAlreadyCounted: 1 }),
      TooManyFieldsSent,
      TOO_MANY_FIELDS,
    );
    await expectRejected(
      parse(END, { dataUploadMaxNumberFields: 3 }, { fieldsAlreadyCounted: 4 }),
      TooManyFieldsSent,
      TOO_MANY_FIELDS,
    );
  });

  test('dataUploadMaxNumberFields: null disables the check', async () => {
    const many = body(...Array.from({ length: 50 }, (_, i) => field(`f${i}`, 'v')));
    const { post } = await parse(many, { dataUploadMaxNumberFields: null }, { fieldsAlreadyCounted: 5000 });
    expect(post.size).toBe(50);
  });

  test('parts that are neither field nor file count as fields, with Django`s slack of two', async () => {
    const raw = rawPart(['X-Nothing: here'], 'raw');
    const ok = body(field('a', '1'), raw, raw);
    await expect(parse(ok, { dataUploadMaxNumberFields: 1, dataUploadMaxNumberFiles: 0 })).resolves.toBeDefined();
    await expectRejected(
      parse(body(field('a', '1'), raw, raw, raw), { dataUploadMaxNumberFields: 1, dataUploadMaxNumberFiles: 0 }),
      TooManyFieldsSent,
      TOO_MANY_FIELDS,
    );
  });

  test('dataUploadMaxNumberFiles', async () => {
    const big = Buffer.alloc(3000, 1);
    const atLimit = await parse(body(file('f', 'a', big), file('f', 'b', big)), {
      dataUploadMaxNumberFiles: 2,
      fileUploadMaxMemorySize: 1000,
    });
    expect(atLimit.files.getList('f')).toHaveLength(2);
    await removeUploadedFiles(atLimit.files);
    // The third file is refused after two were spilled to disk: both are removed.
    await expectRejected(
      parse(body(file('f', 'a', big), file('f', 'b', big), file('f', 'c', big)), {
        dataUploadMaxNumberFiles: 2,
        fileUploadMaxMemorySize: 1000,
      }),
      TooManyFilesSent,
      TOO_MANY_FILES,
    );
  });

  test('maxUploadSize counts the whole body; the spilled file in progress is removed', async () => {
    const data = body(field('a', '1'), file('f', 'a.bin', Buffer.alloc(50_000, 3)));
    const ok = await parse(data, { maxUploadSize: data.length, fileUploadMaxMemorySize: 1000 });
    expect(ok.files.getItem('f').size).toBe(50_000);
    await removeUploadedFiles(ok.files);
    await expectRejected(
      parse(data, { maxUploadSize: data.length - 1, fileUploadMaxMemorySize: 1000 }),
      RequestDataTooBig,
      BODY_TOO_BIG,
    );
  });

  test('maxUploadSize reached inside a dropped file part (no usable name) rejects cleanly', async () => {
    const data = body(file('f', '..', Buffer.alloc(100_000)));
    await expectRejected(parse(data, { maxUploadSize: 50_000 }), RequestDataTooBig, BODY_TOO_BIG);
  });

  test('maxUploadSize stops reading at once: the rest of the body stays unread', async () => {
    let served = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const endless = new Readable({
      read() {
        served++;
        this.push(served === 1 ? Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n`) : chunk);
      },
    });
    const promise = parseMultipart(endless, { contentType: CT, encoding: 'utf-8', settings: settings({ maxUploadSize: 1_000_000 }), fieldsAlreadyCounted: 0 });
    await expectRejected(promise, RequestDataTooBig, BODY_TOO_BIG);
    const servedAtRejection = served;
    await new Promise((r) => setTimeout(r, 50));
    expect(served).toBeLessThan(40); // ~1 MB in 64 KiB chunks, plus what the stream buffers ahead
    expect(served).toBe(servedAtRejection);
    expect(endless.isPaused()).toBe(true);
    endless.destroy();
  });
});

describe('parseMultipart: file names (Django`s sanitize_file_name and UploadedFile._set_name)', () => {
  async function uploadedName(dispositionParams: string): Promise<string | null> {
    const { files } = await parse(body(rawPart([`Content-Disposition: form-data; name="f"; ${dispositionParams}`], 'data')));
    const list = files.getList('f');
    return list.length === 0 ? null : list[0].name;
  }

  test.each([
    ['filename="../../etc/passwd"', 'passwd'],
    ['filename="..\\\\..\\\\x.txt"', 'x.txt'],
    ['filename="C:\\\\Users\\\\me\\\\report.pdf"', 'report.pdf'],
    ['filename="&#x2F;etc&#x2F;passwd"', 'passwd'],
    ['filename="..&#47;..&#47;a.txt"', 'a.txt'],
    ['filename="..&#x5C;..&#92;b.txt"', 'b.txt'],
    ['filename="&sol;root&sol;c.txt"', 'c.txt'],
    ['filename="a\tb.txt"', 'ab.txt'],
    ["filename*=utf-8''%00evil.txt", 'evil.txt'],
    ["filename*=utf-8''%1B%5B31mred%7F.txt", '[31mred.txt'],
    ['filename="  spaced.txt  "', 'spaced.txt'],
    ["filename*=UTF-8''%E2%82%AC%20rates.txt", '€ rates.txt'],
    ["filename=\"fallback.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt", 'été.txt'],
    ['filename="Grüße.txt"', 'Grüße.txt'],
  ])('%s -> %s', async (params, expected) => {
    expect(await uploadedName(params)).toBe(expected);
  });

  test.each([
    ['filename="   "'],
    ['filename="."'],
    ['filename=".."'],
    ['filename="a/.."'],
    ['filename="dir/"'],
    ['filename="&#x2E;&#x2E;"'],
    ["filename*=utf-8''%00%01"],
  ])('%s leaves no name: the part is dropped from FILES', async (params) => {
    const { post, files } = await parse(
      body(rawPart([`Content-Disposition: form-data; name="f"; ${params}`, 'Content-Type: text/plain'], 'data')),
    );
    expect(files.size).toBe(0);
    expect(post.size).toBe(0);
  });

  test('filename="" from an empty browser file input is dropped', async () => {
    const { post, files } = await parse(body(file('f', '', '')));
    expect(files.size).toBe(0);
    expect(post.size).toBe(0);
  });

  test('a 300-character name is cut to 255 keeping its extension', async () => {
    const name = await uploadedName(`filename="${'a'.repeat(300)}.txt"`);
    expect(name).toBe(`${'a'.repeat(251)}.txt`);
    expect(name).toHaveLength(255);
  });

  test('raw NUL and LF bytes in a quoted file name are removed (Django test_non_printable_chars_in_file_names)', async () => {
    expect(await uploadedName('filename="non-\x00printable\x00\n_chars.txt\x00"')).toBe('non-printable_chars.txt');
  });
});

describe('parseMultipart: bad boundaries', () => {
  test.each([
    ['multipart/form-data', 'Invalid boundary in multipart: None'],
    ['multipart/form-data; boundary=', 'Invalid boundary in multipart: '],
    ['multipart/form-data; boundary=""', 'Invalid boundary in multipart: '],
    ['multipart/form-data; boundary="ends with space "', 'Invalid boundary in multipart: ends with space '],
    [`multipart/form-data; boundary=${'b'.repeat(202)}`, `Invalid boundary in multipart: ${'b'.repeat(202)}`],
    ['multipart/form-data; boundary=caf\u00e9', 'Invalid non-ASCII Content-Type in multipart: multipart/form-data; boundary=caf\u00e9'],
    ['text/plain; boundary=abc', 'Invalid Content-Type: text/plain; boundary=abc'],
  ])('%s', async (contentType, message) => {
    await expectRejected(parse(body(field('a', '1')), {}, { contentType }), MultiPartParserError, message);
  });

  test("a 201-character boundary is accepted (Django's boundary_re, longer than RFC 2046's 70)", async () => {
    const long = 'b'.repeat(201);
    const data = Buffer.from(`--${long}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${long}--\r\n`);
    const { post } = await parse(data, {}, { contentType: `multipart/form-data; boundary="${long}"` });
    expect(post.getItem('a')).toBe('1');
  });
});

describe('parseMultipart: malformed and truncated bodies', () => {
  const spilled = { fileUploadMaxMemorySize: 1000 };

  test('a body cut inside a spilled file is rejected and its temporary file removed', async () => {
    const whole = body(file('f', 'a.bin', Buffer.alloc(100_000, 5)));
    await expectRejected(parse(whole.subarray(0, 60_000), spilled), MultiPartParserError, TRUNCATED);
  });

  test('a part never terminated by a boundary', async () => {
    await expectRejected(parse(field('a', '1')), MultiPartParserError, TRUNCATED);
  });

  test("part headers over 1,024 bytes (Django's MAX_TOTAL_HEADER_SIZE), the spilled file before removed", async () => {
    const huge = rawPart([`Content-Disposition: form-data; name="a"`, `X-Padding: ${'p'.repeat(20_000)}`], '1');
    await expectRejected(
      parse(body(file('f', 'a.bin', Buffer.alloc(5000)), huge), spilled),
      MultiPartParserError,
      'Request max total header size exceeded.',
    );
  });

  test('a part header line without a colon is skipped, as Django skips it (the part then has no name)', async () => {
    const { post, files } = await parse(body(rawPart(['Content-Disposition form-data; name="a"'], '1'), field('b', '2')));
    expect(post.dict()).toEqual({ b: '2' });
    expect(files.size).toBe(0);
  });

  test('a garbage body', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await expectRejected(parse(garbage), MultiPartParserError, TRUNCATED);
  });

  test('an empty body', async () => {
    await expectRejected(parse(Buffer.alloc(0)), MultiPartParserError, TRUNCATED);
  });

  test('a request stream that errors mid-upload is rejected as aborted, temporary file removed', async () => {
    const head = body(file('f', 'a.bin', Buffer.alloc(50_000))).subarray(0, 30_000);
    let sent = false;
    const req = new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push(head);
        } else {
          setTimeout(() => this.destroy(new Error('socket hang up')), 10);
        }
      },
    });
    await expectRejected(
      parseMultipart(req, { contentType: CT, encoding: 'utf-8', settings: settings(spilled), fieldsAlreadyCounted: 0 }),
      MultiPartParserError,
      'The client aborted the upload before the request body was complete.',
    );
  });

  test('a request stream closed without ending is rejected as aborted', async () => {
    const req = new Readable({ read() {} });
    req.push(body(file('f', 'a.bin', Buffer.alloc(5000))).subarray(0, 3000));
    const promise = parseMultipart(req, { contentType: CT, encoding: 'utf-8', settings: settings(spilled), fieldsAlreadyCounted: 0 });
    setTimeout(() => req.destroy(), 20);
    await expectRejected(promise, MultiPartParserError, 'The client aborted the upload before the request body was complete.');
  });
});

describe('removeUploadedFiles', () => {
  test('closes in-memory files and deletes temporary ones; a second call is harmless', async () => {
    const { files } = await parse(body(file('a', 'a.txt', 'small'), file('b', 'b.bin', Buffer.alloc(2000))), {
      fileUploadMaxMemorySize: 1000,
    });
    const temporary = files.getItem('b').temporaryFilePath();
    await fsp.access(temporary);
    await removeUploadedFiles(files);
    await expect(fsp.access(temporary)).rejects.toThrow('ENOENT');
    await expect(files.getItem('a').read()).rejects.toThrow('I/O operation on closed file.');
    await expect(removeUploadedFiles(files)).resolves.toBeUndefined();
  });
});

describe('parseMultipart: part headers as Django reads them (parse_boundary_stream)', () => {
  test.each([
    'Content-Disposition : form-data; name="name"',
    'Content-Disposition:form-data; name="name"',
    'Content-Disposition :form-data; name="name"',
    'content-disposition   :   form-data; name="name"',
  ])('a space before or no space after the colon: %s', async (header) => {
    expect((await parse(body(rawPart([header], 'value')))).post.dict()).toEqual({ name: 'value' });
  });

  test('a Content-Disposition ending in ";" keeps its field and its file', async () => {
    const { post, files } = await parse(
      body(
        rawPart(['Content-Disposition: form-data; name="a";'], '1'),
        rawPart(['Content-Disposition: form-data; name="f"; filename="x.txt";', 'Content-Type: text/plain'], 'data'),
      ),
    );
    expect(post.dict()).toEqual({ a: '1' });
    expect(files.getItem('f').name).toBe('x.txt');
  });

  test("RFC 2231 name*= names fields and files, quoted or not, in Python's charsets", async () => {
    const { post, files } = await parse(
      body(
        rawPart(["Content-Disposition: form-data; name*=UTF-8''caf%C3%A9"], '1'),
        rawPart(['Content-Disposition: form-data; name*="UTF-8\'\'quoted%20name"'], '2'),
        rawPart(["Content-Disposition: form-data; name*=latin-1''%E9t%E9"], '3'),
        rawPart(["Content-Disposition: form-data; name*=UTF-8''file_unicode; filename*=UTF-8''%E4%B8%AD.jpg"], 'x'),
      ),
    );
    expect(post.dict()).toEqual({ café: '1', 'quoted name': '2', été: '3' });
    expect(files.getItem('file_unicode').name).toBe('中.jpg');
  });

  test('the last of two parameters of one name wins, as in Django (filename*= then filename=)', async () => {
    const part = rawPart(["Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%C3%A9.txt; filename=\"plain.txt\""], 'x');
    expect((await parse(body(part))).files.getItem('f').name).toBe('plain.txt');
  });

  test('an application/octet-stream part without a file name is a field, as in Django', async () => {
    const part = rawPart(['Content-Disposition: form-data; name="blob"', 'Content-Type: application/octet-stream'], 'bytes');
    const { post, files } = await parse(body(part));
    expect(post.dict()).toEqual({ blob: 'bytes' });
    expect(files.size).toBe(0);
  });

  test('headers and blank line of exactly 1,024 bytes (with the CRLF after the boundary) pass; one more is a 400', async () => {
    const disposition = 'Content-Disposition: form-data; name="a"';
    // Django counts the CRLF after the boundary, the header lines and the CRLF CRLF that ends them.
    const padded = (total: number) => rawPart([disposition, `X-Pad: ${'p'.repeat(total - 2 - disposition.length - 2 - 7 - 4)}`], '1');
    expect((await parse(body(padded(1024)))).post.dict()).toEqual({ a: '1' });
    await expectRejected(parse(body(padded(1025))), MultiPartParserError, 'Request max total header size exceeded.');
  });

  test('a part whose headers never end before the closing boundary is skipped (Django`s RAW item)', async () => {
    const data = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n--${B}--\r\n`);
    const { post, files } = await parse(data);
    expect(post.size).toBe(0);
    expect(files.size).toBe(0);
  });

  test('a part with no headers at all is skipped', async () => {
    const data = Buffer.from(`--${B}\r\n\r\nnothing\r\n--${B}\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--${B}--\r\n`);
    expect((await parse(data)).post.dict()).toEqual({ b: '2' });
  });
});

describe('parseMultipart: Content-Transfer-Encoding: base64', () => {
  const b64Field = (name: string, encoded: string, encoding = 'base64') =>
    rawPart([`Content-Disposition: form-data; name="${name}"`, `Content-Transfer-Encoding: ${encoding}`], encoded);
  const b64File = (encoded: string | Buffer) =>
    rawPart(
      ['Content-Disposition: form-data; name="file"; filename="test.txt"', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'],
      encoded,
    );

  test('a field is decoded (Django test_multipart_post_field_with_base64), the encoding in any case; one that does not decode keeps its text', async () => {
    const { post } = await parse(body(b64Field('name', 'dmFsdWU='), b64Field('bad', 'Zsg'), b64Field('upper', 'dmFsdWU=', ' BASE64 ')));
    expect(post.dict()).toEqual({ name: 'value', bad: 'Zsg', upper: 'value' });
  });

  test('a field counts against dataUploadMaxMemorySize as sent, before decoding', async () => {
    const encoded = Buffer.from('x'.repeat(30)).toString('base64'); // 40 characters
    await expectRejected(parse(body(b64Field('n', encoded)), { dataUploadMaxMemorySize: 42 }), RequestDataTooBig, FIELDS_TOO_BIG);
    expect((await parse(body(b64Field('n', encoded)), { dataUploadMaxMemorySize: 43 })).post.getItem('n')).toBe('x'.repeat(30));
  });

  test('a file is decoded, with or without line breaks, in memory and spilled alike', async () => {
    const content = 'Big data'.repeat(68000);
    const plain = Buffer.from(content).toString('base64');
    const wrapped = plain.replace(/(.{76})/g, '$1\n');
    for (const [encoded, spill] of [[plain, false], [wrapped, false], [wrapped, true]] as const) {
      const { files } = await parse(body(b64File(encoded)), spill ? { fileUploadMaxMemorySize: 1000 } : {});
      const upload = files.getItem('file');
      expect(upload.size).toBe(content.length);
      expect(upload).toBeInstanceOf(spill ? TemporaryUploadedFile : InMemoryUploadedFile);
      expect((await upload.read()).toString()).toBe(content);
      await removeUploadedFiles(files);
    }
  });

  test('a file of characters outside the alphabet is empty (Django test_base64_invalid_upload)', async () => {
    const { files } = await parse(body(b64File('!')));
    expect((await files.getItem('file').read()).toString()).toBe('');
  });

  test('a file that does not decode is a 400 (Django test_base64_invalid_encoding)', async () => {
    await expectRejected(parse(body(b64File('\r\nZsg\u00a3'))), MultiPartParserError, 'Could not decode base64 data.');
  });
});
