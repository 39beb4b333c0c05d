/**
 * `error.stack` with each frame's position mapped back to its source (`.ts`) through the source
 * maps the technical 500 reads (src/debug/source-files.ts): what the debug JSON 500 sends a
 * client that prefers JSON, so an API client sees the same file and line as the HTML page.
 */
import { fileURLToPath } from 'node:url';
import { SourceFiles } from './source-files';

/**
 * An `at` line whose location ends it: `at fn (file:line:col)` or `at file:line:col`. The file
 * is what follows the last ` (` (or `at `); an eval's nested location yields no real file, so
 * no map, and the line is kept as it is.
 */
const FRAME = /^(\s+at (?:.* \()?)(.+):(\d+):(\d+)(\)?)$/;

/**
 * `stack` with the position of every frame that has a source map replaced by its original
 * file, line and column; every other line (the message, native frames, frames without a map)
 * is kept as V8 printed it.
 * @example
 * mappedStack('Error: x\n    at load (/app/dist/poll.js:20:11)')
 * // 'Error: x\n    at load (/app/src/poll.ts:4:11)'
 */
export function mappedStack(stack: string, files = new SourceFiles()): string {
  return stack
    .split('\n')
    .map((text) => {
      const frame = FRAME.exec(text);
      if (frame === null) return text;
      const [, before, location, line, column, after] = frame;
      const file = location.startsWith('file://') ? pathOf(location) : location;
      const original = files.original({ file, line: Number(line), column: Number(column) });
      if (original.file === file) return text;
      return `${before}${original.file}:${original.line}:${original.column}${after}`;
    })
    .join('\n');
}

function pathOf(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
