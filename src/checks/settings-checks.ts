/**
 * Checks of setting values that `resolveSettings` lets through but that fail later, far from the
 * mistake: `sessionCookieAge: '2 weeks'` makes every session save fail, `debug: 'yes'` is truthy
 * but not a boolean, a `templatesDir` that does not exist fails at the first `render()`, and a
 * `csrfTrustedOrigins` entry without a scheme never matches an Origin header (Django 4.0's
 * 4_0.E001, django/core/checks/compatibility/django_4_0.py). Errors: the app does not start.
 */
import { statSync } from 'node:fs';
import { DEFAULT_SETTINGS } from '../core/settings';
import { settingKind } from '../core/setting-kinds';
import { checkError, type CheckMessage } from './check-message';
import { registerCheck, type CheckTarget } from './check-registry';

/** A value as the user wrote it: strings quoted, so `'2 weeks'` reads as the string it is. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function defaultOf(key: string): string {
  return shown((DEFAULT_SETTINGS as unknown as Record<string, unknown>)[key]);
}

function typeProblem(key: string, value: unknown): CheckMessage | null {
  // nullable-integer and pair settings are checked by resolveSettings itself.
  switch (settingKind(key)) {
    case 'boolean':
      return typeof value === 'boolean'
        ? null
        : checkError('reinhardt.E001', `The ${key} setting must be a boolean, not ${shown(value)}.`, `Write ${key}: true or ${key}: false; from the environment, read it with env.bool().`);
    case 'integer':
      return Number.isInteger(value) && (value as number) >= 0
        ? null
        : checkError('reinhardt.E002', `The ${key} setting must be a non-negative integer, not ${shown(value)}.`, `The default is ${defaultOf(key)}; from the environment, read it with env.int().`);
    case 'string':
      return typeof value === 'string' ? null : checkError('reinhardt.E003', `The ${key} setting must be a string, not ${shown(value)}.`, `The default is ${defaultOf(key)}.`);
    case 'nullable-string':
      return value === null || typeof value === 'string'
        ? null
        : checkError('reinhardt.E003', `The ${key} setting must be a string or null, not ${shown(value)}.`, `The default is ${defaultOf(key)}.`);
    case 'string-list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? null
        : checkError('reinhardt.E004', `The ${key} setting must be a list of strings, not ${shown(value)}.`, `From the environment, read a comma-separated list with env.list().`);
    default:
      return null;
  }
}

/** reinhardt.E001–E004: every setting has the type of its default. */
export function checkSettingTypes(target: CheckTarget): CheckMessage[] {
  const settings = target.settings as unknown as Record<string, unknown>;
  const found: CheckMessage[] = [];
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    const problem = typeProblem(key, settings[key]);
    if (problem !== null) found.push(problem);
  }
  return found;
}

/** reinhardt.E005: `templatesDir` names a folder that exists (render() and the error pages read it). */
export function checkTemplatesDir(target: CheckTarget): CheckMessage[] {
  const dir = target.settings.templatesDir;
  if (typeof dir !== 'string') return [];
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    isFolder = false;
  }
  return isFolder
    ? []
    : [
        checkError(
          'reinhardt.E005',
          `The templatesDir setting names a folder that does not exist: '${dir}'.`,
          'Create the folder, fix the path (a relative path is taken from the working directory), or set templatesDir to null.',
        ),
      ];
}

/**
 * reinhardt.E006: each `csrfTrustedOrigins` entry starts with a scheme. The CSRF middleware compares
 * them with the Origin header, which always carries one, so `example.com` would never match
 * (Django 4.0 made this the error 4_0.E001).
 */
export function checkCsrfTrustedOrigins(target: CheckTarget): CheckMessage[] {
  const origins = target.settings.csrfTrustedOrigins;
  if (!Array.isArray(origins)) return [];
  const bad = origins.filter((origin) => typeof origin === 'string' && !origin.includes('://'));
  return bad.length === 0
    ? []
    : [
        checkError(
          'reinhardt.E006',
          `The values in the csrfTrustedOrigins setting must start with a scheme (usually http:// or https://) but found ${bad.map(shown).join(', ')}.`,
          `Write the origin as the browser sends it, e.g. 'https://${bad[0]}'.`,
        ),
      ];
}

registerCheck(checkSettingTypes);
registerCheck(checkTemplatesDir);
registerCheck(checkCsrfTrustedOrigins);
