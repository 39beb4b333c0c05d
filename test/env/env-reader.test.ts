/** The typed environment reader: conversions, defaults, and errors that name the variable. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvReader, ImproperlyConfigured, loadDotEnv } from '../../src';

describe('EnvReader', () => {
  const env = new EnvReader({ DEBUG: 'Yes', OFF: '0', EMPTY: '', HOSTS: ' a.com, ,b.com ', PORT: '8000', BAD_PORT: '80x', URL: 'redis://r:6379' });

  test('bool: true/1/yes/on and false/0/no/off/empty, any case', () => {
    expect([env.bool('DEBUG'), env.bool('OFF'), env.bool('EMPTY'), env.bool('UNSET', true)]).toEqual([true, false, false, true]);
    expect(() => new EnvReader({ DEBUG: 'maybe' }).bool('DEBUG')).toThrow(
      new ImproperlyConfigured("The DEBUG environment variable must be true or false (or 1/0, yes/no, on/off), not 'maybe'."),
    );
  });

  test('int: whole numbers only', () => {
    expect(env.int('PORT')).toBe(8000);
    expect(env.int('UNSET', 3)).toBe(3);
    expect(() => env.int('BAD_PORT')).toThrow(new ImproperlyConfigured("The BAD_PORT environment variable must be a whole number, not '80x'."));
  });

  test('list: comma-separated, trimmed, empty items dropped', () => {
    expect(env.list('HOSTS')).toEqual(['a.com', 'b.com']);
    expect(env.list('EMPTY')).toEqual([]);
    expect(env.list('UNSET', ['localhost'])).toEqual(['localhost']);
  });

  test('str: the value, the default, or an error naming the variable', () => {
    expect(env.str('URL', 'redis://localhost:6379')).toBe('redis://r:6379');
    expect(env.str('UNSET', 'fallback')).toBe('fallback');
    expect(env.str('EMPTY', 'fallback')).toBe('');
    expect(() => env.str('SECRET_KEY')).toThrow(new ImproperlyConfigured('Set the SECRET_KEY environment variable.'));
    expect(() => env.bool('UNSET')).toThrow(new ImproperlyConfigured('Set the UNSET environment variable.'));
  });
});

describe('loadDotEnv', () => {
  test('reads the file with dotenv; the real environment wins; a missing file is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nDEBUG=true\nSECRET_KEY="quoted value"\nALREADY=from-file\n');
    const target: Record<string, string | undefined> = { ALREADY: 'from-environment' };
    expect(loadDotEnv(file, target)).toBe(true);
    expect(target).toEqual({ ALREADY: 'from-environment', DEBUG: 'true', SECRET_KEY: 'quoted value' });
    expect(loadDotEnv(join(dir, 'missing.env'), target)).toBe(false);
  });
});
