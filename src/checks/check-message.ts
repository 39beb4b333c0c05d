/**
 * One finding of a system check (Django's django/core/checks/messages.py): a level, a stable id
 * such as `security.W004`, a message, an optional hint, and the object it is about.
 */

/**
 * Django's levels: a check at ERROR or above stops the app from starting.
 * @example new CheckMessage(CheckLevel.ERROR, 'myapp.E001', 'Something is wrong.').isSerious // true
 */
export const CheckLevel = Object.freeze({ DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 });
export type CheckLevel = (typeof CheckLevel)[keyof typeof CheckLevel];

/**
 * A system check's finding.
 * @example new CheckMessage(CheckLevel.WARNING, 'security.W018', 'You should not have debug set to true in deployment.')
 */
export class CheckMessage {
  constructor(
    readonly level: CheckLevel,
    /** Stable across versions, so it can be looked up and silenced: `security.W004`, `reinhardt.E001`. */
    readonly id: string,
    readonly message: string,
    readonly hint: string | null = null,
    /** What the finding is about, e.g. `PollController.detail`; null for the settings as a whole. */
    readonly obj: string | null = null,
  ) {}

  /** ERROR and CRITICAL stop the app; Django's `is_serious()`. */
  get isSerious(): boolean {
    return this.level >= CheckLevel.ERROR;
  }

  /** Django's `str(message)`: `obj: (id) message`, then a tab-indented `HINT:` line. */
  toString(): string {
    const hint = this.hint === null ? '' : `\n\tHINT: ${this.hint}`;
    return `${this.obj ?? '?'}: (${this.id}) ${this.message}${hint}`;
  }
}

/**
 * An error finding (stops the app at start).
 * @example checkError('reinhardt.E005', "The templatesDir folder '/srv/tpl' does not exist.", 'Create it or set templatesDir to null.')
 */
export function checkError(id: string, message: string, hint: string | null = null, obj: string | null = null): CheckMessage {
  return new CheckMessage(CheckLevel.ERROR, id, message, hint, obj);
}

/**
 * A warning finding (logged at start, listed by `reinhardt check`).
 * @example checkWarning('security.W020', 'allowedHosts must not be empty in deployment.')
 */
export function checkWarning(id: string, message: string, hint: string | null = null, obj: string | null = null): CheckMessage {
  return new CheckMessage(CheckLevel.WARNING, id, message, hint, obj);
}
