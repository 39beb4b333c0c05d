/**
 * S7 for the two bare node:http servers (raw node and the busboy-to-disk reference): one
 * multipart file streamed through busboy to a temporary file, deleted, its size answered.
 */
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import busboy from 'busboy';

let uploads = 0;

export function json(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function uploadToDisk(req: http.IncomingMessage, res: http.ServerResponse, prefix: string): void {
  const parser = busboy({ headers: req.headers });
  let size = -1;
  let writing: Promise<void> = Promise.resolve();
  parser.on('file', (_name, stream) => {
    const path = join(tmpdir(), `${prefix}-${process.pid}-${uploads++}`);
    const out = createWriteStream(path);
    stream.pipe(out);
    writing = new Promise((resolve, reject) => {
      out.on('finish', () => { size = out.bytesWritten; unlink(path).then(resolve, reject); });
      out.on('error', reject);
    });
  });
  parser.on('close', () => { writing.then(() => json(res, 200, { size }), () => json(res, 500, { size })); });
  parser.on('error', () => json(res, 400, { detail: 'bad multipart' }));
  req.pipe(parser);
}
