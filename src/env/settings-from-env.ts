/**
 * Settings from the environment (twelve-factor; Django projects do it with django-environ): each
 * setting is read from the variable of its Django name — `debug` from DEBUG, `secretKey` from
 * SECRET_KEY, `allowedHosts` from ALLOWED_HOSTS (comma-separated), `secureHstsSeconds` from
 * SECURE_HSTS_SECONDS — converted to the setting's kind. Only variables that are set become
 * settings; the rest keep their defaults. `createApp` then validates the result as any settings
 * (resolveSettings and the system checks).
 */
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { settingKind } from '../core/setting-kinds';
import { ImproperlyConfigured } from '../http/errors';
import { EnvReader, loadDotEnv, type EnvSource } from './env-reader';

export interface SettingsFromEnvOptions {
  /** Where to read. Default: process.env. */
  env?: EnvSource;
  /**
   * A `.env` file (from the working directory) whose variables count where the environment has
   * none; it is fine for it not to exist. Default '.env'; false: none. With the default `env`,
   * its variables are put in process.env, so `env.str(...)` reads them too.
   */
  dotenv?: string | false;
  /** Put before every variable name: `{ prefix: 'MYSITE_' }` reads MYSITE_DEBUG. Default ''. */
  prefix?: string;
}

/**
 * The environment variable a setting is read from: Django's name for it.
 * @example envVarName('sessionCookieHttpOnly') // 'SESSION_COOKIE_HTTPONLY'
 */
export function envVarName(key: string): string {
  // Django writes HTTPONLY as one word (SESSION_COOKIE_HTTPONLY, CSRF_COOKIE_HTTPONLY).
  return key
    .replace(/HttpOnly/g, 'Httponly')
    .replace(/[A-Z]/g, (letter) => `_${letter}`)
    .toUpperCase();
}

function readSetting(reader: EnvReader, key: string, name: string): unknown {
  switch (settingKind(key)) {
    case 'boolean':
      return reader.bool(name);
    case 'integer':
      return reader.int(name);
    case 'nullable-integer':
      return ['', 'none', 'null'].includes(reader.str(name).trim().toLowerCase()) ? null : reader.int(name);
    case 'string':
      return reader.str(name);
    case 'nullable-string':
      return reader.str(name) === '' ? null : reader.str(name);
    case 'string-list':
      return reader.list(name);
    case 'pair': {
      if (reader.str(name).trim() === '') return null;
      const pair = reader.list(name);
      if (pair.length !== 2) throw new ImproperlyConfigured(`The ${name} environment variable must be two comma-separated values, e.g. HTTP_X_FORWARDED_PROTO,https.`);
      return pair;
    }
    case 'json':
      try {
        return JSON.parse(reader.str(name));
      } catch {
        throw new ImproperlyConfigured(`The ${name} environment variable must be JSON, not '${reader.str(name)}'.`);
      }
  }
}

/**
 * Settings from environment variables and a `.env` file, for `createApp({ settings })`.
 * @example
 * // .env: DEBUG=true  SECRET_KEY=...  ALLOWED_HOSTS=example.com,www.example.com
 * const app = createApp({ controllers, settings: { ...settingsFromEnv(), templatesDir: join(__dirname, 'templates') } });
 */
export function settingsFromEnv(options: SettingsFromEnvOptions = {}): Partial<Settings> {
  let source: EnvSource = options.env ?? process.env;
  const file = options.dotenv ?? '.env';
  if (file !== false && options.env === undefined) {
    // Into process.env, so that env.str('REDIS_URL') elsewhere in the app sees the file too.
    loadDotEnv(file);
  } else if (file !== false) {
    const merged: Record<string, string | undefined> = { ...options.env };
    loadDotEnv(file, merged);
    source = merged;
  }
  const reader = new EnvReader(source);
  const prefix = options.prefix ?? '';
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    const name = prefix + envVarName(key);
    if (reader.has(name)) settings[key] = readSetting(reader, key, name);
  }
  return settings as Partial<Settings>;
}
