import 'reflect-metadata';
import { join } from 'node:path';
import { container } from 'tsyringe';
import {
  AuthenticationMiddleware,
  Controller,
  CsrfMiddleware,
  FileResponse,
  Get,
  HttpRequest,
  SecurityMiddleware,
  SessionMiddleware,
  StaticFilesMiddleware,
  createApp,
  render,
  safeJoin,
  staticUrl,
  type Settings,
} from 'reinhardt';

const ASSETS = join(__dirname, 'static-files-assets');

@Controller()
export class SiteController {
  /** The page links its CSS and logo with {{ static(...) }}: hashed URLs once collected. */
  @Get('/')
  home(request: HttpRequest) {
    return render(request, 'static-files-page.html');
  }

  /** The same URL from code. */
  @Get('/logo-url/')
  logoUrl(request: HttpRequest) {
    return { logo: staticUrl('img/logo.svg', request) };
  }

  /** A file the client names: safeJoin refuses a way out of the folder, a missing file is a 404. */
  @Get('/reports/<path:name>')
  report(_request: HttpRequest, name: string) {
    return new FileResponse(safeJoin(ASSETS, 'reports', name), { asAttachment: true });
  }
}

export function buildApp(settings: Partial<Settings> = {}) {
  return createApp({
    controllers: [SiteController],
    // Right after SecurityMiddleware: static files skip sessions, CSRF and auth.
    middleware: [SecurityMiddleware, StaticFilesMiddleware, SessionMiddleware, AuthenticationMiddleware, CsrfMiddleware],
    settings: {
      secretKey: process.env.SECRET_KEY ?? 'docs-example-only',
      templatesDir: join(__dirname, 'templates'),
      staticDirs: [join(ASSETS, 'static')],
      staticRoot: join(ASSETS, 'staticfiles'),
      ...settings,
    },
    container: container.createChildContainer(),
  });
}
