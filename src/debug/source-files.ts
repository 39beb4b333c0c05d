/**
 * Where a compiled frame came from, and the lines around it: the debug page's own source-map
 * reader. An app built with `tsc` runs `dist/*.js` with a `.js.map` beside each file, and Node
 * prints those `.js` positions unless started with `--enable-source-maps`; the page maps each
 * frame back to its `.ts` file, line and column itself, with Node's own decoder
 * (`module.SourceMap`, https://nodejs.org/api/module.html#class-modulesourcemap). A stack that is
 * already TypeScript (jest, ts-node, `--enable-source-maps`) is read as it is.
 *
 * Used only while a debug error page is rendered: one `SourceFiles` per page, so nothing is kept
 * between errors.
 */
import { readFileSync } from 'node:fs';
import { findSourceMap, SourceMap } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A position in a source file, 1-based as stack traces and editors print it. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A frame's line with the lines around it (Django's `pre_context` / `context_line` / `post_context`). */
export interface SourceContext {
  /** The line number of `pre[0]` (Django's `pre_context_lineno`). */
  readonly preStart: number;
  readonly pre: readonly string[];
  readonly line: string;
  readonly post: readonly string[];
}

/** How many lines the page shows before and after a frame's line (Django shows 7; a screen holds fewer). */
export const CONTEXT_LINES = 5;

/** `//# sourceMappingURL=...` ending the file (ECMA-426, the source map format, "Linking generated code"). */
const MAPPING_URL = /\/\/[#@] sourceMappingURL=([^\s'"]+)\s*$/;

interface LoadedMap {
  readonly map: SourceMap;
  /** Where the map's relative `sources` are resolved from. */
  readonly base: string;
}

/** The source maps and source texts one error page reads, each read once. */
export class SourceFiles {
  private readonly maps = new Map<string, LoadedMap | null>();
  private readonly texts = new Map<string, string[] | null>();

  /**
   * The TypeScript (or other original) position of a position in a compiled `.js` file, when
   * the file has a source map; else the position as given.
   * @example files.original({ file: '/app/dist/polls.js', line: 20, column: 11 }).file // '/app/src/polls.ts'
   */
  original(position: SourcePosition): SourcePosition {
    if (!/\.[cm]?js$/.test(position.file)) return position;
    const loaded = this.mapOf(position.file);
    if (loaded === null) return position;
    const entry = loaded.map.findEntry(position.line - 1, position.column - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return position;
    const file = this.sourcePath(loaded, entry.originalSource);
    const content = this.embeddedContent(loaded, entry.originalSource);
    if (content !== null && !this.texts.has(file)) this.texts.set(file, content.split(/\r?\n/));
    return { file, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  /**
   * The lines around `position` in its file, or null when the file cannot be read (a Node
   * internal, a file deleted since) or is shorter than the position.
   */
  context(position: SourcePosition, around = CONTEXT_LINES): SourceContext | null {
    const lines = this.linesOf(position.file);
    if (lines === null || position.line < 1 || position.line > lines.length) return null;
    const index = position.line - 1;
    const first = Math.max(0, index - around);
    return {
      preStart: first + 1,
      pre: lines.slice(first, index).map(shortened),
      line: shortened(lines[index]),
      post: lines.slice(index + 1, index + 1 + around).map(shortened),
    };
  }

  private linesOf(file: string): string[] | null {
    let lines = this.texts.get(file);
    if (lines === undefined) {
      lines = file.startsWith('node:') ? null : readText(file)?.split(/\r?\n/) ?? null;
      this.texts.set(file, lines);
    }
    return lines;
  }

  private mapOf(file: string): LoadedMap | null {
    let loaded = this.maps.get(file);
    if (loaded === undefined) {
      loaded = loadMap(file);
      this.maps.set(file, loaded);
    }
    return loaded;
  }

  private sourcePath(loaded: LoadedMap, source: string): string {
    if (source.startsWith('file://')) return fileURLToPath(source);
    if (isAbsolute(source)) return source;
    const root = typeof loaded.map.payload.sourceRoot === 'string' ? loaded.map.payload.sourceRoot : '';
    return resolve(loaded.base, root, source);
  }

  /** The map's `sourcesContent` for `source` (tsc's `inlineSources`), else null. */
  private embeddedContent(loaded: LoadedMap, source: string): string | null {
    const { sources, sourcesContent } = loaded.map.payload as { sources: string[]; sourcesContent?: (string | null)[] };
    const content = sourcesContent?.[sources.indexOf(source)];
    return typeof content === 'string' ? content : null;
  }
}

/**
 * A `.js` file's source map: Node's own when it loaded one (`--enable-source-maps`), else the
 * file's `sourceMappingURL` (a `.js.map` beside it, as `tsc` writes, or an inline `data:` URL).
 */
function loadMap(file: string): LoadedMap | null {
  const known = findSourceMap(file);
  if (known !== undefined) return { map: known, base: dirname(file) };
  const text = readText(file);
  const url = text === null ? null : MAPPING_URL.exec(text.trimEnd());
  if (url === null || url === undefined) return null;
  try {
    const reference = url[1];
    if (reference.startsWith('data:')) {
      const comma = reference.indexOf(',');
      const data = reference.slice(comma + 1);
      const json = reference.slice(0, comma).endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
      return { map: new SourceMap(JSON.parse(json)), base: dirname(file) };
    }
    const mapFile = resolve(dirname(file), decodeURIComponent(reference));
    const json = readText(mapFile);
    return json === null ? null : { map: new SourceMap(JSON.parse(json)), base: dirname(mapFile) };
  } catch {
    // A map that is not JSON, or not a source map: the frame keeps its compiled position.
    return null;
  }
}

/** Longest line shown whole: a minified bundle without a map is one line of megabytes. */
const MAX_LINE = 400;

function shortened(line: string): string {
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} more characters)`;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
