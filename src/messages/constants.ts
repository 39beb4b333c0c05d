/**
 * Message levels and their CSS tags (Django's django/contrib/messages/constants.py and
 * utils.get_level_tags): the levels are integers, so an app may add its own between them.
 */
import type { Settings } from '../core/settings';

export const DEBUG = 10;
export const INFO = 20;
export const SUCCESS = 25;
export const WARNING = 30;
export const ERROR = 40;

/** Django's DEFAULT_TAGS: the tag each built-in level prints as (`class="{{ m.tags }}"`). */
export const DEFAULT_TAGS: Readonly<Record<number, string>> = Object.freeze({
  [DEBUG]: 'debug',
  [INFO]: 'info',
  [SUCCESS]: 'success',
  [WARNING]: 'warning',
  [ERROR]: 'error',
});

/** Django's DEFAULT_LEVELS, put in every template context as `DEFAULT_MESSAGE_LEVELS`. */
export const DEFAULT_LEVELS = Object.freeze({ DEBUG, INFO, SUCCESS, WARNING, ERROR });

/** One merged map per settings object: built on first use, never per message. */
const tagsBySettings = new WeakMap<Readonly<Settings>, ReadonlyMap<number, string>>();

/**
 * The tag of each level under `settings` (Django's `get_level_tags`): the defaults, overridden and
 * extended by the `messageTags` setting.
 * @example levelTags(resolveSettings({ debug: true, messageTags: { 40: 'danger' } })).get(40) // 'danger'
 */
export function levelTags(settings: Readonly<Settings>): ReadonlyMap<number, string> {
  let tags = tagsBySettings.get(settings);
  if (tags === undefined) {
    const merged = new Map<number, string>();
    for (const [level, tag] of Object.entries({ ...DEFAULT_TAGS, ...settings.messageTags })) merged.set(Number(level), tag);
    tags = merged;
    tagsBySettings.set(settings, tags);
  }
  return tags;
}
