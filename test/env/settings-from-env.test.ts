/** settingsFromEnv(): each setting from the variable of its Django name, in the setting's kind. */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Client, Controller, Get, ImproperlyConfigured, SystemCheckError, createApp, envVarName, settingsFromEnv } from '../../src';

@Controller()
class HomeController {
  @Get('/')
  home() {
    return { ok: true };
  }
}

describe('settingsFromEnv', () => {
  test("DEBUG, SECRET_KEY, ALLOWED_HOSTS and any other setting by Django's name", () => {
    expect(
      settingsFromEnv({
        dotenv: false,
        env: {
          DEBUG: 'false',
          SECRET_KEY: 's3cret',
          ALLOWED_HOSTS: 'example.com, www.example.com',
          SECURE_HSTS_SECONDS: '31536000',
          SESSION_COOKIE_HTTPONLY: 'no',
          SECURE_PROXY_SSL_HEADER: 'HTTP_X_FORWARDED_PROTO,https',
          DATA_UPLOAD_MAX_MEMORY_SIZE: 'none',
          TEMPLATES_DIR: '',
          X_FRAME_OPTIONS: 'SAMEORIGIN',
          UNRELATED: 'ignored',
        },
      }),
    ).toEqual({
      debug: false,
      secretKey: 's3cret',
      allowedHosts: ['example.com', 'www.example.com'],
      secureHstsSeconds: 31536000,
      sessionCookieHttpOnly: false,
      secureProxySslHeader: ['HTTP_X_FORWARDED_PROTO', 'https'],
      dataUploadMaxMemorySize: null,
      templatesDir: null,
      xFrameOptions: 'SAMEORIGIN',
    });
  });

  test('unset variables keep the defaults; a prefix namespaces them', () => {
    expect(settingsFromEnv({ dotenv: false, env: {} })).toEqual({});
    expect(settingsFromEnv({ dotenv: false, env: { DEBUG: 'true', MYSITE_DEBUG: 'false' }, prefix: 'MYSITE_' })).toEqual({ debug: false });
  });

  test('a value that does not parse fails at start, naming the variable', () => {
    expect(() => settingsFromEnv({ dotenv: false, env: { SESSION_COOKIE_AGE: '2 weeks' } })).toThrow(
      new ImproperlyConfigured("The SESSION_COOKIE_AGE environment variable must be a whole number, not '2 weeks'."),
    );
    expect(() => settingsFromEnv({ dotenv: false, env: { DEBUG: 'yes please' } })).toThrow(ImproperlyConfigured);
  });

  test('a .env file fills what the environment does not set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-env-'));
    writeFileSync(join(dir, '.env'), 'DEBUG=true\nSECRET_KEY=from-file\n');
    expect(settingsFromEnv({ env: { SECRET_KEY: 'from-environment' }, dotenv: join(dir, '.env') })).toEqual({ debug: true, secretKey: 'from-environment' });
  });

  test("the result goes through today's validation in createApp: no SECRET_KEY without DEBUG is refused", () => {
    const settings = settingsFromEnv({ dotenv: false, env: { DEBUG: 'off' } });
    expect(() => createApp({ controllers: [HomeController], settings, container: container.createChildContainer() })).toThrow(
      new ImproperlyConfigured('The secretKey setting must not be empty when debug is false.'),
    );
    const bad = settingsFromEnv({ dotenv: false, env: { SECRET_KEY: 'k', CSRF_TRUSTED_ORIGINS: 'example.com' } });
    expect(() => createApp({ controllers: [HomeController], settings: bad, container: container.createChildContainer() })).toThrow(SystemCheckError);
  });

  test('an app built from the environment serves: ALLOWED_HOSTS is obeyed', async () => {
    const settings = settingsFromEnv({ dotenv: false, env: { SECRET_KEY: 'k', ALLOWED_HOSTS: 'example.com' } });
    const app = createApp({ controllers: [HomeController], settings, container: container.createChildContainer(), logger: new CapturingLogger() });
    const client = new Client(app);
    expect((await client.get('/', undefined, { headers: { Host: 'example.com' } })).statusCode).toBe(200);
    expect((await client.get('/', undefined, { headers: { Host: 'evil.com' } })).statusCode).toBe(400);
  });

  test('envVarName: Django\'s names', () => {
    expect(['debug', 'secretKey', 'allowedHosts', 'csrfTrustedOrigins', 'sessionCookieHttpOnly', 'xFrameOptions', 'useXForwardedHost'].map(envVarName)).toEqual([
      'DEBUG',
      'SECRET_KEY',
      'ALLOWED_HOSTS',
      'CSRF_TRUSTED_ORIGINS',
      'SESSION_COOKIE_HTTPONLY',
      'X_FRAME_OPTIONS',
      'USE_X_FORWARDED_HOST',
    ]);
  });
});
