import 'reflect-metadata';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { container } from 'tsyringe';
import { Controller, HttpRequest, Post, createApp } from '../../src';
import { peakRssGrowth } from '../helpers/rss-growth';

// Issue 4: a 200 MB upload through the whole framework on a real socket — busboy to a temporary
// file, request.FILES in the handler — grows the process's memory by far less than the file,
// and the temporary file is gone once the response is sent.

const MB = 1024 * 1024;
const BOUNDARY = 'app-upload-boundary-7d1e';
const tempDir = mkdtempSync(path.join(tmpdir(), 'reinhardt-app-upload-'));

@Controller()
class UploadController {
  @Post('/upload/')
  async upload(request: HttpRequest) {
    const file = request.FILES.getItem('file');
    return {
      name: file.name,
      size: file.size,
      spilled: existsSync(file.temporaryFilePath()),
      field: request.POST.get('title'),
    };
  }
}

const app = createApp({
  controllers: [UploadController],
  middleware: [],
  container: container.createChildContainer(),
  settings: { secretKey: 's', allowedHosts: ['127.0.0.1'], fileUploadTempDir: tempDir, maxUploadSize: 256 * MB },
});
let port: number;

beforeAll(async () => {
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app.close();
  rmSync(tempDir, { recursive: true, force: true });
});

/** A multipart body with one field and one `size`-byte file, generated as it is sent. */
function multipartBody(size: number): { stream: Readable; length: number } {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nholiday\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="beach.raw"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent === 0) this.push(head);
      if (sent >= size) {
        this.push(tail);
        this.push(null);
        return;
      }
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
  return { stream, length: head.length + size + tail.length };
}

function upload(size: number): Promise<{ status: number; body: string }> {
  const { stream, length } = multipartBody(size);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/upload/',
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': length },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    stream.pipe(req);
  });
}

async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

test('a 200 MB file reaches request.FILES with bounded memory and its temporary file is removed after the response', async () => {
  const { result: response, growth, bound } = await peakRssGrowth(() => upload(200 * MB));
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body)).toEqual({ name: 'beach.raw', size: 200 * MB, spilled: true, field: 'holiday' });
  // Client and server share this process, so this bounds both; the file alone is 200 MB.
  expect(growth).toBeLessThan(bound);
  expect(await eventually(() => readdirSync(tempDir).length === 0)).toBe(true);
}, 60_000);
