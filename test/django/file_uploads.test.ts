/**
 * Django's tests/file_uploads/tests.py, translated: django/django at commit
 * 0379e7532fdf3212b1fe22a58826109c23009be3 (the newest version read_file gave: Django 5.x/6.0's,
 * with CANDIDATE_TRAVERSAL_FILE_NAMES), and its views (tests/file_uploads/views.py at
 * 5819d2de62a0f6b6b273831bee4fee22eb8e939f) as the controllers below. One test per Django test
 * method, by its Django name; Django's `client.FakePayload` bodies are sent raw with the test
 * Client, its dict bodies as the Client's multipart form.
 *
 * Mapping: Django's `FileModel.testfile.save(name, file)` (MEDIA_ROOT/test_upload/name) is
 * `UploadedFile.saveTo(path)` into a temporary MEDIA_ROOT; Django's `response.wsgi_request` is the
 * request a controller kept.
 *
 * Asserting Reinhardt's documented behaviour where it deliberately differs (see
 * docs/differences-from-django.md):
 * - test_truncated_multipart_handled_gracefully: a body that ends before its closing boundary is a
 *   400 (MultiPartParserError) here; Django drops the unfinished part and answers 200.
 *
 * Not translated (no counterpart):
 * - test_custom_upload_handler, test_broken_custom_upload_handler, test_stop_upload_temporary_file_handler,
 *   test_file_error_blocking, MultiParserTests.test_empty_upload_handlers: Reinhardt has no upload
 *   handlers (`request.upload_handlers`, `StopUpload`, `SkipFile`); uploads always go to memory,
 *   then to a temporary file past `fileUploadMaxMemorySize`.
 * - test_no_parsing_triggered_by_fd_closing: the body is read before the handler runs (a
 *   documented difference), so there is no lazy `_files` to leave unparsed.
 * - DirectoryCreationTests (test_readonly_root, test_not_a_directory): Django's storage layer
 *   (`FileField.save`, `default_storage`) has no counterpart; `saveTo` writes to the path it is given.
 * - MultiParserTests.test_negative_content_length, test_bad_type_content_length: Node's HTTP parser
 *   refuses such a Content-Length (400) before the application sees the request; the request
 *   body reader refuses it too (test/http/request-body.test.ts).
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { container } from 'tsyringe';
import { CapturingLogger, Controller, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse, Post, createApp } from '../../src';
import { resolveSettings } from '../../src/core/settings';
import { MultiPartParserError, SuspiciousFileOperation } from '../../src/http/errors';
import { parseMultipart } from '../../src/http/multipart-parser';
import { sanitizeFileName } from '../../src/http/upload-filename';
import { InMemoryUploadedFile, UploadedFile } from '../../src/http/uploaded-file';
import { Client } from '../../src/testing/client';

const UNICODE_FILENAME = 'test-0123456789_中文_Orléans.jpg';
const MEDIA_ROOT = mkdtempSync(path.join(tmpdir(), 'reinhardt-file-uploads-'));
const UPLOAD_TO = path.join(MEDIA_ROOT, 'test_upload');
const TEMP_DIR = mkdtempSync(path.join(tmpdir(), 'reinhardt-file-uploads-tmp-'));

// Django's django.test.client BOUNDARY and MULTIPART_CONTENT.
const BOUNDARY = 'BoUnDaRyStRiNg';
const MULTIPART_CONTENT = `multipart/form-data; boundary=${BOUNDARY}`;

const CANDIDATE_TRAVERSAL_FILE_NAMES = [
  '/tmp/hax0rd.txt', // Absolute path, *nix-style.
  'C:\\Windows\\hax0rd.txt', // Absolute path, win-style.
  'C:/Windows/hax0rd.txt', // Absolute path, broken-style.
  '\\tmp\\hax0rd.txt', // Absolute path, broken in a different way.
  '/tmp\\hax0rd.txt', // Absolute path, broken by mixing.
  'subdir/hax0rd.txt', // Descendant path, *nix-style.
  'subdir\\hax0rd.txt', // Descendant path, win-style.
  'sub/dir\\hax0rd.txt', // Descendant path, mixed.
  '../../hax0rd.txt', // Relative path, *nix-style.
  '..\\..\\hax0rd.txt', // Relative path, win-style.
  '../..\\hax0rd.txt', // Relative path, mixed.
  '..&#x2F;hax0rd.txt', // HTML entities.
  '..&sol;hax0rd.txt', // HTML entities.
];

const CANDIDATE_INVALID_FILE_NAMES = [
  '/tmp/', // Directory, *nix-style.
  'c:\\tmp\\', // Directory, win-style.
  '/tmp/.', // Directory dot, *nix-style.
  'c:\\tmp\\.', // Directory dot, *nix-style.
  '/tmp/..', // Parent directory, *nix-style.
  'c:\\tmp\\..', // Parent directory, win-style.
  '', // Empty filename.
];

/** The request the last `/fd_closing/` view saw (Django's `response.wsgi_request`). */
let lastRequest: HttpRequest | null = null;

const sha1 = (data: Buffer | string) => createHash('sha1').update(data).digest('hex');

/** The views of tests/file_uploads/views.py. */
@Controller()
class FileUploadViews {
  @Post('/upload/')
  fileUploadView(request: HttpRequest) {
    const file = request.FILES.get('file_field');
    if (file instanceof UploadedFile && typeof request.POST.get('name') === 'string') {
      // The client posts the file name only, not the full path.
      if (path.dirname(file.name) !== '.') return new HttpResponseServerError();
      return new HttpResponse();
    }
    return new HttpResponseServerError();
  }

  @Post('/verify/')
  async fileUploadViewVerify(request: HttpRequest) {
    for (const [key, value] of request.POST.items()) {
      if (key.endsWith('_hash') || !request.POST.has(`${key}_hash`)) continue;
      if (sha1(value) !== request.POST.get(`${key}_hash`)) return new HttpResponseServerError();
    }
    for (const [key, file] of request.FILES.items()) {
      if (!request.POST.has(`${key}_hash`)) continue;
      if (sha1(await file.read()) !== request.POST.get(`${key}_hash`)) return new HttpResponseServerError();
    }
    // Adding the large file to storage succeeds.
    const largefile = request.FILES.getItem('file_field2');
    await largefile.saveTo(path.join(UPLOAD_TO, largefile.name));
    return new HttpResponse();
  }

  @Post('/unicode_name/')
  async fileUploadUnicodeName(request: HttpRequest) {
    const file = request.FILES.getItem('file_unicode');
    if (!file.name.endsWith(UNICODE_FILENAME)) return new HttpResponseServerError();
    // The exotic characters survive a save too.
    const fullName = path.join(UPLOAD_TO, file.name);
    await file.saveTo(fullName);
    return existsSync(fullName) ? new HttpResponse() : new HttpResponseServerError();
  }

  @Post('/echo/')
  fileUploadEcho(request: HttpRequest) {
    return new JsonResponse(Object.fromEntries(Array.from(request.FILES.items(), ([k, f]) => [k, f.name])));
  }

  @Post('/echo_content/')
  async fileUploadEchoContent(request: HttpRequest) {
    const result: Record<string, string> = {};
    for (const [key, file] of request.FILES.items()) {
      result[key] = (await file.read()).toString('utf8');
      await file.close();
    }
    return new JsonResponse(result);
  }

  @Post('/getlist_count/')
  fileUploadGetlistCount(request: HttpRequest) {
    return new JsonResponse(Object.fromEntries(Array.from(request.FILES.keys(), (key) => [key, request.FILES.getList(key).length])));
  }

  @Post('/filename_case/')
  async fileUploadFilenameCaseView(request: HttpRequest) {
    const file = request.FILES.getItem('file_field');
    const saved = path.join(UPLOAD_TO, file.name);
    await file.saveTo(saved);
    return new HttpResponse(saved);
  }

  @Post('/echo_content_type_extra/')
  fileUploadContentTypeExtra(request: HttpRequest) {
    return new JsonResponse(Object.fromEntries(Array.from(request.FILES.items(), ([key, file]) => [key, { ...file.contentTypeExtra }])));
  }

  @Post('/fd_closing/t/')
  fileUploadFdClosing(request: HttpRequest) {
    lastRequest = request;
    request.FILES; // Trigger file parsing (already done: the body is read before the handler).
    return new HttpResponse();
  }

  @Post('/upload_traversal/')
  async fileUploadTraversalView(request: HttpRequest) {
    // Django's TraversalUploadHandler saves into UPLOAD_TO under the name the parser gave.
    const file = request.FILES.getItem('my_file');
    await file.saveTo(path.join(UPLOAD_TO, file.name));
    return new JsonResponse({ file_name: file.name });
  }
}

const logger = new CapturingLogger();
const app = createApp({
  controllers: [FileUploadViews],
  middleware: [],
  container: container.createChildContainer(),
  settings: { secretKey: 'file-uploads', fileUploadTempDir: TEMP_DIR },
  logger,
});
const client = new Client(app);

/** Django's `self.client.request(**r)` with a FakePayload body. */
function postPayload(path: string, payload: string | Buffer) {
  return client.post(path, typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload, { contentType: MULTIPART_CONTENT });
}

beforeAll(() => mkdirSync(UPLOAD_TO, { recursive: true }));
afterAll(() => {
  rmSync(MEDIA_ROOT, { recursive: true, force: true });
  rmSync(TEMP_DIR, { recursive: true, force: true });
});

describe('FileUploadTests', () => {
  test('test_upload_name_is_validated', () => {
    // Django checks the Windows spellings on win32 only; both separators are stripped everywhere here.
    for (const fileName of ['/tmp/', '/tmp/..', '/tmp/.', 'c:\\tmp\\', 'c:\\tmp\\..', 'c:\\tmp\\.']) {
      expect(() => new InMemoryUploadedFile(Buffer.alloc(0), { name: fileName })).toThrow(SuspiciousFileOperation);
    }
  });

  test('test_simple_upload', async () => {
    const response = await client.post('/upload/', { name: 'Ringo', file_field: Client.file(path.basename(__filename), readFileSync(__filename)) });
    expect(response.statusCode).toBe(200);
  });

  test('test_large_upload', async () => {
    const file1 = Buffer.alloc(2 ** 21, 'a');
    const file2 = Buffer.alloc(10 * 2 ** 20, 'a');
    const response = await client.post('/verify/', {
      name: 'Ringo',
      file_field1: Client.file('tmp.file1', file1),
      file_field2: Client.file('tmp.file2', file2),
      name_hash: sha1('Ringo'),
      file_field1_hash: sha1(file1),
      file_field2_hash: sha1(file2),
    });
    expect(response.statusCode).toBe(200);
  });

  function base64Payload(encoded: Buffer): Buffer {
    return Buffer.concat([
      Buffer.from(
        [
          `--${BOUNDARY}`,
          'Content-Disposition: form-data; name="file"; filename="test.txt"',
          'Content-Type: application/octet-stream',
          'Content-Transfer-Encoding: base64',
          '',
        ].join('\r\n'),
      ),
      Buffer.from('\r\n'),
      encoded,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
  }

  async function testBase64Upload(content: string, encode: (data: Buffer) => string) {
    const response = await postPayload('/echo_content/', base64Payload(Buffer.from(encode(Buffer.from(content)))));
    expect(response.json().file).toBe(content);
  }

  const b64encode = (data: Buffer) => data.toString('base64');
  // Python's base64.encodebytes: lines of 76 characters, each ending in a newline.
  const encodebytes = (data: Buffer) => data.toString('base64').replace(/.{1,76}/g, '$&\n');

  test('test_base64_upload', async () => {
    await testBase64Upload('This data will be transmitted base64-encoded.', b64encode);
  });

  test('test_big_base64_upload', async () => {
    await testBase64Upload('Big data'.repeat(68000), b64encode); // > 512Kb
  });

  test('test_big_base64_newlines_upload', async () => {
    await testBase64Upload('Big data'.repeat(68000), encodebytes);
  });

  test('test_base64_invalid_upload', async () => {
    const response = await postPayload('/echo_content/', base64Payload(Buffer.from('!')));
    expect(response.json().file).toBe('');
  });

  test('test_unicode_file_name', async () => {
    const response = await client.post('/unicode_name/', { file_unicode: Client.file(UNICODE_FILENAME, Buffer.alloc(2 ** 10, 'b')) });
    expect(response.statusCode).toBe(200);
  });

  /** Python's `urllib.parse.quote` (safe '/'), as the tests quote UNICODE_FILENAME. */
  const quote = (text: string) => encodeURIComponent(text).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  function unicodePayload(disposition: string): string {
    return [`--${BOUNDARY}`, disposition, 'Content-Type: application/octet-stream', '', 'You got pwnd.\r\n', `\r\n--${BOUNDARY}--\r\n`].join('\r\n');
  }

  test('test_unicode_file_name_rfc2231', async () => {
    const disposition = `Content-Disposition: form-data; name="file_unicode"; filename*=UTF-8''${quote(UNICODE_FILENAME)}`;
    expect((await postPayload('/unicode_name/', unicodePayload(disposition))).statusCode).toBe(200);
  });

  test('test_unicode_name_rfc2231', async () => {
    const disposition = `Content-Disposition: form-data; name*=UTF-8''file_unicode; filename*=UTF-8''${quote(UNICODE_FILENAME)}`;
    expect((await postPayload('/unicode_name/', unicodePayload(disposition))).statusCode).toBe(200);
  });

  test('test_unicode_file_name_rfc2231_with_double_quotes', async () => {
    const disposition = `Content-Disposition: form-data; name="file_unicode"; filename*="UTF-8''${quote(UNICODE_FILENAME)}"`;
    expect((await postPayload('/unicode_name/', unicodePayload(disposition))).statusCode).toBe(200);
  });

  test('test_unicode_name_rfc2231_with_double_quotes', async () => {
    const disposition = `Content-Disposition: form-data; name*="UTF-8''file_unicode"; filename*="UTF-8''${quote(UNICODE_FILENAME)}"`;
    expect((await postPayload('/unicode_name/', unicodePayload(disposition))).statusCode).toBe(200);
  });

  /** Parts named file0, file1, ... with these file names, each holding "You got pwnd.". */
  function filesPayload(fileNames: readonly string[]): string {
    let payload = '';
    fileNames.forEach((name, i) => {
      payload += [`--${BOUNDARY}`, `Content-Disposition: form-data; name="file${i}"; filename="${name}"`, 'Content-Type: application/octet-stream', '', 'You got pwnd.\r\n'].join('\r\n');
    });
    return payload + `\r\n--${BOUNDARY}--\r\n`;
  }

  test('test_blank_filenames', async () => {
    // '' as sent; 'C:\\Windows\\' normalized by sanitize_file_name; '/' and 'ends-with-slash/' by the base name.
    const filenames = ['', 'C:\\Windows\\', '/', 'ends-with-slash/'];
    const response = await postPayload('/echo/', filesPayload(filenames));
    expect(response.statusCode).toBe(200);
    // Empty filenames are ignored.
    const received = response.json();
    filenames.forEach((_, i) => expect(received[`file${i}`]).toBeUndefined());
  });

  test('test_non_printable_chars_in_file_names', async () => {
    const fileName = 'non-\x00printable\x00\n_chars.txt\x00';
    const payload = [`--${BOUNDARY}`, `Content-Disposition: form-data; name="file"; filename="${fileName}"`, 'Content-Type: application/octet-stream', '', 'You got pwnd.\r\n'].join('\r\n') + `\r\n--${BOUNDARY}--\r\n`;
    const response = await postPayload('/echo/', payload);
    // Non-printable chars are sanitized.
    expect(response.json().file).toBe('non-printable_chars.txt');
  });

  test('test_dangerous_file_names', async () => {
    const response = await postPayload('/echo/', filesPayload(CANDIDATE_TRAVERSAL_FILE_NAMES));
    // The file names were sanitized by the time they got to the view.
    const received = response.json();
    CANDIDATE_TRAVERSAL_FILE_NAMES.forEach((_, i) => expect(received[`file${i}`]).toBe('hax0rd.txt'));
  });

  test('test_filename_overflow', async () => {
    const longStr = 'f'.repeat(300);
    const cases: [string, string, string][] = [
      // field name, filename, expected
      ['long_filename', `${longStr}.txt`, `${longStr.slice(0, 251)}.txt`],
      ['long_extension', `foo.${longStr}`, `.${longStr.slice(0, 254)}`],
      ['no_extension', longStr, longStr.slice(0, 255)],
      ['no_filename', `.${longStr}`, `.${longStr.slice(0, 254)}`],
      ['long_everything', `${longStr}.${longStr}`, `.${longStr.slice(0, 254)}`],
    ];
    let payload = '';
    for (const [name, filename] of cases) {
      payload += [`--${BOUNDARY}`, `Content-Disposition: form-data; name="${name}"; filename="${filename}"`, 'Content-Type: application/octet-stream', '', 'Oops.', ''].join('\r\n');
    }
    payload += `\r\n--${BOUNDARY}--\r\n`;
    const result = (await postPayload('/echo/', payload)).json();
    for (const [name, , expected] of cases) {
      expect([name, result[name]]).toEqual([name, expected]);
      expect(result[name].length).toBeLessThan(256);
    }
  });

  test('test_file_content', async () => {
    const response = await client.post('/echo_content/', {
      no_content_type: Client.file('tmp.ctype_extra', 'no content'),
      simple_file: Client.file('tmp.ctype_extra', 'text content', 'text/plain'),
      string: Client.file('string', 'string content'),
      binary: Client.file('binary', Buffer.from('binary content')),
    });
    expect(response.json()).toEqual({
      no_content_type: 'no content',
      simple_file: 'text content',
      string: 'string content',
      binary: 'binary content',
    });
  });

  test('test_content_type_extra', async () => {
    // Uploaded files may have content type parameters available.
    const response = await client.post('/echo_content_type_extra/', {
      no_content_type: Client.file('tmp.ctype_extra', 'something'),
      simple_file: Client.file('tmp.ctype_extra', 'something', 'text/plain; test-key=test_value'),
    });
    const received = response.json();
    expect(received.no_content_type).toEqual({});
    expect(received.simple_file).toEqual({ 'test-key': 'test_value' });
  });

  test('test_truncated_multipart_handled_gracefully (deliberate difference: a 400, where Django answers {})', async () => {
    const payloadStr = [`--${BOUNDARY}`, 'Content-Disposition: form-data; name="file"; filename="foo.txt"', 'Content-Type: application/octet-stream', '', `file contents--${BOUNDARY}--`, ''].join('\r\n');
    logger.records.length = 0;
    const response = await postPayload('/echo/', payloadStr.slice(0, -10));
    expect(response.statusCode).toBe(400);
    expect(logger.records).toEqual([
      // Django's response_for_exception logs a MultiPartParserError on django.request.
      expect.objectContaining({ level: 'warn', name: 'reinhardt.request', status: 400, msg: 'Bad request (Unable to parse request body): /echo/: Multipart body ended before its closing boundary (truncated upload).' }),
    ]);
    expect(readdirSync(TEMP_DIR)).toEqual([]);
  });

  test('test_empty_multipart_handled_gracefully', async () => {
    // An empty multipart message gives an empty QueryDict (Content-Length: 0 is a valid POST).
    const response = await postPayload('/echo/', Buffer.alloc(0));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });

  test('test_upload_interrupted_temporary_file_handler', async () => {
    // Django simulates an upload interrupted after its file part began; here the body ends inside
    // a file already spilled to a temporary file: the temporary file is removed.
    const small = createApp({
      controllers: [FileUploadViews],
      middleware: [],
      container: container.createChildContainer(),
      settings: { secretKey: 'file-uploads', fileUploadTempDir: TEMP_DIR, fileUploadMaxMemorySize: 10 },
      logger: new CapturingLogger(),
    });
    const head = [`--${BOUNDARY}`, 'Content-Disposition: form-data; name="file"; filename="a.txt"', 'Content-Type: text/plain', '', 'a'.repeat(1000)].join('\r\n');
    const response = await new Client(small).post('/echo/', Buffer.from(head), { contentType: MULTIPART_CONTENT });
    expect(response.statusCode).toBe(400);
    expect(readdirSync(TEMP_DIR)).toEqual([]);
  });

  test('test_fileupload_getlist', async () => {
    const response = await client.post('/getlist_count/', {
      file1: Client.file('file1', Buffer.alloc(2 ** 23, 'a')),
      field1: 'test',
      field2: 'test3',
      field3: 'test5',
      field4: 'test6',
      field5: 'test7',
      file2: [Client.file('file2', Buffer.alloc(2 * 2 ** 18, 'a')), Client.file('file2a', Buffer.alloc(5 * 2 ** 20, 'a'))],
    });
    const got = response.json();
    expect(got.file1).toBe(1);
    expect(got.file2).toBe(2);
  });

  test('test_fileuploads_closed_at_request_end', async () => {
    lastRequest = null;
    await client.post('/fd_closing/t/', {
      file: Client.file('f1', ''),
      file2: [Client.file('f2a', ''), Client.file('f2b', '')],
    });
    const request = lastRequest as unknown as HttpRequest;
    // The files were parsed, and are closed now that the response is done.
    expect(request.FILES.getItem('file').closed).toBe(true);
    const files = request.FILES.getList('file2');
    expect(files[0].closed).toBe(true);
    expect(files[1].closed).toBe(true);
  });

  test('test_filename_case_preservation', async () => {
    // The storage shouldn't mess with the case of the uploaded file names.
    const postData = [`--${BOUNDARY}`, 'Content-Disposition: form-data; name="file_field"; filename="MiXeD_cAsE.txt"', 'Content-Type: application/octet-stream', '', 'file contents\n', `--${BOUNDARY}--\r\n`];
    const response = await client.post('/filename_case/', postData.join('\r\n'), { contentType: MULTIPART_CONTENT });
    expect(response.statusCode).toBe(200);
    expect(path.basename(response.content.toString())).toBe('MiXeD_cAsE.txt');
    expect(existsSync(response.content.toString())).toBe(true);
  });

  test('test_filename_traversal_upload', async () => {
    for (const fileName of ['..&#x2F;test.txt', '..&sol;test.txt']) {
      rmSync(path.join(UPLOAD_TO, 'test.txt'), { force: true });
      const payload = [`--${BOUNDARY}`, `Content-Disposition: form-data; name="my_file"; filename="${fileName}";`, 'Content-Type: text/plain', '', 'file contents.\r\n', `\r\n--${BOUNDARY}--\r\n`].join('\r\n');
      const response = await postPayload('/upload_traversal/', payload);
      expect([fileName, response.statusCode, response.json()]).toEqual([fileName, 200, { file_name: 'test.txt' }]);
      expect(existsSync(path.join(MEDIA_ROOT, 'test.txt'))).toBe(false);
      expect(existsSync(path.join(UPLOAD_TO, 'test.txt'))).toBe(true);
    }
  });
});

describe('MultiParserTests', () => {
  test('test_invalid_content_type', async () => {
    const parsing = parseMultipart(Readable.from([Buffer.from('x')]), {
      contentType: 'text/plain',
      encoding: 'utf-8',
      settings: resolveSettings({ debug: true }),
      fieldsAlreadyCounted: 0,
    });
    await expect(parsing).rejects.toThrow(new MultiPartParserError('Invalid Content-Type: text/plain'));
  });

  test('test_sanitize_file_name', () => {
    for (const fileName of CANDIDATE_TRAVERSAL_FILE_NAMES) expect([fileName, sanitizeFileName(fileName)]).toEqual([fileName, 'hax0rd.txt']);
  });

  test('test_sanitize_invalid_file_name', () => {
    for (const fileName of CANDIDATE_INVALID_FILE_NAMES) expect([fileName, sanitizeFileName(fileName)]).toEqual([fileName, null]);
  });
});
