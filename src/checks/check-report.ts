import { ImproperlyConfigured } from '../http/errors';
import { CheckLevel, type CheckMessage } from './check-message';

/** Django's groups, most serious first (django/core/management/base.py, `BaseCommand.check`). */
const GROUPS: readonly [string, (level: number) => boolean][] = [
  ['CRITICALS', (level) => level >= CheckLevel.CRITICAL],
  ['ERRORS', (level) => level >= CheckLevel.ERROR && level < CheckLevel.CRITICAL],
  ['WARNINGS', (level) => level >= CheckLevel.WARNING && level < CheckLevel.ERROR],
  ['INFOS', (level) => level >= CheckLevel.INFO && level < CheckLevel.WARNING],
  ['DEBUGS', (level) => level < CheckLevel.INFO],
];

/**
 * The report `manage.py check` prints, byte for byte in Django's layout:
 *
 *     System check identified some issues:
 *
 *     WARNINGS:
 *     ?: (security.W004) You have not set a value for the secureHstsSeconds setting. ...
 *
 *     System check identified 1 issue (0 silenced).
 *
 * @example formatCheckReport([]) // 'System check identified no issues (0 silenced).'
 */
export function formatCheckReport(messages: readonly CheckMessage[]): string {
  let body = '';
  for (const [group, inGroup] of GROUPS) {
    const lines = messages.filter((m) => inGroup(m.level)).map(String).sort();
    if (lines.length > 0) body += `\n${group}:\n${lines.join('\n')}\n`;
  }
  const count = messages.length;
  const header = count > 0 ? 'System check identified some issues:\n' : '';
  const issues = count === 0 ? 'no issues' : count === 1 ? '1 issue' : `${count} issues`;
  const footer = `${count > 0 ? '\n' : ''}System check identified ${issues} (0 silenced).`;
  return header + body + footer;
}

/**
 * Thrown when a serious check fails: at start (createApp) and by `reinhardt check`. Its message
 * is Django's `SystemCheckError:` report, naming every problem with its id and hint.
 * @example
 * try { createApp({ controllers, settings: { sessionCookieAge: '2 weeks' as never } }); }
 * catch (error) { if (error instanceof SystemCheckError) console.error(error.message); }
 */
export class SystemCheckError extends ImproperlyConfigured {
  constructor(readonly messages: readonly CheckMessage[]) {
    super(`SystemCheckError: ${formatCheckReport(messages)}`);
  }
}
