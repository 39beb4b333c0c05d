/**
 * The frames of a V8 stack trace (`error.stack`), parsed from its text: the only form the debug
 * page can count on, since the stack was usually printed (and so formatted) by the error log
 * before the page is rendered. The line formats are V8's (v8.dev/docs/stack-trace-api):
 * `at fn (file:line:col)`, `at file:line:col`, `at async fn (...)`, `at new Foo (...)`,
 * `at fn (native)`, `at eval (eval at <anonymous> (file:1:1), <anonymous>:1:1)`.
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One `at ...` line of a stack trace. */
export interface StackLine {
  /** `PollController.detail`, `async runRoute`, `new Session`; `<anonymous>` for a top-level call. */
  readonly functionName: string;
  /** An absolute path (a `file:` URL is converted), `node:internal/...`, or null (native, eval). */
  readonly file: string | null;
  /** 1-based, as V8 prints them; 0 when the frame has no position. */
  readonly line: number;
  readonly column: number;
}

const AT = /^\s+at (.*)$/;
const LOCATION = /^(.*):(\d+):(\d+)$/;

/**
 * The `at` lines of `stack`, innermost first (V8's order). The lines before the first `at`
 * (the error's name and message, which may span lines) are not frames and are skipped.
 * @example parseStackLines('Error: x\n    at detail (/app/polls.ts:12:11)')[0].line // 12
 */
export function parseStackLines(stack: string): StackLine[] {
  const frames: StackLine[] = [];
  for (const text of stack.split('\n')) {
    const at = AT.exec(text);
    if (at !== null) frames.push(parseAt(at[1]));
  }
  return frames;
}

function parseAt(rest: string): StackLine {
  // `fn (location)`: the first ` (` splits them, since a location may itself hold parentheses
  // (an eval's `eval at <anonymous> (file:1:1), <anonymous>:1:1`); a bare location has none.
  const open = rest.endsWith(')') ? rest.indexOf(' (') : -1;
  const functionName = open === -1 ? '<anonymous>' : rest.slice(0, open);
  const location = open === -1 ? rest : rest.slice(open + 2, -1);
  const position = location.startsWith('eval at ') ? null : LOCATION.exec(location);
  if (position === null) return { functionName, file: null, line: 0, column: 0 };
  return { functionName, file: filePath(position[1]), line: Number(position[2]), column: Number(position[3]) };
}

/** ES modules print `file:///app/x.js`; everything else a path (or `node:internal/...`). */
function filePath(location: string): string {
  if (!location.startsWith('file://')) return location;
  try {
    return fileURLToPath(location);
  } catch {
    return location;
  }
}

/**
 * The folders of Reinhardt's own code: `src/` and `decorators/` beside this package's root,
 * whether it runs from its TypeScript sources or from `dist/` (where `dist/sample-app/` stays an
 * app). Django's technical 500 tells its own frames from the user's the same way (by module).
 */
const FRAMEWORK_FOLDERS = [`${frameworkRoot()}${sep}src${sep}`, `${frameworkRoot()}${sep}decorators${sep}`];

function frameworkRoot(): string {
  // This file is <root>/src/debug/stack-frames.(ts|js).
  const parts = __dirname.split(sep);
  return parts.slice(0, -2).join(sep);
}

/**
 * Whether a frame is library code, shown collapsed on the page (Django's `django` frames as
 * against `user` ones): Node's internals, a native or eval frame, a dependency under
 * `node_modules`, or Reinhardt itself.
 * @example isLibraryFile('node:internal/process/task_queues') // true
 */
export function isLibraryFile(file: string | null): boolean {
  if (file === null || file.startsWith('node:') || !file.includes(sep)) return true;
  if (file.includes(`${sep}node_modules${sep}`)) return true;
  return FRAMEWORK_FOLDERS.some((folder) => file.startsWith(folder));
}
