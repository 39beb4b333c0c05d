/**
 * Django's tests/responses/test_fileresponse.py, translated. The newest text read_file gave is
 * Django 5.x's (test_compressed_response with `.tar.br` and `.tar.Z`, Django 4.2, ticket #34380;
 * test_content_disposition_escaping, Django 4.0.7/CVE-2022-36359), read from a copy with added
 * docstrings; django/django's stored versions (7024f779..., 0ef5266f...) are older (Django
 * 2.x/3.x) and lack these tests. One test per Django test method, by its Django name.
 *
 * Mapping: `open(__file__, "rb")` is `fs.createReadStream(path)` (Python's file object has a
 * position; a ReadStream has `start` and what it has read so far); `io.BytesIO(b"...")` is a
 * Buffer, and `BytesIO` moved to position 10 is `buffer.subarray(10)` (a Buffer has no position);
 * `buffer.name = x` is the `filename` option; `list(response)` collects `streamingContent`.
 * Django's `__file__` is a `.py` file: the tests use a file named `test_fileresponse.py` in a
 * temporary folder, since this file is `.ts`.
 *
 * Not translated (no counterpart):
 * - test_content_length_nonzero_starting_position_file_seekable_no_tell: a Python file-like object
 *   with `seek` but no `tell`; Node streams have no seek/tell protocol.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeFileSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileResponse } from '../../src/http/file-response';

let dir: string;
let pyFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reinhardt-django-fileresponse-'));
  pyFile = join(dir, 'test_fileresponse.py');
  writeFileSync(pyFile, 'import io\nimport os\n\n\nclass FileResponseTests:\n    pass\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function list(response: FileResponse): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.streamingContent) chunks.push(chunk);
  return chunks;
}

const BINARY = (): Buffer => Buffer.from('binary content');

describe('FileResponseTests', () => {
  it('test_content_length_file', () => {
    const response = new FileResponse(createReadStream(pyFile));
    response.close();
    expect(response.headers.get('Content-Length')).toBe(String(statSync(pyFile).size));
  });

  it('test_content_length_buffer', () => {
    const response = new FileResponse(BINARY());
    expect(response.headers.get('Content-Length')).toBe('14');
  });

  it('test_content_length_nonzero_starting_position_file', async () => {
    const size = statSync(pyFile).size;
    // Moved to position 10 before it is read: `start`.
    const file = createReadStream(pyFile, { start: 10 });
    const response = new FileResponse(file);
    response.close();
    expect(response.headers.get('Content-Length')).toBe(String(size - 10));
    // Moved there by reading 10 bytes: what is left in its buffer and in the file.
    const read = createReadStream(pyFile);
    await new Promise<void>((resolve) => read.once('readable', () => resolve()));
    expect(read.read(10)).toHaveLength(10);
    const afterRead = new FileResponse(read);
    expect(afterRead.headers.get('Content-Length')).toBe(String(size - 10));
    expect(Buffer.concat(await list(afterRead)).length).toBe(size - 10);
  });

  it('test_content_length_nonzero_starting_position_buffer', () => {
    const response = new FileResponse(BINARY().subarray(10));
    expect(response.headers.get('Content-Length')).toBe('4');
  });

  it('test_content_type_file', () => {
    const response = new FileResponse(createReadStream(pyFile));
    response.close();
    expect(response.headers.get('Content-Type')).toBe('text/x-python');
  });

  it('test_content_type_buffer', () => {
    expect(new FileResponse(BINARY()).headers.get('Content-Type')).toBe('application/octet-stream');
  });

  it('test_content_type_buffer_explicit', () => {
    expect(new FileResponse(BINARY(), { contentType: 'video/webm' }).headers.get('Content-Type')).toBe('video/webm');
  });

  it('test_content_type_buffer_explicit_default', () => {
    const response = new FileResponse(BINARY(), { contentType: 'text/html; charset=utf-8' });
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  it('test_content_type_buffer_named', () => {
    const cases: [string, string][] = [
      [pyFile, 'text/x-python'],
      [`${pyFile}nosuchfile`, 'application/octet-stream'],
      ['test_fileresponse.py', 'text/x-python'],
      ['test_fileresponse.pynosuchfile', 'application/octet-stream'],
    ];
    for (const [filename, contentType] of cases) {
      expect([filename, new FileResponse(BINARY(), { filename }).headers.get('Content-Type')]).toEqual([filename, contentType]);
    }
  });

  it('test_content_disposition_file', () => {
    const filenames: [string, string][] = [
      ['', 'test_fileresponse.py'],
      ['custom_name.py', 'custom_name.py'],
    ];
    const dispositions: [boolean, string][] = [
      [false, 'inline'],
      [true, 'attachment'],
    ];
    for (const [filename, headerFilename] of filenames) {
      for (const [asAttachment, headerDisposition] of dispositions) {
        const response = new FileResponse(createReadStream(pyFile), { filename, asAttachment });
        response.close();
        expect(response.headers.get('Content-Disposition')).toBe(`${headerDisposition}; filename="${headerFilename}"`);
      }
    }
  });

  it('test_content_disposition_escaping', () => {
    const cases: [string, string][] = [
      ['multi-part-one";" dummy".txt', 'multi-part-one\\";\\" dummy\\".txt'],
      // Backslashes are not path separators outside Windows: they are escaped.
      ['multi-part-one\\";" dummy".txt', 'multi-part-one\\\\\\";\\" dummy\\".txt'],
      ['multi-part-one\\";\\" dummy".txt', 'multi-part-one\\\\\\";\\\\\\" dummy\\".txt'],
    ];
    for (const [filename, escaped] of cases) {
      const response = new FileResponse(BINARY(), { filename, asAttachment: true });
      response.close();
      expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="${escaped}"`);
    }
  });

  it('test_content_disposition_buffer', () => {
    expect(new FileResponse(BINARY()).hasHeader('Content-Disposition')).toBe(false);
  });

  it('test_content_disposition_buffer_attachment', () => {
    expect(new FileResponse(BINARY(), { asAttachment: true }).headers.get('Content-Disposition')).toBe('attachment');
  });

  it('test_content_disposition_buffer_explicit_filename', () => {
    for (const [asAttachment, headerDisposition] of [[false, 'inline'], [true, 'attachment']] as const) {
      const response = new FileResponse(BINARY(), { asAttachment, filename: 'custom_name.py' });
      expect(response.headers.get('Content-Disposition')).toBe(`${headerDisposition}; filename="custom_name.py"`);
    }
  });

  it('test_response_buffer', async () => {
    expect(await list(new FileResponse(BINARY()))).toEqual([Buffer.from('binary content')]);
  });

  it('test_response_nonzero_starting_position', async () => {
    expect(await list(new FileResponse(BINARY().subarray(10)))).toEqual([Buffer.from('tent')]);
  });

  it('test_buffer_explicit_absolute_filename: headers from a buffer given an absolute filename', () => {
    const response = new FileResponse(BINARY(), { filename: pyFile });
    expect(response.headers.get('Content-Length')).toBe('14');
    expect(response.headers.get('Content-Disposition')).toBe('inline; filename="test_fileresponse.py"');
  });

  it('test_file_from_named_pipe_response: a FIFO has no Content-Length', async () => {
    const pipeDir = mkdtempSync(join(tmpdir(), 'reinhardt-django-fifo-'));
    try {
      const pipeFile = join(pipeDir, 'named_pipe');
      execFileSync('mkfifo', [pipeFile]);
      // As Django: open the reading end without blocking, write and close the writing end.
      const pipeForRead = openSync(pipeFile, constants.O_RDONLY | constants.O_NONBLOCK);
      const pipeForWrite = openSync(pipeFile, constants.O_WRONLY);
      writeFileSync(pipeForWrite, 'binary content');
      closeSync(pipeForWrite);

      const response = new FileResponse(createReadStream('', { fd: pipeForRead }));
      const responseContent = await list(response);
      response.close();
      expect(Buffer.concat(responseContent)).toEqual(Buffer.from('binary content'));
      expect(response.hasHeader('Content-Length')).toBe(false);
      expect(response.hasHeader('Content-Disposition')).toBe(false);

      // The same pipe opened by its name: a name, but still no size.
      const byName = createReadStream(pipeFile);
      const writing = writeFile(pipeFile, 'more content');
      const named = new FileResponse(byName);
      expect(named.hasHeader('Content-Length')).toBe(false);
      expect(named.headers.get('Content-Disposition')).toBe('inline; filename="named_pipe"');
      expect(Buffer.concat(await list(named)).toString()).toBe('more content');
      await writing;
    } finally {
      rmSync(pipeDir, { recursive: true, force: true });
    }
  });

  it('test_compressed_response: served as the compression\'s type, never with Content-Encoding', () => {
    const cases: [string, string][] = [
      ['.tar.gz', 'application/gzip'],
      ['.tar.br', 'application/x-brotli'],
      ['.tar.bz2', 'application/x-bzip'],
      ['.tar.xz', 'application/x-xz'],
      ['.tar.Z', 'application/x-compress'],
    ];
    for (const [extension, mimetype] of cases) {
      const tmp = join(dir, `archive${extension}`);
      writeFileSync(tmp, '');
      const response = new FileResponse(createReadStream(tmp));
      response.close();
      expect([extension, response.headers.get('Content-Type')]).toEqual([extension, mimetype]);
      expect(response.hasHeader('Content-Encoding')).toBe(false);
    }
  });

  it('test_unicode_attachment', () => {
    const response = new FileResponse(BINARY(), {
      filename: '祝您平安.odt',
      asAttachment: true,
      contentType: 'application/vnd.oasis.opendocument.text',
    });
    expect(response.headers.get('Content-Type')).toBe('application/vnd.oasis.opendocument.text');
    expect(response.headers.get('Content-Disposition')).toBe("attachment; filename*=utf-8''%E7%A5%9D%E6%82%A8%E5%B9%B3%E5%AE%89.odt");
  });

  it('test_repr', () => {
    expect(String(new FileResponse(BINARY()))).toBe('<FileResponse statusCode=200, "application/octet-stream">');
  });
});
