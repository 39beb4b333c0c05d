/**
 * Messages as JSON, in Django's format (django/contrib/messages/storage/cookie.py MessageEncoder /
 * MessageDecoder), so a cookie or session written by one side reads on the other:
 *
 *   ["__json_message", isSafeData, level, message(, extraTags)]
 *
 * `isSafeData` is always 0 here (a Reinhardt message is plain text, escaped when printed); a 1
 * read from Django is kept as text and escaped too, never trusted as markup.
 */
import { Message } from './message';

const MESSAGE_KEY = '__json_message';

/**
 * Python's `json.dumps(obj, separators=(',', ':'))`: compact and ensure_ascii (every character
 * past '~' written `\uXXXX`), byte for byte what Django writes and signs.
 */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One message as Django's MessageEncoder writes it. */
export function encodeMessage(message: Message): string {
  const parts: unknown[] = [MESSAGE_KEY, 0, message.level, message.message];
  if (message.extraTags !== null) parts.push(message.extraTags);
  return pythonJson(parts);
}

/** A list of messages as one JSON array (what SessionStorage keeps in the session). */
export function encodeMessages(messages: readonly Message[]): string {
  return `[${messages.map(encodeMessage).join(',')}]`;
}

/**
 * Django's MessageDecoder.process_messages on parsed JSON: every `["__json_message", ...]` list
 * becomes a Message (with the level's tag from `tags`), anything else is kept as it is — e.g. the
 * cookie storage's "not finished" marker string.
 */
export function reviveMessages(value: unknown, tags: ReadonlyMap<number, string>): unknown {
  if (Array.isArray(value) && value.length > 0) {
    if (value[0] === MESSAGE_KEY) return reviveOne(value, tags);
    return value.map((item) => reviveMessages(item, tags));
  }
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a "__proto__" key stays data, never a prototype.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reviveMessages(item, tags)]));
  }
  return value;
}

function reviveOne(parts: unknown[], tags: ReadonlyMap<number, string>): Message {
  const [, , level, text, extraTags] = parts;
  if (typeof level !== 'number' || typeof text !== 'string' || (extraTags !== undefined && typeof extraTags !== 'string' && extraTags !== null)) {
    // Signed data that is not a message list: a bug or a key shared with another use. Refuse it.
    throw new SyntaxError('Not a stored message');
  }
  return new Message(level, text, (extraTags as string | null | undefined) ?? null, tags.get(level) ?? '');
}
