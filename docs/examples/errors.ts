import 'reflect-metadata';
import { container } from 'tsyringe';
import { CapturingLogger, Controller, Get, Http404, HttpRequest, HttpResponse, JsonResponse, PermissionDenied, createApp, type ErrorView } from 'reinhardt';

@Controller('/books')
export class BookController {
  @Get('/<int:id>/')
  detail(request: HttpRequest, id: number) {
    if (id !== 1) throw new Http404(`No book ${id}.`); // -> handler404
    return { id, title: 'Two Scoops' };
  }

  @Get('/<int:id>/edit/')
  edit(request: HttpRequest, id: number): never {
    throw new PermissionDenied('Only editors may edit books.'); // -> handler403
  }

  @Get('/crash/')
  crash(): never {
    throw new Error('database password is hunter2'); // -> handler500; the message never reaches the client
  }
}

/** Your own 404 view (handler400, handler403 and handler500 work the same way). */
export const notFound: ErrorView = (request, error) =>
  request.accepts('text/html') && !request.accepts('application/json')
    ? new HttpResponse(`<h1>Nothing at ${request.path}</h1>`, { status: 404 })
    : new JsonResponse({ error: 'not_found', detail: error instanceof Error ? error.message : '' }, { status: 404 });

export function buildApp(options: { debug?: boolean; custom404?: boolean } = {}) {
  return createApp({
    controllers: [BookController],
    container: container.createChildContainer(),
    settings: { debug: options.debug ?? false, secretKey: 'not-so-secret' },
    handler404: options.custom404 ? notFound : undefined,
    logger: new CapturingLogger(), // keeps the records for the tests (default: stderr, docs/logging.md)
  });
}
