/**
 * One message (Django's django/contrib/messages/storage/base.py `Message`): a level, the text and
 * extra tags. It prints as its text, so `{{ message }}` in a template shows it.
 */

/**
 * A stored message.
 * @example
 * for (const message of getMessages(request)) console.log(message.tags, String(message));
 */
export class Message {
  readonly level: number;
  readonly message: string;
  /** Space-separated tags of the app's own, or null (Django keeps `None` apart from ''). */
  readonly extraTags: string | null;
  /** The level's tag under the app's `messageTags`; given by the storage that made or read it. */
  readonly levelTag: string;

  constructor(level: number, message: string, extraTags: string | null = null, levelTag = '') {
    this.level = level;
    // Django's `_prepare`: lazy translation objects become text before they are serialized.
    this.message = String(message);
    this.extraTags = extraTags === null ? null : String(extraTags);
    this.levelTag = levelTag;
  }

  /** The extra tags, then the level's tag: what a template puts in `class="..."`. */
  get tags(): string {
    return [this.extraTags, this.levelTag].filter((tag) => tag !== null && tag !== '').join(' ');
  }

  /** Same level and text (Django's `__eq__`); the extra tags are not compared. */
  equals(other: unknown): boolean {
    return other instanceof Message && other.level === this.level && other.message === this.message;
  }

  toString(): string {
    return this.message;
  }
}
