/**
 * The static files' system checks (Django's staticfiles.W004) and the start-up scan they make
 * for StaticFilesMiddleware.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Client, SecurityMiddleware, SystemCheckError, createApp, type Settings } from '../../src';
import { StaticFilesMiddleware } from '../../src/staticfiles/static-files-middleware';
import { makeStaticProject, type StaticProject } from './static-fixture';

let project: StaticProject;
beforeEach(() => {
  project = makeStaticProject();
});
afterEach(() => project.remove());

function build(settings: Partial<Settings>, middleware = [SecurityMiddleware, StaticFilesMiddleware]) {
  const logger = new CapturingLogger();
  const app = createApp({
    controllers: [],
    middleware,
    settings: { secretKey: 'x', ...settings },
    container: container.createChildContainer(),
    logger,
  });
  return { app, warnings: logger.messages('warn') };
}

describe('static files checks', () => {
  test('the folders are scanned when the app starts: a file added before the first request is not served', async () => {
    const { app } = build({ staticDirs: [project.staticDir] });
    writeFileSync(join(project.staticDir, 'after-start.css'), 'too late');
    expect((await new Client(app).get('/static/after-start.css')).statusCode).toBe(404);
    expect((await new Client(app).get('/static/css/base.css')).statusCode).toBe(200);
  });

  test("staticfiles.W004: a staticDirs folder that does not exist is a warning at start (Django's wording)", () => {
    const missing = join(project.dir, 'nope');
    const { warnings } = build({ staticDirs: [project.staticDir, missing] });
    expect(warnings).toEqual([`?: (staticfiles.W004) The directory '${missing}' in the staticDirs setting does not exist.`]);
  });

  test('staticfiles.E100: a manifest that cannot be read stops the app at start', () => {
    mkdirSync(project.staticRoot);
    writeFileSync(join(project.staticRoot, 'staticfiles.json'), '{"paths": {}, "version": "9"}');
    expect(() => build({ staticRoot: project.staticRoot })).toThrow(SystemCheckError);
    expect(() => build({ staticRoot: project.staticRoot })).toThrow(
      `?: (staticfiles.E100) Couldn't load manifest '${join(project.staticRoot, 'staticfiles.json')}' (version 1.1).\n\tHINT: Run \`reinhardt collectstatic\` again, or remove the file.`,
    );
  });

  test('without StaticFilesMiddleware nothing is scanned and a broken manifest is not read', () => {
    mkdirSync(project.staticRoot);
    writeFileSync(join(project.staticRoot, 'staticfiles.json'), 'not json');
    expect(build({ staticRoot: project.staticRoot }, [SecurityMiddleware]).warnings).toEqual([]);
  });
});
