/**
 * A typed reader of environment variables (the twelve-factor way Django projects read settings
 * with django-environ): `env.bool('DEBUG')`, `env.list('ALLOWED_HOSTS')`, `env.str('REDIS_URL', default)`.
 * A variable that is missing without a default, or that does not parse, fails at start-up with
 * ImproperlyConfigured naming the variable — never a silently wrong value (`DEBUG=no` is false).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImproperlyConfigured } from '../http/errors';

/** Where variables come from: `process.env`, or any plain object (tests). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);
const INTEGER = /^-?\d+$/;

/**
 * Reads and converts environment variables.
 * @example
 * const env = new EnvReader({ DEBUG: 'yes', ALLOWED_HOSTS: 'example.com, www.example.com' });
 * env.bool('DEBUG');                              // true
 * env.list('ALLOWED_HOSTS');                      // ['example.com', 'www.example.com']
 * env.str('REDIS_URL', 'redis://localhost:6379'); // the default
 */
export class EnvReader {
  /** `source` omitted: `process.env` as it is when a variable is read (a test may replace the object). */
  constructor(private readonly source?: EnvSource) {}

  private get vars(): EnvSource {
    return this.source ?? process.env;
  }

  /** Whether the variable is set (to anything, even empty). */
  has(name: string): boolean {
    return this.vars[name] !== undefined;
  }

  /** The variable as it is; the default when unset; ImproperlyConfigured when unset without one. */
  str(name: string, fallback?: string): string {
    const value = this.vars[name];
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    throw new ImproperlyConfigured(`Set the ${name} environment variable.`);
  }

  /** `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`/empty, in any case. */
  bool(name: string, fallback?: boolean): boolean {
    const value = this.vars[name];
    if (value === undefined) return this.missing(name, fallback);
    const word = value.trim().toLowerCase();
    if (TRUE.has(word)) return true;
    if (FALSE.has(word)) return false;
    throw new ImproperlyConfigured(`The ${name} environment variable must be true or false (or 1/0, yes/no, on/off), not '${value}'.`);
  }

  /** A whole number, e.g. `SECURE_HSTS_SECONDS=31536000`. */
  int(name: string, fallback?: number): number {
    const value = this.vars[name];
    if (value === undefined) return this.missing(name, fallback);
    const text = value.trim();
    if (!INTEGER.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new ImproperlyConfigured(`The ${name} environment variable must be a whole number, not '${value}'.`);
    }
    return Number(text);
  }

  /** A comma-separated list, items trimmed, empty items dropped: `a.com, b.com` is `['a.com', 'b.com']`. */
  list(name: string, fallback?: string[]): string[] {
    const value = this.vars[name];
    if (value === undefined) return this.missing(name, fallback);
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  private missing<T>(name: string, fallback: T | undefined): T {
    if (fallback !== undefined) return fallback;
    throw new ImproperlyConfigured(`Set the ${name} environment variable.`);
  }
}

/**
 * The reader of `process.env`.
 * @example const redisUrl = env.str('REDIS_URL', 'redis://127.0.0.1:6379');
 */
export const env = new EnvReader();

/**
 * Reads a `.env` file into `process.env` with the dotenv package (loaded only when called), without
 * overriding a variable the environment already has: the real environment wins, as with dotenv's
 * `config()`. A missing file is not an error (production sets real variables); returns whether
 * there was one.
 * @example
 * loadDotEnv();                  // ./.env, if any
 * loadDotEnv('/etc/mysite.env');
 */
export function loadDotEnv(path = '.env', target: Record<string, string | undefined> = process.env): boolean {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  // Lazy: an app that never calls this never loads dotenv.
  const dotenv: typeof import('dotenv') = require('dotenv');
  for (const [name, value] of Object.entries(dotenv.parse(text))) {
    if (target[name] === undefined) target[name] = value;
  }
  return true;
}
