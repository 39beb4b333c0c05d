/**
 * The kind of value each setting holds, for the code that must know it without a value in hand:
 * the settings system checks (reinhardt.E001–E004) and `settingsFromEnv()`, which turns the text
 * of an environment variable into that kind. Settings not listed take the kind of their default,
 * so a new boolean, number, string or list setting needs no entry here.
 */
import { DEFAULT_SETTINGS, type Settings } from './settings';

/** `json`: anything else (an object such as a policy map): its own module validates it. */
export type SettingKind = 'boolean' | 'integer' | 'nullable-integer' | 'string' | 'nullable-string' | 'string-list' | 'pair' | 'json';

/** Settings whose default (null) does not tell their kind. */
const DECLARED: Partial<Record<keyof Settings, SettingKind>> = {
  templatesDir: 'nullable-string',
  fileUploadTempDir: 'nullable-string',
  staticRoot: 'nullable-string',
  sessionCookieDomain: 'nullable-string',
  csrfCookieDomain: 'nullable-string',
  secureSslHost: 'nullable-string',
  secureReferrerPolicy: 'nullable-string',
  xFrameOptions: 'nullable-string',
  secureCrossOriginOpenerPolicy: 'nullable-string',
  sessionCookieSameSite: 'nullable-string',
  csrfCookieSameSite: 'nullable-string',
  dataUploadMaxMemorySize: 'nullable-integer',
  dataUploadMaxNumberFields: 'nullable-integer',
  dataUploadMaxNumberFiles: 'nullable-integer',
  maxUploadSize: 'nullable-integer',
  csrfCookieAge: 'nullable-integer',
  secureProxySslHeader: 'pair',
  rateLimitIpMetaKey: 'nullable-string',
};

/**
 * The kind of a setting's value.
 * @example settingKind('sessionCookieAge') // 'integer'
 */
export function settingKind(key: string): SettingKind {
  const declared = DECLARED[key as keyof Settings];
  if (declared !== undefined) return declared;
  const value: unknown = (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[key];
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'integer';
  if (Array.isArray(value)) return 'string-list';
  return typeof value === 'string' ? 'string' : 'json';
}
