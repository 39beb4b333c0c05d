/**
 * Issue 19 item 1: header parameter lists parse in linear time. Django's `_parseparam`
 * (django/utils/http.py) re-counts the quotes before every `;`, so a quoted value of `\";`
 * repeated is quadratic (CPython gh-136063 for the same code in `email.message`). No login or
 * CSRF token is needed to send one: the request Content-Type, the Accept header (read by the
 * 404/403/400 views) and each multipart part's Content-Type are parsed for anyone.
 *
 * Each test times the same request with a parameter 1x and 10x as long (the 10x one just under
 * Django's MAX_HEADER_LENGTH of 10,000) and asserts the 10x one costs at most 12x: a ratio
 * measured within the test, the least time of several runs, never an absolute time. The
 * quadratic parser made these ratios 60–100x.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { HttpRequest } from '../../src/http/http-request';
import { Client } from '../../src/testing/client';

const SHORT = 330; // `\";` x 330: a 1,005-character header value
const LONG = 3_300; // x 3,300: 9,915 characters, under MAX_HEADER_LENGTH
const MAX_RATIO = 12;

/** `text/plain; x="\";\";…`: one quoted value that never closes, full of `;`. */
function longParameter(repeats: number, type = 'text/plain'): string {
  return `${type}; x="` + '\\";'.repeat(repeats);
}

@Controller('')
class EchoController {
  @Post('/type/')
  type(request: HttpRequest) {
    return { contentType: request.contentType, x: request.contentParams.x.length };
  }

  @Post('/upload/')
  upload(request: HttpRequest) {
    const files = request.FILES.getList('f');
    return { files: files.length, x: files[0].contentTypeExtra.x.length };
  }
}

function client(): Client {
  const app = createApp({
    controllers: [EchoController],
    settings: { secretKey: 'k' },
    container: root.createChildContainer(),
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

/** The time `send()` takes `times` times in a row (ms). */
async function timeOf(send: () => Promise<void>, times: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i++) await send();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * How much more one request with the LONG input costs than one with the SHORT input: the least
 * time of several runs of each, the runs interleaved so that both sizes see the same load. A
 * run sends the SHORT input ten times as often, so that on a linear parser both runs take about
 * as long and are as likely to be preempted on a busy machine. Stops after 3 runs once 3 s are
 * spent, so a quadratic parser fails in seconds, not minutes.
 */
async function costRatio(send: (repeats: number) => Promise<void>, times: number, runs = 15): Promise<number> {
  await send(SHORT); // warm up the code paths
  await send(LONG);
  const scale = LONG / SHORT;
  let short = Infinity;
  let long = Infinity;
  const started = Date.now();
  for (let run = 0; run < runs && (run < 3 || Date.now() - started < 3_000); run++) {
    short = Math.min(short, await timeOf(() => send(SHORT), times * scale));
    long = Math.min(long, await timeOf(() => send(LONG), times));
  }
  return (long * scale) / short;
}

describe('header parameters parse in linear time (issue 19 item 1)', () => {
  test("the request's Content-Type", async () => {
    const http = client();
    const ratio = await costRatio(async (repeats) => {
      const response = await http.post('/type/', 'body', { contentType: longParameter(repeats) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ contentType: 'text/plain', x: 1 + 3 * repeats });
    }, 10);
    expect(ratio).toBeLessThanOrEqual(MAX_RATIO);
  });

  test('the Accept header, read by the 404 view to choose HTML or JSON', async () => {
    const http = client();
    let n = 0;
    const ratio = await costRatio(async (repeats) => {
      // A new Accept value each time: the 404 view remembers its answer per Accept value.
      const accept = `application/json; n=${n++}; ` + longParameter(repeats, 'text/html').slice('text/html; '.length);
      const response = await http.post('/missing/', undefined, { headers: { accept } });
      expect(response.statusCode).toBe(404);
      expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    }, 10);
    expect(ratio).toBeLessThanOrEqual(MAX_RATIO);
  });

  // Django reads at most MAX_TOTAL_HEADER_SIZE (1,024) bytes of part headers (issue 25 item 4), so
  // a long part Content-Type is refused before it is parsed, at a cost that does not grow with it.
  test("each multipart part's Content-Type: over 1,024 bytes of part headers, a 400 at once", async () => {
    const http = client();
    const parts = 10;
    const bodies = new Map<number, Buffer>();
    for (const repeats of [SHORT, LONG]) {
      let body = '';
      for (let i = 0; i < parts; i++) {
        body +=
          `--B\r\nContent-Disposition: form-data; name="f"; filename="${i}.txt"\r\n` +
          `Content-Type: ${longParameter(repeats)}\r\n\r\nhello\r\n`;
      }
      bodies.set(repeats, Buffer.from(body + '--B--\r\n'));
    }
    const ratio = await costRatio(async (repeats) => {
      const response = await http.post('/upload/', bodies.get(repeats), { contentType: 'multipart/form-data; boundary=B' });
      expect(response.statusCode).toBe(400);
    }, 2);
    expect(ratio).toBeLessThanOrEqual(MAX_RATIO);
  });
});
