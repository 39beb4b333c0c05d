import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  CSP,
  ContentSecurityPolicyMiddleware,
  Controller,
  CspExempt,
  CspOverride,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpRequest,
  HttpResponse,
  createApp,
} from 'reinhardt';

@Controller()
export class PageController {
  /** An inline script, allowed by this request's nonce (in a template: `nonce="{{ cspNonce }}"`). */
  @Get('/')
  home(request: HttpRequest) {
    return new HttpResponse(`<script nonce="${request.cspNonce}">start()</script>`);
  }

  /** No inline code: no nonce is made, and the header names none. */
  @Get('/about/')
  about() {
    return new HttpResponse('<p>About us</p>');
  }

  /** Map tiles from another origin: this route's own enforced policy. */
  @Get('/map/')
  @CspOverride({ 'default-src': [CSP.SELF], 'img-src': [CSP.SELF, 'https://tiles.example.com'] })
  map() {
    return new HttpResponse('<img src="https://tiles.example.com/0/0/0.png">');
  }

  /** An old page with inline handlers: no policy at all. */
  @Get('/legacy/')
  @CspExempt()
  legacy() {
    return new HttpResponse('<button onclick="go()">Go</button>');
  }
}

export function buildApp() {
  return createApp({
    controllers: [PageController],
    // Outermost, so that every response (error pages too) gets the headers.
    middleware: [ContentSecurityPolicyMiddleware, ...DEFAULT_MIDDLEWARE],
    container: container.createChildContainer(),
    settings: {
      debug: true,
      secureCsp: {
        'default-src': [CSP.SELF],
        'script-src': [CSP.SELF, CSP.NONCE],
        'object-src': [CSP.NONE],
        'upgrade-insecure-requests': true,
      },
      secureCspReportOnly: { 'default-src': [CSP.SELF], 'report-uri': '/csp-report/' },
    },
  });
}
