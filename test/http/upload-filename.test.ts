import { SuspiciousFileOperation } from '../../src/http/errors';
import { MAX_FILE_NAME_LENGTH, normalizeUploadedFileName, sanitizeFileName } from '../../src/http/upload-filename';

// After Django's tests/file_uploads/tests.py (test_filename_traversal_upload,
// test_sanitize_file_name, test_unicode_file_name_rfc2231, test_filename_overflow).

describe('sanitizeFileName (MultiPartParser.sanitize_file_name)', () => {
  test.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['/etc/passwd', 'passwd'],
    ['..\\..\\x.txt', 'x.txt'],
    ['C:\\Windows\\evil.exe', 'evil.exe'],
    ['mixed/dir\\name.txt', 'name.txt'],
    // HTML entities are unescaped before splitting, so an escaped slash still splits.
    ['&#x2F;etc&#x2F;passwd', 'passwd'],
    ['&#X2f;etc&#X2F;shadow', 'shadow'],
    ['..&#47;..&#47;a.txt', 'a.txt'],
    ['..&#x5C;b.txt', 'b.txt'],
    ['..&#92;c.txt', 'c.txt'],
    ['..&sol;d.txt', 'd.txt'],
    ['..&bsol;e.txt', 'e.txt'],
    ['&#47f.txt', 'f.txt'], // html.unescape accepts a numeric reference without ';'
    ['AT&amp;T.txt', 'AT&T.txt'],
    ['a&unknown;b.txt', 'a&unknown;b.txt'],
    ['fish &#0; chips.txt', 'fish \ufffd chips.txt'],
    // Non-printable characters (Python's str.isprintable) go; the ASCII space stays.
    ['\x00evil.txt', 'evil.txt'],
    ['ev\x07il\x1b.t\x7fxt', 'evil.txt'],
    ['zero\u200bwidth.txt', 'zerowidth.txt'],
    ['line\u2028sep.txt', 'linesep.txt'],
    ['no\u00a0break.txt', 'nobreak.txt'],
    ['two words.txt', 'two words.txt'],
    ['  padded.txt \t', 'padded.txt'],
    ['Grüße €.txt', 'Grüße €.txt'],
    ['...hidden', '...hidden'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  test.each([[''], ['   '], ['.'], ['..'], ['a/..'], ['a\\.'], ['dir/'], ['&#46;&#46;'], ['&period;'], ['\x00\x01'], ['\t']])(
    '%j leaves no name: null',
    (raw) => {
      expect(sanitizeFileName(raw)).toBeNull();
    },
  );
});

describe('normalizeUploadedFileName (UploadedFile._set_name)', () => {
  test('keeps a short name as it is', () => {
    expect(normalizeUploadedFileName('a.txt')).toBe('a.txt');
  });

  test('keeps only the base name', () => {
    expect(normalizeUploadedFileName('/tmp/x/a.txt')).toBe('a.txt');
    expect(normalizeUploadedFileName('c:\\x\\a.txt')).toBe('a.txt');
  });

  test('cuts a long name to 255 characters keeping the extension', () => {
    const name = normalizeUploadedFileName(`${'a'.repeat(300)}.txt`);
    expect(MAX_FILE_NAME_LENGTH).toBe(255);
    expect(name).toBe(`${'a'.repeat(251)}.txt`);
  });

  test('a 255-character name is left alone, 256 is cut', () => {
    expect(normalizeUploadedFileName(`${'b'.repeat(251)}.txt`)).toBe(`${'b'.repeat(251)}.txt`);
    expect(normalizeUploadedFileName(`${'b'.repeat(252)}.txt`)).toBe(`${'b'.repeat(251)}.txt`);
  });

  test('an extension longer than 255 is itself cut (Django: ext = ext[:255])', () => {
    expect(normalizeUploadedFileName(`a.${'x'.repeat(300)}`)).toBe(`.${'x'.repeat(254)}`);
  });

  test('counts code points, as Python does, and never splits a surrogate pair', () => {
    const name = normalizeUploadedFileName(`${'😀'.repeat(300)}.png`);
    expect(Array.from(name)).toHaveLength(255);
    expect(name).toBe(`${'😀'.repeat(251)}.png`);
  });

  test('leading dots do not start an extension (os.path.splitext)', () => {
    expect(normalizeUploadedFileName(`.${'z'.repeat(300)}`)).toBe(`.${'z'.repeat(254)}`);
  });

  test.each([[''], ['.'], ['..'], ['dir/'], ['a/..']])('%j is refused with SuspiciousFileOperation', (name) => {
    expect(() => normalizeUploadedFileName(name)).toThrow(SuspiciousFileOperation);
    expect(() => normalizeUploadedFileName(name)).toThrow(`Could not derive file name from '${name}'`);
  });
});
