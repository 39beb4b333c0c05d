/**
 * Fastify as its Getting Started writes it: plain async handlers returning
 * objects, the official plugins for cookies, forms and multipart.
 */
import { createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.register(fastifyCookie);
app.register(fastifyFormbody);
app.register(fastifyMultipart, { limits: { fileSize: 64 * 1024 * 1024 } });

let uploads = 0;
const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

app.get('/hello', async () => ({ hello: 'world' }));

app.get<{ Params: { id: string }; Querystring: { fields?: string | string[] } }>('/users/:id', async (request) => ({
  id: Number(request.params.id),
  fields: asList(request.query.fields),
}));

app.post('/echo', async (request) => request.body);

app.post<{ Body: { a: string | string[]; b: string } }>('/form', async (request) => ({
  a: asList(request.body.a),
  b: request.body.b,
}));

app.get('/cookie', async (request) => ({ theme: request.cookies.theme }));

app.post('/upload', async (request) => {
  const file = await request.file();
  if (!file) throw new Error('no file');
  const path = join(tmpdir(), `bench-fastify-${process.pid}-${uploads++}`);
  await pipeline(file.file, createWriteStream(path));
  const { size } = await stat(path);
  await unlink(path);
  return { size };
});

app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
