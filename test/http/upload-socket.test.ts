import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { MultiPartParserError } from '../../src/http/errors';
import { parseMultipart, removeUploadedFiles } from '../../src/http/multipart-parser';
import { peakRssGrowth } from '../helpers/rss-growth';

// Uploads over a real socket: node's http server hands parseMultipart the IncomingMessage, the
// client streams the body with http.request. What must hold (SPEC §6): an aborted upload leaves
// no temporary file and the server keeps serving; a 200 MB file streams through with bounded
// memory and its temporary file is removed after the response.

const B = 'socket-boundary-41f0c2';
const CT = `multipart/form-data; boundary=${B}`;
const MB = 1024 * 1024;

interface Outcome {
  error?: unknown;
  temporaryFileExisted?: boolean;
}

let server: http.Server;
let port: number;
let tempDir: string;
let settings: Readonly<Settings>;
/** One promise per request the server got, settled once it has answered and cleaned up. */
let outcomes: Promise<Outcome>[];

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<Outcome> {
  try {
    const { post, files } = await parseMultipart(req, {
      contentType: req.headers['content-type'] ?? '',
      encoding: 'utf-8',
      settings,
      fieldsAlreadyCounted: 0,
    });
    const summary: { field: string; name: string; size: number; temporary: boolean; tail: string }[] = [];
    let temporaryFileExisted = false;
    for (const [field, list] of files.lists()) {
      for (const file of list) {
        let temporary: string | null = null;
        try {
          temporary = file.temporaryFilePath();
          temporaryFileExisted = readdirSync(tempDir).includes(path.basename(temporary));
        } catch {
          temporary = null;
        }
        file.seek(file.size - 8);
        const tail = (await file.read()).toString('hex');
        summary.push({ field, name: file.name, size: file.size, temporary: temporary !== null, tail });
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    await new Promise<void>((resolve) => res.end(JSON.stringify({ post: post.dict(), files: summary }), resolve));
    await removeUploadedFiles(files);
    return { temporaryFileExisted };
  } catch (error) {
    if (!res.destroyed) {
      res.writeHead((error as { statusCode?: number }).statusCode ?? 500, { connection: 'close' });
      res.end((error as Error).message);
    }
    return { error };
  }
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    outcomes.push(handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  tempDir = mkdtempSync(path.join(tmpdir(), 'reinhardt-upload-socket-'));
  settings = resolveSettings({ debug: true, fileUploadTempDir: tempDir, fileUploadMaxMemorySize: 64 * 1024 });
  outcomes = [];
});

afterEach(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

function fileHead(name: string, filename: string): Buffer {
  return Buffer.from(
    `--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
}

const FIELD = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="title"\r\n\r\nholiday\r\n`);
const TAIL = Buffer.from(`\r\n--${B}--\r\n`);

/** A body of FIELD, then a file of `fileSize` bytes (0..255 repeating) made on the fly, then TAIL. */
function streamedBody(fileSize: number): { stream: Readable; length: number } {
  const head = Buffer.concat([FIELD, fileHead('photo', 'beach.raw')]);
  const block = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => i % 256));
  let sent = 0;
  let started = false;
  let ended = false;
  const stream = new Readable({
    read() {
      if (!started) {
        started = true;
        this.push(head);
      } else if (sent < fileSize) {
        const n = Math.min(block.length, fileSize - sent);
        sent += n;
        this.push(n === block.length ? block : block.subarray(0, n));
      } else if (!ended) {
        ended = true;
        this.push(TAIL);
        this.push(null);
      }
    },
  });
  return { stream, length: head.length + fileSize + TAIL.length };
}

/** POST a streamed body and collect the answer. */
function post(body: Readable, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { port, host: '127.0.0.1', method: 'POST', path: '/upload', headers: { 'content-type': CT, 'content-length': length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode as number, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a streamed upload over a socket: fields and a spilled file, removed after the response', async () => {
  const { stream, length } = streamedBody(300_000);
  const response = await post(stream, length);
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body)).toEqual({
    post: { title: 'holiday' },
    files: [{ field: 'photo', name: 'beach.raw', size: 300_000, temporary: true, tail: 'd8d9dadbdcdddedf' }],
  });
  const outcome = await outcomes[0];
  expect(outcome).toEqual({ temporaryFileExisted: true });
  expect(readdirSync(tempDir)).toEqual([]);
});

test('a client that drops the connection mid-file leaves no temporary file; the server still serves', async () => {
  const client = http.request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/upload',
    headers: { 'content-type': CT, 'content-length': 10 * MB },
  });
  client.on('error', () => undefined); // the socket is destroyed on purpose
  client.write(Buffer.concat([FIELD, fileHead('photo', 'big.raw')]));
  client.write(Buffer.alloc(512 * 1024, 1));
  // The file passed fileUploadMaxMemorySize, so it is being written to disk.
  await waitFor(() => readdirSync(tempDir).length === 1, 'the temporary file');
  await waitFor(() => outcomes.length === 1, 'the server to get the request');
  client.destroy();

  const outcome = await outcomes[0];
  expect(outcome.error).toBeInstanceOf(MultiPartParserError);
  expect((outcome.error as Error).message).toBe('The client aborted the upload before the request body was complete.');
  expect(readdirSync(tempDir)).toEqual([]);

  const { stream, length } = streamedBody(100_000);
  const response = await post(stream, length);
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body).files[0].size).toBe(100_000);
});

test('a 200 MB file streams through with bounded memory, its temporary file removed afterwards', async () => {
  settings = resolveSettings({ debug: true, fileUploadTempDir: tempDir, maxUploadSize: null });
  const size = 200 * MB;
  const { growth, bound } = await peakRssGrowth(async () => {
    const { stream, length } = streamedBody(size);
    const response = await post(stream, length);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).files).toEqual([
      { field: 'photo', name: 'beach.raw', size, temporary: true, tail: 'f8f9fafbfcfdfeff' },
    ]);
    expect(await outcomes[0]).toEqual({ temporaryFileExisted: true });
  });
  expect(growth).toBeLessThan(bound);
  expect(readdirSync(tempDir)).toEqual([]);
}, 30_000);
