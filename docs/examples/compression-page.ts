import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, DEFAULT_MIDDLEWARE, Get, GzipPage, HttpRequest, createApp } from 'reinhardt';

@Controller('/reports')
export class YearReportController {
  /** Only this route is compressed, and only with gzip; the app has no GZipMiddleware. */
  @Get('/<int:year>/')
  @GzipPage({ encodings: ['gzip'] })
  year(request: HttpRequest, year: number) {
    return { year, months: Array.from({ length: 12 }, (_, i) => ({ month: i + 1, votes: (year * (i + 7)) % 997 })) };
  }

  @Get('/<int:year>/summary/')
  summary(request: HttpRequest, year: number) {
    return { year, total: 4242, note: 'x'.repeat(300) };
  }
}

export function buildApp() {
  return createApp({
    controllers: [YearReportController],
    middleware: [...DEFAULT_MIDDLEWARE],
    container: container.createChildContainer(),
    settings: { debug: true },
  });
}
