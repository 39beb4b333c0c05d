/**
 * The S7 reference: a bare node:http server that streams one multipart file
 * through busboy to a temporary file, deletes it and answers its size. The
 * upload target for Reinhardt is measured against this, not against a peer.
 */
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import busboy from 'busboy';

let uploads = 0;

function json(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/upload') {
    res.writeHead(404, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const parser = busboy({ headers: req.headers });
  let size = -1;
  let writing: Promise<void> = Promise.resolve();
  parser.on('file', (_name, stream) => {
    const path = join(tmpdir(), `bench-busboy-${process.pid}-${uploads++}`);
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
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
