/**
 * The limit: node:http with nothing on top. Routing is a handful of string
 * comparisons, bodies are read by hand, and the two parsers it cannot avoid
 * are the maintained ones (`cookie` for S6, `busboy` for S7) — the same
 * libraries every framework below ends up calling.
 */
import http from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { json, uploadToDisk } from './node-upload';
import { parse as parseCookie } from 'cookie';

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 9 });
  res.end('Not Found');
}

function readBody(req: http.IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function upload(req: http.IncomingMessage, res: http.ServerResponse): void {
  uploadToDisk(req, res, 'bench-raw');
}

/** The whole server: exported for `raw-node-spin.ts`, which adds a fixed cost in front of it. */
export function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (req.method === 'GET') {
    if (path === '/hello') return json(res, 200, { hello: 'world' });
    if (path === '/cookie') return json(res, 200, { theme: parseCookie(req.headers.cookie ?? '').theme });
    if (path.startsWith('/users/')) {
      const id = path.slice(7);
      if (/^[0-9]+$/.test(id)) {
        const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
        return json(res, 200, { id: Number(id), fields: asList(query.fields) });
      }
    }
  } else if (req.method === 'POST') {
    if (path === '/echo') return readBody(req, (body) => json(res, 200, JSON.parse(body)));
    if (path === '/form') {
      return readBody(req, (body) => {
        const form = parseQuery(body);
        json(res, 200, { a: asList(form.a), b: form.b });
      });
    }
    if (path === '/upload') return upload(req, res);
  }
  notFound(res);
}

if (require.main === module) http.createServer(handle).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
