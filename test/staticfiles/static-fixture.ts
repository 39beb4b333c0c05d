/**
 * A throwaway project for the static files tests: a `static/` folder (CSS referencing an image
 * and another CSS, a large compressible script, a PNG, a dot-file, links in and out of the
 * folder), a secret beside it that no URL may reach, and an app serving them.
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Controller, Get, SecurityMiddleware, createApp, type Settings } from '../../src';
import { StaticFilesMiddleware } from '../../src/staticfiles/static-files-middleware';

export const MTIME = new Date('2024-05-06T07:08:09Z');
export const SITE_CSS =
  '@import "base.css";\n' +
  "body { background: url('../img/logo.png'); }\n" +
  '.a { background: url(data:image/png;base64,AAAA); }\n' +
  '.b { background: url(http://example.com/x.png); }\n' +
  '.c { background: url(//cdn.example.com/y.png); }\n' +
  '.d { filter: url(#shadow); }\n' +
  "@font-face { src: url('../fonts/f.eot?#iefix'); }\n";
export const BASE_CSS = 'h1 { color: red; }\n';
export const APP_JS = `${'console.log("reinhardt static files");\n'.repeat(200)}`;
export const LOGO_PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
export const SECRET = '{"secret": "must never be served"}\n';

export interface StaticProject {
  /** The project folder; `package.json` (the secret) sits here, beside `static/`. */
  readonly dir: string;
  readonly staticDir: string;
  readonly staticRoot: string;
  remove(): void;
}

export function makeStaticProject(): StaticProject {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-static-'));
  const staticDir = join(dir, 'static');
  const files: Record<string, string | Buffer> = {
    'css/site.css': SITE_CSS,
    'css/base.css': BASE_CSS,
    'js/app.js': APP_JS,
    'img/logo.png': LOGO_PNG,
    'fonts/f.eot': 'not really a font',
    '.env': 'SECRET_KEY=dot-files-are-never-static',
    'a b.txt': 'a space in the name',
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(staticDir, name, '..'), { recursive: true });
    writeFileSync(join(staticDir, name), content);
    utimesSync(join(staticDir, name), MTIME, MTIME);
  }
  writeFileSync(join(dir, 'package.json'), SECRET);
  mkdirSync(join(dir, 'private'));
  writeFileSync(join(dir, 'private', 'key.txt'), SECRET);
  // Links out of the folder (a file and a folder), and one that stays inside it.
  symlinkSync(join(dir, 'package.json'), join(staticDir, 'leak.json'));
  symlinkSync(join(dir, 'private'), join(staticDir, 'private'));
  symlinkSync(join(staticDir, 'css', 'base.css'), join(staticDir, 'base-link.css'));
  return { dir, staticDir, staticRoot: join(dir, 'staticfiles'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

@Controller()
class PageController {
  /** A route under staticUrl that is no file: the middleware must let the app answer it. */
  @Get('/static/generated.txt')
  generated() {
    return 'from the app';
  }
}

/** An app serving `project`'s static files, after SecurityMiddleware as the docs advise. */
export function staticApp(settings: Partial<Settings>) {
  return createApp({
    controllers: [PageController],
    middleware: [SecurityMiddleware, StaticFilesMiddleware],
    settings: { secretKey: 'static-files-tests', allowedHosts: ['127.0.0.1'], ...settings },
    container: container.createChildContainer(),
  });
}
