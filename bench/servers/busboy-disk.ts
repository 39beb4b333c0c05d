/**
 * The S7 reference: a bare node:http server that streams one multipart file
 * through busboy to a temporary file, deletes it and answers its size. The
 * upload target for Reinhardt is measured against this, not against a peer.
 */
import http from 'node:http';
import { uploadToDisk } from './node-upload';

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/upload') {
    res.writeHead(404, { 'Content-Length': 0 });
    res.end();
    return;
  }
  uploadToDisk(req, res, 'bench-busboy');
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
