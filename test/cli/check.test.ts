/** `reinhardt check [--deploy]`: Django's system check report, exactly, and its exit code. */
import { join } from 'node:path';
import { FIXTURES, run } from './run-command';

const POLLS = join(FIXTURES, 'polls');

describe('reinhardt check', () => {
  test('a sound app: no issues, exit 0', async () => {
    expect(await run(['check'], POLLS)).toEqual({ code: 0, stderr: '', stdout: 'System check identified no issues (0 silenced).\n' });
  });

  test('errors: the SystemCheckError report on stderr, exit 1', async () => {
    expect(await run(['check'], join(FIXTURES, 'misconfigured'))).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'SystemCheckError: System check identified some issues:\n\n' +
        'ERRORS:\n' +
        "?: (reinhardt.E002) The sessionCookieAge setting must be a non-negative integer, not '2 weeks'.\n" +
        '\tHINT: The default is 1209600; from the environment, read it with env.int().\n' +
        "?: (reinhardt.E006) The values in the csrfTrustedOrigins setting must start with a scheme (usually http:// or https://) but found 'example.com'.\n" +
        "\tHINT: Write the origin as the browser sends it, e.g. 'https://example.com'.\n" +
        "ArticleController.detail: (routing.E002) @Param('slug') names no parameter of the route /articles/<int:id>/.\n" +
        "\tHINT: The pattern's parameters are: id.\n\n" +
        'System check identified 3 issues (0 silenced).\n',
    });
  });

  test('--deploy: the deployment checklist for the default settings, exit 0 (warnings only)', async () => {
    expect(await run(['check', '--deploy'], POLLS)).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'System check identified some issues:\n\n' +
        'WARNINGS:\n' +
        '?: (reinhardt.W001) Sessions are kept in the memory of one process (MemorySessionStore): they are lost on restart and not shared between several workers.\n' +
        '\tHINT: Register RedisSessionStore (or SignedCookieSessionStore, or a store of your own) as the SessionStore.\n' +
        '?: (security.W004) You have not set a value for the secureHstsSeconds setting. If your entire site is served only over SSL, you may want to consider setting a value and enabling HTTP Strict Transport Security. Be sure to read the documentation first; enabling HSTS carelessly can cause serious, irreversible problems.\n' +
        '?: (security.W008) Your secureSslRedirect setting is not set to true. Unless your site should be available over both SSL and non-SSL connections, you may want to either set this setting true or configure a load balancer or reverse-proxy server to redirect all connections to HTTPS.\n' +
        "?: (security.W009) Your secretKey has less than 50 characters, less than 5 unique characters, or it's prefixed with 'reinhardt-insecure-' indicating that it was generated automatically by Reinhardt. Please generate a long and random value, otherwise many of Reinhardt's security-critical features will be vulnerable to attack.\n" +
        `\tHINT: Generate one with: node -e "console.log(require('node:crypto').randomBytes(50).toString('base64url'))"\n` +
        '?: (security.W012) sessionCookieSecure is not set to true. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.\n' +
        '?: (security.W016) You have CsrfMiddleware in your middleware, but you have not set csrfCookieSecure to true. Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token.\n' +
        '?: (security.W020) allowedHosts must not be empty in deployment.\n' +
        '\tHINT: List the host names the site serves, e.g. ALLOWED_HOSTS=example.com,www.example.com.\n\n' +
        'System check identified 7 issues (0 silenced).\n',
    });
  });
});
