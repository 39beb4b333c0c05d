/**
 * The technical 500 as plain text, for pasting into an issue or a chat (Django's "Switch to
 * copy-and-paste view": the `traceback_area` textarea of technical_500.html). Python's traceback
 * layout, with Node's names: `File "<path>", line N, in <function>` and the line itself.
 */
import type { TemplateDoesNotExist } from '../templates/template-does-not-exist';
import type { TracebackException } from './traceback';

/** What the text needs besides the traceback. */
export interface TracebackTextContext {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly reinhardtVersion: string;
  readonly missingTemplate: TemplateDoesNotExist | null;
}

/**
 * The text of the copy-and-paste view. Library frames are listed too (a bug report needs them),
 * each with its line when the source could be read.
 * @example tracebackText(traceback(error), { method: 'GET', url: 'http://testserver/', ... })
 */
export function tracebackText(chain: readonly TracebackException[], context: TracebackTextContext): string {
  const out: string[] = [
    'Environment:',
    '',
    '',
    `Request Method: ${context.method}`,
    `Request URL: ${context.url}`,
    '',
    `Reinhardt Version: ${context.reinhardtVersion}`,
    `Node Version: ${process.version}`,
    '',
  ];
  if (context.missingTemplate !== null) {
    out.push('Template loader postmortem', 'Reinhardt tried loading these templates, in this order:', '', 'Using engine nunjucks:');
    if (context.missingTemplate.tried.length === 0) out.push('    No template folders are configured (the templatesDir setting).');
    for (const attempt of context.missingTemplate.tried) out.push(`    * ${attempt.loader}: ${attempt.path} (${attempt.reason})`);
    out.push('');
  }
  out.push('', 'Traceback (most recent call last):');
  chain.forEach((exception, index) => {
    if (index > 0) {
      const cause = chain[index - 1];
      out.push('', `The above exception (${cause.message}) was the direct cause of the following exception:`, '');
    }
    for (const frame of exception.frames) {
      const where = frame.file === null ? '<native>' : frame.file;
      out.push(`  File "${where}"${frame.line > 0 ? `, line ${frame.line}` : ''}, in ${frame.functionName}`);
      if (frame.context !== null) out.push(`    ${frame.context.line.trim()}`);
    }
  });
  const last = chain[chain.length - 1];
  out.push('', '', `Exception Type: ${last.type} at ${context.path}`, `Exception Value: ${last.message}`, '');
  return out.join('\n');
}
