import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  Controller,
  Cors,
  CorsExempt,
  CorsMiddleware,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpRequest,
  JsonResponse,
  Post,
  createApp,
  csrfToken,
} from 'reinhardt';

@Controller('/api')
export class PollApiController {
  @Get('/polls/')
  list() {
    return new JsonResponse({ polls: [{ id: 1, question: "What's up?" }] }, { headers: { 'X-Total-Count': '1' } });
  }

  /** A cookie-authenticated POST: CORS lets the page read the answer, CSRF still guards it. */
  @Post('/polls/')
  create(request: HttpRequest) {
    const { question } = request.data as { question: string };
    return new JsonResponse({ id: 2, question }, { status: 201 });
  }

  /** The token for the X-CSRFToken header: the page cannot read the API's cookie itself. */
  @Get('/csrf/')
  csrf(request: HttpRequest) {
    return new JsonResponse({ csrfToken: csrfToken(request) });
  }

  /** A public widget any site may embed: every origin, no cookies (the other settings stay). */
  @Get('/widget/')
  @Cors({ allowAllOrigins: true, allowCredentials: false })
  widget() {
    return new JsonResponse({ polls: 1 });
  }

  /** Only for the site's own pages: no CORS headers, whatever the settings allow. */
  @Post('/purge/')
  @CorsExempt()
  purge() {
    return new JsonResponse({ purged: true });
  }
}

export function buildApp() {
  return createApp({
    controllers: [PollApiController],
    // First, so that preflights are answered before anything else runs.
    middleware: [CorsMiddleware, ...DEFAULT_MIDDLEWARE],
    container: container.createChildContainer(),
    settings: {
      debug: true,
      corsAllowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      corsUrlsRegex: '^/api/',
      corsAllowCredentials: true,
      corsExposeHeaders: ['x-total-count'],
      // CSRF is separate: only this origin may send unsafe requests with the session cookie.
      csrfTrustedOrigins: ['https://app.example.com'],
    },
  });
}
