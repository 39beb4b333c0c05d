import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileResponse } from '../../src/http/file-response';
import { guessContentType } from '../../src/http/guess-content-type';
import { StaticFileTable, variantResponse } from '../../src/staticfiles/static-file-table';

describe("guessContentType (Python's mimetypes.guess_type, then Django's FileResponse)", () => {
  it.each([
    ['report.pdf', 'application/pdf'],
    ['notes.TXT', 'text/plain'],
    ['views.py', 'text/x-python'],
    ['views.PY', 'text/x-python'],
    ['cache.pyc', 'application/x-python-code'],
    ['app.js', 'text/javascript'],
  ])('%s is %s', (name, type) => {
    expect(guessContentType(name)).toBe(type);
  });

  it.each([
    // CPython's encodings_map, as Django 4.2 serves them (ticket #34380).
    ['backup.tar.gz', 'application/gzip'],
    ['backup.tar.br', 'application/x-brotli'],
    ['backup.tar.bz2', 'application/x-bzip'],
    ['backup.tar.xz', 'application/x-xz'],
    ['backup.tar.Z', 'application/x-compress'],
    ['site.css.gz', 'application/gzip'],
    // CPython's suffix_map: these stand for a compressed tar.
    ['backup.tgz', 'application/gzip'],
    ['backup.TGZ', 'application/gzip'],
    ['backup.taz', 'application/gzip'],
    ['backup.tbz2', 'application/x-bzip'],
    ['backup.txz', 'application/x-xz'],
    ['drawing.svgz', 'application/gzip'],
  ])('the compressed %s is %s', (name, type) => {
    expect(guessContentType(name)).toBe(type);
  });

  it('encodings are matched case-sensitively, as CPython does: .z is no compression; .GZ is gzip by its type, not its encoding', () => {
    expect(guessContentType('backup.tar.z')).toBeUndefined();
    expect(guessContentType('backup.tar.GZ')).toBe('application/gzip');
  });

  it.each(['README', '.bashrc', 'dir.d/Makefile', '..', 'archive.unknownext'])('nothing is known of %j', (name) => {
    expect(guessContentType(name)).toBeUndefined();
  });
});

describe('static files agree with FileResponse', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reinhardt-guess-'));
    for (const name of ['backup.tar.gz', 'release.tgz', 'views.py', 'site.css', 'site.css.gz']) writeFileSync(join(dir, name), 'x'.repeat(name === 'site.css' ? 200 : 10));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a compressed file of its own is served as its compression, without Content-Encoding; a .gz beside its original is the encoding', () => {
    const table = new StaticFileTable({ maxAge: 60, isImmutable: () => false });
    table.addFolder(dir, '/static/');
    const typeOf = (url: string) => table.get(url)?.identity.headers.get('content-type');
    expect(typeOf('/static/backup.tar.gz')).toBe('application/gzip');
    expect(table.get('/static/backup.tar.gz')?.identity.headers.has('content-encoding')).toBe(false);
    expect(typeOf('/static/release.tgz')).toBe('application/gzip');
    expect(typeOf('/static/views.py')).toBe('text/x-python; charset=utf-8');
    for (const url of ['/static/backup.tar.gz', '/static/release.tgz', '/static/views.py']) {
      const served = variantResponse(table.get(url)!.identity);
      served.close();
      const name = url.slice('/static/'.length);
      expect([name, served.headers.get('content-type')!.split(';')[0]]).toEqual([name, new FileResponse(join(dir, name)).headers.get('content-type')]);
    }
    const css = table.get('/static/site.css')!;
    expect(css.identity.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.encoded.map((variant) => [variant.encoding, variant.headers.get('content-encoding')])).toEqual([['gzip', 'gzip']]);
    expect(table.get('/static/site.css.gz')).toBeUndefined();
  });
});
