/**
 * Fastify with `logger: true`, as its Getting Started turns logging on: pino, JSON lines to
 * stdout (the bench points stdout at /dev/null), two records per request ("incoming request" and
 * "request completed", with its response time). The access-log comparison (access-log.js) runs
 * it on S1 and S2 only, so only their routes are here.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: true });

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

app.get('/hello', async () => ({ hello: 'world' }));

app.get<{ Params: { id: string }; Querystring: { fields?: string | string[] } }>('/users/:id', async (request) => ({
  id: Number(request.params.id),
  fields: asList(request.query.fields),
}));

app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
