'use strict';
/**
 * The servers under test, in table order. `scenarios` limits a server to
 * some scenarios (the busboy reference exists only for S7).
 */
const servers = [
  { id: 'raw-node', label: 'raw node:http' },
  { id: 'fastify', label: 'Fastify' },
  { id: 'express', label: 'Express' },
  { id: 'nest-express', label: 'NestJS (Express)' },
  { id: 'nest-fastify', label: 'NestJS (Fastify)' },
  { id: 'hono', label: 'Hono' },
  { id: 'koa', label: 'Koa' },
  { id: 'routing-controllers', label: 'routing-controllers' },
  { id: 'reinhardt-bare', label: 'Reinhardt (bare)' },
  { id: 'reinhardt-default', label: 'Reinhardt (default stack)' },
  { id: 'busboy-disk', label: 'busboy to disk (S7 reference)', scenarios: ['S7'] },
  { id: 'fastify-compress', label: 'Fastify + @fastify/compress (S8)', scenarios: ['S8'] },
  { id: 'reinhardt-gzip', label: 'Reinhardt + GZipMiddleware (S8)', scenarios: ['S8'] },
];

module.exports = { servers };
