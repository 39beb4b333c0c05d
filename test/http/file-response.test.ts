import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, openSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeResponse } from '../../src/core/response-writer';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Http404 } from '../../src/http/errors';
import { Readable } from 'node:stream';
import { FileResponse, contentDispositionHeader } from '../../src/http/file-response';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';

let dir: string;
const MTIME = new Date('2024-03-04T05:06:07Z');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reinhardt-file-response-'));
  writeFileSync(join(dir, 'report.pdf'), Buffer.alloc(1000, 1));
  writeFileSync(join(dir, 'notes.txt'), 'hello world');
  writeFileSync(join(dir, 'data'), 'xyz');
  for (const name of ['report.pdf', 'notes.txt', 'data']) utimesSync(join(dir, name), MTIME, MTIME);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function body(response: FileResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.streamingContent) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

describe('FileResponse from a path', () => {
  it('sets Content-Type from the name, Content-Length, inline disposition, Last-Modified, ETag, Accept-Ranges', () => {
    const response = new FileResponse(join(dir, 'report.pdf'));
    expect(response).toBeInstanceOf(StreamingHttpResponse);
    expect(response.streaming).toBe(true);
    expect(response.headers.toObject()).toEqual({
      'Content-Type': 'application/pdf',
      'Content-Disposition': 'inline; filename="report.pdf"',
      'Content-Length': '1000',
      'Last-Modified': 'Mon, 04 Mar 2024 05:06:07 GMT',
      ETag: `"${MTIME.getTime().toString(16)}-3e8"`,
      'Accept-Ranges': 'bytes',
    });
    expect(response.filePath).toBe(join(dir, 'report.pdf'));
    expect(response.fileSize).toBe(1000);
    expect(response.lastModified).toEqual(MTIME);
    expect(response.etag).toBe(`"18e07dada18-3e8"`);
    expect(response.supportsRanges).toBe(true);
  });

  it('streams the file lazily', async () => {
    const response = new FileResponse(join(dir, 'notes.txt'));
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await body(response)).toBe('hello world');
  });

  it('asAttachment and filename', () => {
    const response = new FileResponse(join(dir, 'notes.txt'), { asAttachment: true, filename: 'Q3 "final".csv' });
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="Q3 \\"final\\".csv"');
    expect(response.headers.get('Content-Type')).toBe('text/csv');
  });

  it('a name without a known type is application/octet-stream', () => {
    expect(new FileResponse(join(dir, 'data')).headers.get('content-type')).toBe('application/octet-stream');
  });

  it('contentType wins over the guess', () => {
    expect(new FileResponse(join(dir, 'data'), { contentType: 'text/plain; charset=utf-8' }).headers.get('content-type')).toBe(
      'text/plain; charset=utf-8',
    );
  });

  it('includeLastModified: false drops Last-Modified', () => {
    const response = new FileResponse(join(dir, 'data'), { includeLastModified: false });
    expect(response.hasHeader('Last-Modified')).toBe(false);
    expect(response.hasHeader('ETag')).toBe(true);
  });

  it('a missing file, a directory and a path below a file throw Http404 at construction (issue 21), naming only the base name', () => {
    expect(() => new FileResponse(join(dir, 'missing'))).toThrow(new Http404('"missing" does not exist.'));
    expect(() => new FileResponse(join(dir, 'notes.txt', 'x'))).toThrow(new Http404('"x" does not exist.'));
    expect(() => new FileResponse(dir)).toThrow(Http404);
    expect(() => new FileResponse(dir)).toThrow(`"${basename(dir)}" is not a file.`);
  });

  it('byteRange limits what is streamed', async () => {
    const response = new FileResponse(join(dir, 'notes.txt'));
    response.byteRange = { start: 6, end: 10 };
    expect(await body(response)).toBe('world');
  });

  it('getValue() reads the file, or the byteRange of it (Django getvalue)', () => {
    const response = new FileResponse(join(dir, 'notes.txt'));
    expect(response.getValue().toString()).toBe('hello world');
    response.byteRange = { start: 6, end: 10 };
    expect(response.getValue().toString()).toBe('world');
  });

  it('close() destroys a stream that was opened', () => {
    const response = new FileResponse(join(dir, 'notes.txt'));
    const stream = response.openStream();
    response.close();
    expect(stream.destroyed).toBe(true);
  });
});

describe('FileResponse from a stream', () => {
  it('an fs.ReadStream gives its name, length and dates', async () => {
    const response = new FileResponse(createReadStream(join(dir, 'notes.txt')));
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.get('content-length')).toBe('11');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="notes.txt"');
    expect(response.headers.get('last-modified')).toBe('Mon, 04 Mar 2024 05:06:07 GMT');
    expect(response.supportsRanges).toBe(false);
    expect(response.hasHeader('Accept-Ranges')).toBe(false);
    expect(await body(response)).toBe('hello world');
  });

  it('an unnamed stream: octet-stream, no length, bare attachment when asked', async () => {
    const inline = new FileResponse(Readable.from([Buffer.from('abc')]));
    expect(inline.headers.toObject()).toEqual({ 'Content-Type': 'application/octet-stream' });
    const download = new FileResponse(Readable.from([Buffer.from('abc')]), { asAttachment: true });
    expect(download.headers.get('Content-Disposition')).toBe('attachment');
    expect(await body(download)).toBe('abc');
  });

  it('bytes: their length, octet-stream, sent as one chunk; getValue() gives them', async () => {
    const response = new FileResponse(new Uint8Array([0x61, 0x62, 0x63]));
    expect(response.headers.toObject()).toEqual({ 'Content-Type': 'application/octet-stream', 'Content-Length': '3' });
    expect(response.fileSize).toBe(3);
    expect(response.supportsRanges).toBe(false);
    expect(response.getValue()).toEqual(Buffer.from('abc'));
    expect(await body(response)).toBe('');
  });

  it('an fs.ReadStream with start and end: the bytes between them, and no validators (it is a part)', async () => {
    const response = new FileResponse(createReadStream(join(dir, 'notes.txt'), { start: 2, end: 6 }));
    expect(response.headers.get('content-length')).toBe('5');
    expect(response.hasHeader('ETag')).toBe(false);
    expect(response.hasHeader('Last-Modified')).toBe(false);
    expect(await body(response)).toBe('llo w');
    const pastTheEnd = new FileResponse(createReadStream(join(dir, 'notes.txt'), { start: 50 }));
    expect(pastTheEnd.headers.get('content-length')).toBe('0');
    expect(await body(pastTheEnd)).toBe('');
  });

  it('an fs.ReadStream opened from a descriptor: its size by fstat', async () => {
    const fd = openSync(join(dir, 'notes.txt'), 'r');
    const response = new FileResponse(createReadStream('', { fd }));
    expect(response.headers.get('content-length')).toBe('11');
    expect(response.hasHeader('Content-Disposition')).toBe(false);
    expect(await body(response)).toBe('hello world');
  });

  it('a filename names an unnamed stream', () => {
    const response = new FileResponse(Readable.from([]), { filename: 'export.json', asAttachment: true });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="export.json"');
  });

  it('close() destroys the stream', () => {
    const source = new Readable({ read() {} });
    new FileResponse(source).close();
    expect(source.destroyed).toBe(true);
  });

  it('closing it unread (a HEAD, a 304) does not let a failing open end the process', async () => {
    const stream = createReadStream(join(dir, 'deleted-meanwhile.txt'));
    const response = new FileResponse(stream);
    expect(response.hasHeader('Content-Length')).toBe(false);
    response.close();
    // (events.once would reject on the 'error' this is about.)
    await new Promise<void>((resolve) => stream.on('close', () => resolve()));
    expect(stream.destroyed).toBe(true);
  });
});

describe('FileResponse over a socket', () => {
  it('a named pipe goes out chunked, with no Content-Length (it was sent as "Content-Length: 0" and then its data)', async () => {
    const fifo = join(dir, 'live.log');
    execFileSync('mkfifo', [fifo]);
    const server = createServer((_req, res) => {
      void writeResponse(res, new FileResponse(createReadStream(fifo)), false);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const writing = writeFile(fifo, 'line one\nline two\n');
      const response = await new Promise<IncomingMessage>((resolve, reject) => get({ port, host: '127.0.0.1', path: '/' }, resolve).on('error', reject));
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      await writing;
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-length']).toBeUndefined();
      expect(response.headers['transfer-encoding']).toBe('chunked');
      expect(response.headers['content-type']).toBe('text/plain');
      expect(Buffer.concat(chunks).toString()).toBe('line one\nline two\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('contentDispositionHeader (Django content_disposition_header)', () => {
  it.each([
    [false, 'report.pdf', 'inline; filename="report.pdf"'],
    [true, 'my report.pdf', 'attachment; filename="my report.pdf"'],
    [true, 'back\\slash"quote', 'attachment; filename="back\\\\slash\\"quote"'],
    [true, 'résumé.pdf', "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf"],
    [false, "it's (1)*.txt", 'inline; filename="it\'s (1)*.txt"'],
    [true, "naïve it's (1)*.txt", "attachment; filename*=utf-8''na%C3%AFve%20it%27s%20%281%29%2A.txt"],
    [true, 'line\nbreak.txt', "attachment; filename*=utf-8''line%0Abreak.txt"],
    [true, '', 'attachment'],
    [false, '', undefined],
  ])('asAttachment %p, %j -> %p', (asAttachment, filename, expected) => {
    expect(contentDispositionHeader(asAttachment, filename)).toBe(expected);
  });
});
