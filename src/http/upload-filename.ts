/**
 * Upload file names: what a client sends in `Content-Disposition: form-data; filename=...` is
 * untrusted text. Django cleans it twice, and so do we:
 * - `MultiPartParser.sanitize_file_name` (django/http/multipartparser.py) when the part is read:
 *   HTML entities unescaped, everything up to the last `/` or `\` dropped, non-printable characters
 *   removed, `.` and `..` refused;
 * - `UploadedFile._set_name` (django/core/files/uploadedfile.py) whenever a name is set: base name
 *   only, cut to 255 characters keeping the extension, then `validate_file_name`.
 */
import { SuspiciousFileOperation } from './errors';

/** Longest file name most file systems accept (Django's 255 in `_set_name`). */
export const MAX_FILE_NAME_LENGTH = 255;

// Python's html.unescape pattern: numeric references may omit the ';' and so may named ones.
const HTML_REFERENCE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)/g;

// The named references that spell a path separator, a dot or markup characters. Django unescapes
// the whole HTML5 table; only these can change how a name is split, so only these are decoded
// here (an unknown reference is kept as written, as html.unescape does).
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  bsol: '\\',
  period: '.',
  colon: ':',
  nbsp: '\u00a0',
};

// Python's str.isprintable() is false for the Unicode categories "Other" (C*) and "Separator"
// (Z*), except the ASCII space.
const NON_PRINTABLE = /(?! )[\p{C}\p{Z}]/gu;

/** Python's `html.unescape`, limited to numeric references and {@link NAMED_REFERENCES}. */
function unescapeHtml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(HTML_REFERENCE, (whole: string, ref: string) => {
    if (ref[0] === '#') {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const code = parseInt(ref.slice(hex ? 2 : 1).replace(';', ''), hex ? 16 : 10);
      // html.unescape turns NUL, surrogates and out-of-range code points into U+FFFD.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_REFERENCES[ref.replace(';', '')];
    return named === undefined ? whole : named;
  });
}

/**
 * Clean a file name from a multipart part (Django's `MultiPartParser.sanitize_file_name`), then
 * trim it. Returns `null` when nothing usable is left: the part is then dropped from `FILES`.
 * @example sanitizeFileName('&#x2F;etc&#x2F;passwd') // 'passwd'
 * @example sanitizeFileName('..') // null
 */
export function sanitizeFileName(raw: string): string | null {
  let name = unescapeHtml(raw);
  name = name.slice(name.lastIndexOf('/') + 1);
  name = name.slice(name.lastIndexOf('\\') + 1);
  // Django keeps surrounding blanks; a name made only of blanks is no name, so trim as well.
  name = name.replace(NON_PRINTABLE, '').trim();
  if (name === '' || name === '.' || name === '..') return null;
  return name;
}

/** Python's `os.path.splitext` on a base name: leading dots do not start an extension. */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  for (let i = 0; i < dot; i++) {
    if (name[i] !== '.') return [name.slice(0, dot), name.slice(dot)];
  }
  return [name, ''];
}

/**
 * Django's `UploadedFile._set_name`: keep the base name, cut names longer than 255 characters
 * (code points, as Python counts them) while keeping the extension, and refuse names that are
 * empty, `.` or `..` (`validate_file_name`) with `SuspiciousFileOperation`.
 * @example normalizeUploadedFileName('x'.repeat(300) + '.txt').length // 255, ends with '.txt'
 */
export function normalizeUploadedFileName(name: string): string {
  let base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const codePoints = Array.from(base);
  if (codePoints.length > MAX_FILE_NAME_LENGTH) {
    const [stem, extension] = splitExtension(base);
    const ext = Array.from(extension).slice(0, MAX_FILE_NAME_LENGTH);
    base = Array.from(stem).slice(0, MAX_FILE_NAME_LENGTH - ext.length).join('') + ext.join('');
  }
  if (base === '' || base === '.' || base === '..') {
    throw new SuspiciousFileOperation(`Could not derive file name from '${name}'`);
  }
  return base;
}
