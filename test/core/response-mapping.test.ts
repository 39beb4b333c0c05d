import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Readable } from 'node:stream';
import { container } from 'tsyringe';
import { Client, Controller, Get, HttpResponseCreated, createApp } from '../../src';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

@Controller('/map')
class MappingController {
  @Get('/object/') object() { return { a: 1 }; }
  @Get('/array/') array() { return [1, 'two']; }
  @Get('/instance/') instance() { return new Point(1, 2); }
  @Get('/string/') string() { return '<p>hi</p>'; }
  @Get('/buffer/') buffer() { return Buffer.from([0, 1, 2]); }
  @Get('/uint8/') uint8() { return new Uint8Array([3, 4]); }
  @Get('/null/') nothing() { return null; }
  @Get('/undefined/') undef() { return undefined; }
  @Get('/readable/') readable() { return Readable.from(['a', 'b', 'c']); }
  @Get('/async-iterable/') async *generator() { yield 'x'; yield 'y'; }
  @Get('/promise/') async promise() { return { later: true }; }
  // A promise-like from a library that is not a native Promise (a query builder, Bluebird).
  @Get('/thenable/') thenable() { return { then(resolve: (value: unknown) => void) { resolve({ thenable: true }); } }; }
  @Get('/thenable-string/') thenableString() { return { then(resolve: (value: unknown) => void) { setTimeout(() => resolve('<p>later</p>'), 1); } }; }
  @Get('/response/') response() { return new HttpResponseCreated('made', { headers: { Location: '/map/1/' } }); }
  @Get('/number/') number() { return 42; }
}

const logger = new CapturingLogger();
const client = new Client(
  createApp({
    controllers: [MappingController],
    middleware: [],
    container: container.createChildContainer(),
    settings: { secretKey: 's' },
    logger,
  }),
);

describe('response mapping (SPEC §3)', () => {
  test('plain object, array and class instance -> JsonResponse', async () => {
    for (const [path, body] of [['/map/object/', '{"a":1}'], ['/map/array/', '[1,"two"]'], ['/map/instance/', '{"x":1,"y":2}'], ['/map/promise/', '{"later":true}']]) {
      const response = await client.get(path);
      expect(response.statusCode).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('application/json');
      expect(response.body.toString()).toBe(body);
    }
  });

  test('a promise-like that is not a Promise is awaited too', async () => {
    const json = await client.get('/map/thenable/');
    expect(json.statusCode).toBe(200);
    expect(json.body.toString()).toBe('{"thenable":true}');
    const html = await client.get('/map/thenable-string/');
    expect(html.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(html.body.toString()).toBe('<p>later</p>');
  });

  test('string -> text/html; charset=utf-8', async () => {
    const response = await client.get('/map/string/');
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.text).toBe('<p>hi</p>');
  });

  test('Buffer and Uint8Array -> application/octet-stream', async () => {
    const response = await client.get('/map/buffer/');
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    expect([...response.body]).toEqual([0, 1, 2]);
    expect([...(await client.get('/map/uint8/')).body]).toEqual([3, 4]);
  });

  test('null and undefined -> 204', async () => {
    expect((await client.get('/map/null/')).statusCode).toBe(204);
    expect((await client.get('/map/undefined/')).statusCode).toBe(204);
  });

  test('Readable and AsyncIterable -> StreamingHttpResponse', async () => {
    const readable = await client.get('/map/readable/');
    expect(readable.streaming).toBe(true);
    expect(readable.body.toString()).toBe('abc');
    const generated = await client.get('/map/async-iterable/');
    expect(generated.streaming).toBe(true);
    expect(generated.body.toString()).toBe('xy');
  });

  test('an HttpResponse is sent as it is', async () => {
    const response = await client.get('/map/response/');
    expect(response.statusCode).toBe(201);
    expect(response.headers.get('Location')).toBe('/map/1/');
    expect(response.text).toBe('made');
  });

  test('anything else is a 500 whose logged error names the controller and method', async () => {
    const response = await client.get('/map/number/');
    expect(response.statusCode).toBe(500);
    expect(logger.records.map((record) => (record.err as Error).message).join('\n')).toContain("The view MappingController.number didn't return an HttpResponse object. It returned a number (42)");
  });
});
