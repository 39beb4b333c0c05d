/**
 * Hono on @hono/node-server, as its Node.js guide writes it: c.req.queries,
 * c.req.parseBody for forms and files, getCookie from hono/cookie.
 */
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';

const app = new Hono();
let uploads = 0;

app.get('/hello', (c) => c.json({ hello: 'world' }));

app.get('/users/:id', (c) => c.json({ id: Number(c.req.param('id')), fields: c.req.queries('fields') ?? [] }));

app.post('/echo', async (c) => c.json(await c.req.json()));

app.post('/form', async (c) => {
  const body = await c.req.parseBody({ all: true });
  const a = body.a;
  return c.json({ a: a === undefined ? [] : Array.isArray(a) ? a : [a], b: body.b });
});

app.get('/cookie', (c) => c.json({ theme: getCookie(c, 'theme') }));

app.post('/upload', async (c) => {
  const body = await c.req.parseBody();
  const file = body.file as File;
  const path = join(tmpdir(), `bench-hono-${process.pid}-${uploads++}`);
  await pipeline(Readable.fromWeb(file.stream() as WebReadableStream), createWriteStream(path));
  await unlink(path);
  return c.json({ size: file.size });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' });
