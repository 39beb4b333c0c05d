/**
 * The system checks (Django's django/core/checks/): run when an app starts — errors stop it with
 * Django's report, warnings go to the app's logger — and the deployment checklist only on request.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as rootContainer } from 'tsyringe';
import {
  Controller,
  Get,
  HttpRequest,
  Param,
  Post,
  SessionStore,
  SignedCookieSessionStore,
  SystemCheckError,
  createApp,
  formatCheckReport,
  registerCheck,
  runChecks,
  checkWarning,
  checkError,
  type Settings,
} from '../../src';

@Controller('/polls')
class PollController {
  @Get('/<int:id>/', { name: 'poll-detail' })
  detail(_request: HttpRequest, @Param('id') id: number) {
    return { id };
  }
}

function quietLogger() {
  return new CapturingLogger();
}

function build(settings: Partial<Settings>, controllers: Function[] = [PollController]) {
  const logger = quietLogger();
  const app = createApp({ controllers, settings: { secretKey: 'k', ...settings }, container: rootContainer.createChildContainer(), logger });
  return { app, warnings: logger.messages('warn') };
}

function startupError(settings: Record<string, unknown>, controllers: Function[] = [PollController]): string {
  try {
    build(settings as Partial<Settings>, controllers);
  } catch (error) {
    expect(error).toBeInstanceOf(SystemCheckError);
    return (error as Error).message;
  }
  throw new Error('createApp did not throw');
}

describe('formatCheckReport: Django\'s layout', () => {
  test('no issues', () => {
    expect(formatCheckReport([])).toBe('System check identified no issues (0 silenced).');
  });
  test('groups by level, most serious first, sorted, with tab-indented hints', () => {
    const report = formatCheckReport([
      checkWarning('security.W020', 'allowedHosts must not be empty in deployment.'),
      checkError('reinhardt.E005', 'b', 'the hint', 'X.y'),
      checkError('reinhardt.E001', 'a'),
    ]);
    expect(report).toBe(
      'System check identified some issues:\n\n' +
        'ERRORS:\n?: (reinhardt.E001) a\nX.y: (reinhardt.E005) b\n\tHINT: the hint\n\n' +
        'WARNINGS:\n?: (security.W020) allowedHosts must not be empty in deployment.\n\n' +
        'System check identified 3 issues (0 silenced).',
    );
  });
});

describe('settings checks stop the app at start', () => {
  test("sessionCookieAge: '2 weeks' (accepted before, then every session save failed)", () => {
    expect(startupError({ sessionCookieAge: '2 weeks' })).toBe(
      'SystemCheckError: System check identified some issues:\n\n' +
        "ERRORS:\n?: (reinhardt.E002) The sessionCookieAge setting must be a non-negative integer, not '2 weeks'.\n" +
        '\tHINT: The default is 1209600; from the environment, read it with env.int().\n\n' +
        'System check identified 1 issue (0 silenced).',
    );
  });

  test("debug: 'yes' is not a boolean", () => {
    expect(startupError({ debug: 'yes' })).toContain(
      "?: (reinhardt.E001) The debug setting must be a boolean, not 'yes'.\n\tHINT: Write debug: true or debug: false; from the environment, read it with env.bool().",
    );
  });

  test('a string setting given a number, a list given a string', () => {
    const message = startupError({ loginUrl: 42, allowedHosts: ['ok', 3] });
    expect(message).toContain('?: (reinhardt.E003) The loginUrl setting must be a string, not 42.\n\tHINT: The default is \'/accounts/login/\'.');
    expect(message).toContain('?: (reinhardt.E004) The allowedHosts setting must be a list of strings, not ["ok",3].');
    expect(message).toContain('System check identified 2 issues (0 silenced).');
  });

  test('templatesDir names a folder that does not exist', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'reinhardt-checks-')), 'nope');
    expect(startupError({ templatesDir: missing })).toContain(
      `?: (reinhardt.E005) The templatesDir setting names a folder that does not exist: '${missing}'.\n` +
        '\tHINT: Create the folder, fix the path (a relative path is taken from the working directory), or set templatesDir to null.',
    );
  });

  test('csrfTrustedOrigins without a scheme (Django 4_0.E001)', () => {
    expect(startupError({ csrfTrustedOrigins: ['https://ok.example.com', 'example.com'] })).toContain(
      "?: (reinhardt.E006) The values in the csrfTrustedOrigins setting must start with a scheme (usually http:// or https://) but found 'example.com'.\n" +
        "\tHINT: Write the origin as the browser sends it, e.g. 'https://example.com'.",
    );
  });

  test('the defaults and an existing templatesDir pass without a word', () => {
    const { warnings } = build({ templatesDir: tmpdir(), csrfTrustedOrigins: ['https://*.example.com'] });
    expect(warnings).toEqual([]);
  });
});

describe('routing checks', () => {
  test('the same name on two patterns: routing.E001, naming both handlers', () => {
    @Controller('/other')
    class OtherController {
      @Get('/<int:id>/', { name: 'poll-detail' })
      detail() {
        return {};
      }
    }
    expect(startupError({}, [PollController, OtherController])).toBe(
      'SystemCheckError: System check identified some issues:\n\n' +
        "ERRORS:\nOtherController.detail: (routing.E001) OtherController.detail (/other/<int:id>/) uses the route name 'poll-detail', which already names /polls/<int:id>/ (PollController.detail).\n" +
        '\tHINT: Give each pattern its own name: reverse() turns a name into one URL.\n\n' +
        'System check identified 1 issue (0 silenced).',
    );
  });

  test('one name on two methods of one pattern is fine', () => {
    @Controller('/form')
    class FormController {
      @Get('/', { name: 'form' })
      show() {
        return {};
      }
      @Post('/', { name: 'form' })
      submit() {
        return {};
      }
    }
    expect(() => build({}, [FormController])).not.toThrow();
  });

  test("@Param('slug') on a route without <slug>: routing.E002", () => {
    @Controller('/articles')
    class ArticleController {
      @Get('/<int:id>/')
      detail(_request: HttpRequest, @Param('slug') slug: string) {
        return { slug };
      }
    }
    expect(startupError({}, [ArticleController])).toContain(
      "ArticleController.detail: (routing.E002) @Param('slug') names no parameter of the route /articles/<int:id>/.\n\tHINT: The pattern's parameters are: id.",
    );
  });
});

describe('warnings are logged at start; deployment checks only on request', () => {
  test('a registered warning goes to the app logger and the app starts', () => {
    registerCheck((target) => (target.settings.loginUrl === '/warn-me/' ? [checkWarning('tests.W001', 'loginUrl is /warn-me/.', 'Just a test.')] : []));
    const { warnings } = build({ loginUrl: '/warn-me/' });
    expect(warnings).toEqual(['?: (tests.W001) loginUrl is /warn-me/.\n\tHINT: Just a test.']);
  });

  test('debug on, empty allowedHosts and a short key do not stop an app from starting (deploy checks are off)', () => {
    const { warnings } = build({ debug: true, secretKey: 'short' });
    expect(warnings).toEqual([]);
  });

  test('runChecks(app, { deploy: true }) lists Django\'s deployment checklist', () => {
    const { app } = build({ debug: true, secretKey: 'short' });
    expect(runChecks(app).map((m) => m.id)).toEqual([]);
    expect(runChecks(app, { deploy: true }).map((m) => m.id).sort()).toEqual(
      ['reinhardt.W001', 'security.W004', 'security.W008', 'security.W009', 'security.W012', 'security.W016', 'security.W018', 'security.W020'].sort(),
    );
  });

  test('a production configuration passes the deployment checklist', () => {
    const container = rootContainer.createChildContainer();
    container.registerInstance(SessionStore, new SignedCookieSessionStore());
    const app = createApp({
      controllers: [PollController],
      container,
      settings: {
        secretKey: 'x'.repeat(10) + 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH',
        allowedHosts: ['example.com'],
        secureHstsSeconds: 31536000,
        secureHstsIncludeSubdomains: true,
        secureHstsPreload: true,
        secureSslRedirect: true,
        sessionCookieSecure: true,
        csrfCookieSecure: true,
      },
    });
    expect(runChecks(app, { deploy: true })).toEqual([]);
  });

  test('HSTS without subdomains and preload, a bad Referrer-Policy, no CSRF middleware', () => {
    const app = createApp({
      controllers: [PollController],
      middleware: [],
      container: rootContainer.createChildContainer(),
      settings: { secretKey: 'k' },
    });
    expect(runChecks(app, { deploy: true }).map((m) => m.id)).toEqual(['security.W001', 'security.W009', 'security.W020', 'security.W003']);
    const hsts = createApp({
      controllers: [PollController],
      container: rootContainer.createChildContainer(),
      settings: { secretKey: 'k', secureHstsSeconds: 60, secureReferrerPolicy: 'sometimes', xFrameOptions: 'SAMEORIGIN' },
    });
    const ids = runChecks(hsts, { deploy: true }).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['security.W005', 'security.W021', 'security.E023', 'security.W019']));
    expect(ids).not.toContain('security.W004');
  });
});
