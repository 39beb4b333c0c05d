'use strict';
/**
 * The seven scenarios of issue 7, each exactly one request shape and one
 * expected answer. Every server in servers/ implements all of them (the
 * busboy-disk reference only S7); run.js verifies the answer once per cell
 * with fetch and counts every status during the load. S8 (issue 21) is a
 * pair of its own: `only` names the two servers that answer it.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** A JSON object that serialises to exactly 1,024 bytes (S3's payload). */
function echoPayload() {
  const value = {
    id: 7,
    title: 'Reinhardt benchmark payload',
    published: true,
    ratio: 0.75,
    tags: ['django', 'typescript', 'node', 'benchmark'],
    author: { name: 'Jean Reinhardt', email: 'django@example.com' },
    items: Array.from({ length: 12 }, (_, i) => ({ i, name: `item-${i}`, ok: i % 2 === 0 })),
    pad: '',
  };
  value.pad = 'x'.repeat(1024 - Buffer.byteLength(JSON.stringify(value)));
  return value;
}

const UPLOAD_SIZE = 20 * 1024 * 1024;
const BOUNDARY = '----reinhardtbench7MA4YWxkTrZu0gW';

/**
 * Writes S7's request body once: one `file` part of 20 MiB of
 * pseudo-random bytes (a fixed seed, so every run sends the same body and
 * busboy's boundary search does the same work). Returns the file's path.
 */
function uploadBodyFile() {
  const file = path.join(os.tmpdir(), `reinhardt-bench-upload-${UPLOAD_SIZE}.multipart`);
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const expected = head.length + UPLOAD_SIZE + tail.length;
  if (fs.existsSync(file) && fs.statSync(file).size === expected) return file;
  const data = Buffer.allocUnsafe(UPLOAD_SIZE);
  let x = 0x9e3779b9;
  for (let i = 0; i < UPLOAD_SIZE; i += 4) {
    // xorshift32: cheap, deterministic, no accidental boundary.
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    data.writeUInt32LE(x, i);
  }
  fs.writeFileSync(file, Buffer.concat([head, data, tail]));
  return file;
}

const payload = echoPayload();

/** @type {Array<{id:string,name:string,method:string,path:string,headers:Record<string,string>,body?:string,bodyFile?:()=>string,status:number,json?:unknown,connections?:number,contentEncoding?:string,only?:string[]}>} */
const scenarios = [
  { id: 'S1', name: 'GET /hello', method: 'GET', path: '/hello', headers: {}, status: 200, json: { hello: 'world' } },
  {
    id: 'S2', name: 'GET /users/42?fields=a&fields=b', method: 'GET', path: '/users/42?fields=a&fields=b', headers: {},
    status: 200, json: { id: 42, fields: ['a', 'b'] },
  },
  {
    id: 'S3', name: 'POST /echo (1 KB JSON)', method: 'POST', path: '/echo', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload), status: 200, json: payload,
  },
  { id: 'S4', name: 'GET /missing-route', method: 'GET', path: '/missing-route', headers: {}, status: 404 },
  {
    id: 'S5', name: 'POST /form (urlencoded)', method: 'POST', path: '/form',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2&b=x',
    status: 200, json: { a: ['1', '2'], b: 'x' },
  },
  {
    id: 'S6', name: 'GET /cookie', method: 'GET', path: '/cookie', headers: { Cookie: 'sessionid=abc; theme=dark' },
    status: 200, json: { theme: 'dark' },
  },
  {
    id: 'S7', name: 'POST /upload (20 MB multipart)', method: 'POST', path: '/upload',
    headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` }, bodyFile: uploadBodyFile,
    status: 200, json: { size: UPLOAD_SIZE }, connections: 4,
  },
  {
    // The same 1,024-byte JSON as S3, compressed: GZipMiddleware against @fastify/compress.
    id: 'S8', name: 'GET /json-1k, gzip', method: 'GET', path: '/json-1k', headers: { 'Accept-Encoding': 'gzip' },
    status: 200, json: payload, contentEncoding: 'gzip', only: ['fastify-compress', 'reinhardt-gzip'],
  },
];

module.exports = { scenarios, UPLOAD_SIZE, payload };
