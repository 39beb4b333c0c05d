/**
 * The messages settings' start-up check, and the storage each `messageStorage` name makes
 * (Django's MESSAGE_STORAGE is a dotted path; ours names one of the three built-ins).
 */
import { ImproperlyConfigured } from '../http/errors';

/** The values the `messageStorage` setting accepts. */
export const MESSAGE_STORAGES = ['FallbackStorage', 'CookieStorage', 'SessionStorage'] as const;
export type MessageStorageName = (typeof MESSAGE_STORAGES)[number];

/** The settings this checks (settings.ts calls it, so it does not import Settings back). */
interface MessageSettings {
  messageStorage: unknown;
  messageLevel: unknown;
  messageTags: unknown;
}

/** Fails at start-up with the setting's name, never on a request. */
export function checkMessageSettings(settings: MessageSettings): void {
  if (!(MESSAGE_STORAGES as readonly unknown[]).includes(settings.messageStorage)) {
    throw new ImproperlyConfigured(`The messageStorage setting must be one of ${MESSAGE_STORAGES.map((n) => `'${n}'`).join(', ')}.`);
  }
  if (!Number.isInteger(settings.messageLevel)) {
    throw new ImproperlyConfigured('The messageLevel setting must be an integer such as 20 (INFO).');
  }
  const tags = settings.messageTags;
  const valid = tags !== null && typeof tags === 'object' && !Array.isArray(tags)
    && Object.entries(tags).every(([level, tag]) => /^-?\d+$/.test(level) && typeof tag === 'string');
  if (!valid) throw new ImproperlyConfigured("The messageTags setting must map integer levels to tags, such as { 40: 'danger' }.");
}
