'use strict';
/**
 * The in-process instrument of bench/README.md ("What each change bought"): the cost of one
 * request of S1–S6 through `app.dispatch` + `writeResponse`, with a fake socket, so no loopback
 * and no load generator move it. Best of 7 rounds (on a shared machine noise only adds time).
 * A body scenario's figure includes making its fake stream; the line says how much that is.
 *
 *   node in-process.js                      # bare, S1–S6, the framework in ../dist
 *   DEFAULT=1 node in-process.js S1,S6      # Django's default stack
 *   HANDLE=1 node in-process.js S1,S2,S4,S6 # through app.handle, the server's own path (GETs only)
 *   REINHARDT_DIST=/tmp/old/dist node in-process.js   # another build, to compare two commits
 *
 * The controller is the bench servers' (servers/reinhardt-controller.ts), declared here with the
 * same decorators so that any build can be loaded. Pin it (`taskset -c 0`) and alternate builds.
 */
require('reflect-metadata');
const path = require('node:path');
const { Readable } = require('node:stream');
const { scenarios } = require('./lib/scenarios');

const dist = path.resolve(process.env.REINHARDT_DIST ?? path.join(__dirname, '..', 'dist'));
const reinhardt = require(path.join(dist, 'src', 'index.js'));
const { writeResponse } = require(path.join(dist, 'src', 'core', 'response-writer.js'));
const { Controller, CsrfExempt, Get, HttpRequest, Post, createApp } = reinhardt;

function decorate(decorators, target, key) {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  for (const decorator of decorators.slice().reverse()) decorator(target, key, descriptor);
}

class BenchController {
  hello() { return { hello: 'world' }; }
  user(request, id) { return { id, fields: request.GET.getList('fields') }; }
  echo(request) { return request.data; }
  form(request) { return { a: request.POST.getList('a'), b: request.POST.get('b') }; }
  cookie(request) { return { theme: request.COOKIES.theme }; }
}
Reflect.defineMetadata('design:paramtypes', [], BenchController);
decorate([Get('/hello')], BenchController.prototype, 'hello');
decorate([Get('/users/<int:id>')], BenchController.prototype, 'user');
decorate([Post('/echo'), CsrfExempt()], BenchController.prototype, 'echo');
decorate([Post('/form'), CsrfExempt()], BenchController.prototype, 'form');
decorate([Get('/cookie')], BenchController.prototype, 'cookie');
Controller()(BenchController);

const app = createApp({
  controllers: [BenchController],
  middleware: process.env.DEFAULT ? undefined : [],
  settings: { secretKey: 'reinhardt-bench-not-secret', allowedHosts: ['*'] },
  // A Logger (pino's shape) that writes nothing; older builds only call error and warn.
  logger: { error() {}, warn() {}, info() {}, debug() {}, child() { return this; } },
});

/** A fresh IncomingMessage look-alike for the scenario: headers as wrk sends them, the body pushed. */
function requestMaker(scenario) {
  const body = scenario.body === undefined ? null : Buffer.from(scenario.body);
  const raw = ['Host', 'localhost:3000', 'User-Agent', 'wrk', 'Accept', '*/*'];
  for (const [name, value] of Object.entries(scenario.headers ?? {})) raw.push(name, value);
  if (body !== null) raw.push('Content-Length', String(body.length));
  const headers = {};
  for (let i = 0; i < raw.length; i += 2) headers[raw[i].toLowerCase()] = raw[i + 1];
  const socket = { remoteAddress: '127.0.0.1', localPort: 3000, encrypted: false };
  // A request without a body is never read: a plain object will do, and costs nothing itself.
  if (body === null) return () => ({ method: scenario.method, url: scenario.path, headers, rawHeaders: raw, socket });
  return () => {
    const req = new Readable({ read() {} });
    req.push(body);
    req.push(null);
    Object.assign(req, { method: scenario.method, url: scenario.path, headers, rawHeaders: raw, socket });
    return req;
  };
}

/** ns to make and read one fake body stream: part of the body scenarios' figure, not the framework's. */
async function streamCost(make, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const req = make();
    await new Promise((resolve) => {
      req.on('data', () => {});
      req.on('end', resolve);
    });
  }
  return Number(process.hrtime.bigint() - start) / n;
}

const fakeResponse = { writeHead() {}, end() {} };

/**
 * HANDLE=1: the request goes through `app.handle(req, res)`, as node:http calls it, instead of
 * `app.dispatch` + `writeResponse`. For a GET to a synchronous handler that path answers within
 * the call (no promise; inside AsyncLocalStorage's run() with requestContext), so the loop needs
 * no await; a body scenario would answer on a later tick, so HANDLE=1 takes GETs only.
 */
function handleCost(make, n) {
  let status = 0;
  const res = { writeHead(code) { status = code; }, end() {} };
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) app.handle(make(), res);
  const ns = Number(process.hrtime.bigint() - start) / n;
  return { ns, status };
}

async function main() {
  const ids = (process.argv[2] ?? 'S1,S2,S3,S4,S5,S6').split(',');
  for (const id of ids) {
    const scenario = scenarios.find((s) => s.id === id);
    if (scenario === undefined || id === 'S7') throw new Error(`in-process.js runs S1–S6, not ${id}`);
    const make = requestMaker(scenario);
    // The answer must be the scenario's, as in the run.
    const check = await app.dispatch(new HttpRequest(make(), app.settings));
    if (check.statusCode !== scenario.status) throw new Error(`${id}: status ${check.statusCode}, expected ${scenario.status}`);
    if (scenario.json !== undefined && JSON.stringify(JSON.parse(check.content.toString())) !== JSON.stringify(scenario.json)) {
      throw new Error(`${id}: body ${check.content.toString().slice(0, 80)} is not the scenario's`);
    }
    const n = scenario.body === undefined ? 20000 : 10000;
    let best = Infinity;
    let stream = Infinity;
    if (process.env.HANDLE) {
      if (scenario.body !== undefined) throw new Error(`HANDLE=1 runs the GET scenarios (S1, S2, S4, S6), not ${id}`);
      for (let round = 0; round < 7; round++) {
        const { ns, status } = handleCost(make, n);
        if (status !== scenario.status) throw new Error(`${id}: app.handle answered ${status}, expected ${scenario.status}`);
        best = Math.min(best, ns);
      }
      console.log(`${id} ${process.env.DEFAULT ? 'default' : 'bare'} ${Math.round(best)} ns/request through app.handle`);
      continue;
    }
    for (let round = 0; round < 7; round++) {
      if (scenario.body !== undefined) stream = Math.min(stream, await streamCost(make, n));
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const request = new HttpRequest(make(), app.settings);
        writeResponse(fakeResponse, await app.dispatch(request), false);
      }
      best = Math.min(best, Number(process.hrtime.bigint() - start) / n);
    }
    const note = stream === Infinity ? '' : ` (of which making and reading the fake body stream: ${Math.round(stream)})`;
    console.log(`${id} ${process.env.DEFAULT ? 'default' : 'bare'} ${Math.round(best)} ns/request${note}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
