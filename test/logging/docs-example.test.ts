/**
 * docs/logging.md's examples: request.log's records carry the request ID the response echoes,
 * the access log writes its record, a trusted proxy's ID is kept, CapturingLogger sees the CSRF
 * refusal, and pino plugs in with one line.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { CapturingLogger, Client } from 'reinhardt';
import { refusedVote } from '../../docs/examples/logging-capture';
import * as pinoExample from '../../docs/examples/logging-pino';
import { buildApp } from '../../docs/examples/logging-request-log';

describe('docs/examples/logging-request-log.ts', () => {
  test('a vote without a choice: the warning carries the ID the response echoes; the access log writes its line', async () => {
    const logger = new CapturingLogger();
    const app = buildApp(logger);
    const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/polls/3/vote/`;
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Request-ID': 'lb-42' } });
      // No CSRF token: refused, and the refusal logged under the proxy's ID (trustRequestIdHeader).
      expect(response.status).toBe(403);
      expect(response.headers.get('x-request-id')).toBe('lb-42');
      await response.text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(logger.records.filter((record) => record.requestId === 'lb-42').map((record) => [record.name, record.level, record.msg])).toEqual([
        ['reinhardt.security.csrf', 'warn', 'Forbidden (CSRF cookie not set.): /polls/3/vote/'],
        ['reinhardt.server', 'info', '"POST /polls/3/vote/ HTTP/1.1" 403 ' + logger.records.find((record) => record.name === 'reinhardt.server' && record.method === 'POST')!.bytes],
      ]);
    } finally {
      await app.close();
    }
  });

  test("request.log in a handler: the record has the request's ID", async () => {
    const logger = new CapturingLogger();
    const response = await new Client(buildApp(logger)).post('/polls/3/vote/', {});
    expect(response.json()).toEqual({ voted: false });
    expect(logger.records).toEqual([{ level: 'warn', requestId: response.headers.get('X-Request-ID'), name: 'polls', poll: 3, msg: 'A vote without a choice' }]);
    const voted = await new Client(buildApp(logger)).post('/polls/3/vote/', { choice: '2' });
    expect(voted.json()).toEqual({ voted: true, id: voted.headers.get('X-Request-ID') });
  });
});

describe('docs/examples/logging-capture.ts', () => {
  test('the refused vote gives exactly the record the guide shows', async () => {
    const { response, records } = await refusedVote();
    expect(response.statusCode).toBe(403);
    expect(records).toEqual([
      { level: 'warn', requestId: response.headers.get('X-Request-ID'), name: 'reinhardt.security.csrf', status: 403, msg: 'Forbidden (CSRF cookie not set.): /polls/1/vote/' },
    ]);
  });
});

describe('docs/examples/logging-pino.ts', () => {
  test('pino writes the app records: a 404 is not logged, a bad Host is, with its name and request ID', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const client = new Client(pinoExample.buildApp(stream));
    expect((await client.get('/')).json()).toEqual({ ok: true });
    const response = await client.get('/', undefined, { headers: { Host: 'evil.example' } });
    expect(response.statusCode).toBe(400);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 50, name: 'reinhardt.security.DisallowedHost', requestId: response.headers.get('X-Request-ID'), status: 400 }),
    ]);
  });
});
