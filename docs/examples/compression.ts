import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, DEFAULT_MIDDLEWARE, GZipMiddleware, Get, HttpResponse, StreamingHttpResponse, createApp } from 'reinhardt';

@Controller('/api')
export class ReportController {
  /** 50 polls as JSON: about 2 KB, compressed in one call and sent with its exact Content-Length. */
  @Get('/polls/')
  polls() {
    return { polls: Array.from({ length: 50 }, (_, i) => ({ id: i + 1, question: `Question ${i + 1}?` })) };
  }

  /** A CSV made row by row: compressed chunk by chunk into one gzip (or Brotli) stream. */
  @Get('/polls.csv')
  export() {
    async function* rows() {
      yield 'id,question\n';
      for (let id = 1; id <= 1000; id++) yield `${id},Question ${id}?\n`;
    }
    return new StreamingHttpResponse(rows(), { contentType: 'text/csv' });
  }

  /** Under 200 bytes: not worth compressing, sent as it is. */
  @Get('/ping/')
  ping() {
    return { ok: true };
  }

  /** An image is compressed already: say so, and the middleware leaves it alone. */
  @Get('/logo.png')
  logo() {
    return new HttpResponse(Buffer.alloc(300), { contentType: 'image/png', headers: { 'Cache-Control': 'public, max-age=3600, no-transform' } });
  }
}

export function buildApp() {
  return createApp({
    controllers: [ReportController],
    // First, outside every middleware that reads or changes the body (Django's advice).
    middleware: [GZipMiddleware, ...DEFAULT_MIDDLEWARE],
    container: container.createChildContainer(),
    settings: { debug: true },
  });
}
