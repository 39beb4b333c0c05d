/**
 * pino plugs in with one line: `createApp({ logger: pino(stream) })`. Its records carry the same
 * names and request IDs as the default logger's, in pino's own JSON (numeric levels, pid,
 * hostname), because the Logger interface is pino's shape.
 */
import 'reflect-metadata';
import { Writable } from 'node:stream';
import pino from 'pino';
import { container as root } from 'tsyringe';
import { Client, Controller, createApp, Get, Post } from '../../src';

@Controller('')
class PollController {
  @Post('/vote/')
  vote() {
    return { voted: true };
  }

  @Get('/boom/')
  boom(): never {
    throw new Error('no choices');
  }
}

describe('pino as the logger', () => {
  test('createApp({ logger: pino(stream) }): the CSRF warning and the 500 with their names, request IDs and error', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = createApp({ controllers: [PollController], settings: { secretKey: 'pino' }, container: root.createChildContainer(), logger: pino(stream) });
    const client = new Client(app, { enforceCsrfChecks: true });
    const refused = await client.post('/vote/', {});
    const failed = await client.get('/boom/');
    expect([refused.statusCode, failed.statusCode]).toEqual([403, 500]);
    // pino(stream) writes synchronously to a plain stream.
    const records = lines.map((line) => JSON.parse(line));
    expect(records).toEqual([
      {
        level: 40,
        time: expect.any(Number),
        pid: process.pid,
        hostname: expect.any(String),
        requestId: refused.headers.get('X-Request-ID'),
        name: 'reinhardt.security.csrf',
        status: 403,
        msg: 'Forbidden (CSRF cookie not set.): /vote/',
      },
      {
        level: 50,
        time: expect.any(Number),
        pid: process.pid,
        hostname: expect.any(String),
        requestId: failed.headers.get('X-Request-ID'),
        name: 'reinhardt.request',
        status: 500,
        err: { type: 'Error', message: 'no choices', stack: expect.stringMatching(/^Error: no choices\n {4}at PollController\.boom /) },
        msg: 'Internal Server Error: /boom/',
      },
    ]);
    expect(refused.headers.get('X-Request-ID')).not.toBe(failed.headers.get('X-Request-ID'));
  });
});
