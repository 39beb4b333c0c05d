/**
 * An exception's traceback as the technical 500 shows it (Django's
 * `ExceptionReporter.get_traceback_frames`, django/views/debug.py): each frame mapped to its
 * source, with the lines around it and whether it is the app's code or a library's; the chain of
 * `cause`s first, outermost exception last, as Python prints "The above exception was the direct
 * cause of the following exception".
 */
import { isLibraryFile, parseStackLines } from './stack-frames';
import { SourceFiles, type SourceContext } from './source-files';

/** One frame on the page. */
export interface TracebackFrame {
  readonly functionName: string;
  /** The source file (`.ts` when a map leads there), or null for a native or eval frame. */
  readonly file: string | null;
  readonly line: number;
  readonly column: number;
  /** Node internals, dependencies and Reinhardt itself: shown collapsed (Django's `django` frames). */
  readonly library: boolean;
  readonly context: SourceContext | null;
}

/** One exception of the chain, with its own frames. */
export interface TracebackException {
  /** `TypeError`, `Http404`, or `typeof` a thrown non-Error (`string`). */
  readonly type: string;
  readonly message: string;
  readonly frames: readonly TracebackFrame[];
}

/** Python stops at a cycle; so do we, and at a depth no real chain reaches. */
const MAX_CHAIN = 20;

/**
 * The exceptions of `error`'s `cause` chain, the innermost cause first and `error` itself last
 * (Django's order), each with its frames outermost call first (Python's "most recent call last").
 * @example traceback(new Error('boom')).at(-1)?.frames.at(-1)?.file // the file that threw
 */
export function traceback(error: unknown, files = new SourceFiles()): TracebackException[] {
  const chain: unknown[] = [];
  for (let current: unknown = error; current !== undefined && current !== null && chain.length < MAX_CHAIN; current = causeOf(current)) {
    if (chain.includes(current)) break;
    chain.push(current);
  }
  return chain.reverse().map((exception) => describeException(exception, files));
}

function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

function describeException(error: unknown, files: SourceFiles): TracebackException {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), frames: [] };
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const frames = parseStackLines(stack)
    .reverse()
    .map((frame): TracebackFrame => {
      if (frame.file === null || frame.line === 0) {
        return { functionName: frame.functionName, file: frame.file, line: frame.line, column: frame.column, library: true, context: null };
      }
      const position = files.original({ file: frame.file, line: frame.line, column: frame.column });
      return {
        functionName: frame.functionName,
        file: position.file,
        line: position.line,
        column: position.column,
        library: isLibraryFile(frame.file) || isLibraryFile(position.file),
        context: files.context(position),
      };
    });
  return { type: exceptionType(error), message: error.message, frames };
}

/**
 * The exception's type as the page names it: its `name` (`TypeError`, `Http404`, or
 * `Template render error` for Nunjucks), or its class when `name` was left as `Error`.
 */
export function exceptionType(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const constructorName = error.constructor?.name;
  return error.name === 'Error' && constructorName && constructorName !== 'Error' ? constructorName : error.name;
}

/**
 * The innermost frame of the app's own code, else the innermost frame at all: where the page says
 * the exception happened (Django's "Exception Location", its `lastframe`).
 */
export function exceptionLocation(exception: TracebackException): TracebackFrame | null {
  const frames = exception.frames;
  for (let i = frames.length - 1; i >= 0; i--) if (!frames[i].library && frames[i].file !== null) return frames[i];
  return frames.length === 0 ? null : frames[frames.length - 1];
}
