/**
 * S8's Fastify: the 1 KB JSON of lib/scenarios.js behind @fastify/compress as its README
 * registers it (global, default options: gzip level 6, Brotli quality 4, a 1,024-byte threshold
 * the payload meets exactly).
 */
import fastifyCompress from '@fastify/compress';
import Fastify from 'fastify';

const { payload } = require('../../lib/scenarios') as { payload: object };

const app = Fastify({ logger: false });
app.register(fastifyCompress);
app.register(async (scope) => {
  scope.get('/json-1k', async () => payload);
});

app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
