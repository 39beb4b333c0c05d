/**
 * `reinhardt collectstatic` and collectStatic() (issue 21 item 1): Django's
 * ManifestStaticFilesStorage output (hashed names, staticfiles.json, CSS references rewritten)
 * and whitenoise's compressed copies.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { resolveSettings } from '../../src/core/settings';
import { collectStatic, CollectStaticError } from '../../src/staticfiles/collect';
import { manifestText } from '../../src/staticfiles/manifest';
import { run } from '../cli/run-command';
import { APP_JS, BASE_CSS, LOGO_PNG, MTIME, SITE_CSS, makeStaticProject, type StaticProject } from './static-fixture';

const md5 = (content: string | Buffer) => createHash('md5').update(content).digest('hex').slice(0, 12);

let project: StaticProject;
beforeEach(() => {
  project = makeStaticProject();
});
afterEach(() => project.remove());

function settingsFor(p: StaticProject) {
  return resolveSettings({ secretKey: 'x', staticDirs: [p.staticDir], staticRoot: p.staticRoot });
}

describe('collectStatic', () => {
  test("hashed names are name.<first 12 hex of the content's md5>.ext, and the originals are kept", () => {
    const { paths, copied, postProcessed } = collectStatic(settingsFor(project));
    expect(paths.get('img/logo.png')).toBe(`img/logo.${md5(LOGO_PNG)}.png`);
    expect(paths.get('js/app.js')).toBe(`js/app.${md5(APP_JS)}.js`);
    expect(paths.get('css/base.css')).toBe(`css/base.${md5(BASE_CSS)}.css`);
    expect(paths.get('a b.txt')).toBe(`a b.${md5('a space in the name')}.txt`);
    // Dot-files and links out of the folder are not collected; the link inside is.
    expect([...paths.keys()].sort()).toEqual(['a b.txt', 'base-link.css', 'css/base.css', 'css/site.css', 'fonts/f.eot', 'img/logo.png', 'js/app.js']);
    expect([copied, postProcessed]).toEqual([7, 7]);
    expect(readFileSync(join(project.staticRoot, 'img/logo.png')).equals(LOGO_PNG)).toBe(true);
    expect(readFileSync(join(project.staticRoot, paths.get('img/logo.png')!)).equals(LOGO_PNG)).toBe(true);
    expect(existsSync(join(project.staticRoot, '.env'))).toBe(false);
    expect(existsSync(join(project.staticRoot, 'leak.json'))).toBe(false);
    expect(existsSync(join(project.staticRoot, 'private'))).toBe(false);
    // The source's modification time, so Last-Modified and ETag survive a rerun.
    expect(statSync(join(project.staticRoot, 'img/logo.png')).mtime).toEqual(MTIME);
  });

  test("CSS: url(), @import and the ?#iefix hack point at hashed names; data:, http:, // and #fragment are left alone (Django's patterns)", () => {
    const { paths } = collectStatic(settingsFor(project));
    const hashedCss = paths.get('css/site.css')!;
    const rewritten = readFileSync(join(project.staticRoot, hashedCss), 'utf8');
    expect(rewritten).toBe(
      `@import url("base.${md5(BASE_CSS)}.css");\n` +
        `body { background: url("../img/logo.${md5(LOGO_PNG)}.png"); }\n` +
        '.a { background: url(data:image/png;base64,AAAA); }\n' +
        '.b { background: url(http://example.com/x.png); }\n' +
        '.c { background: url(//cdn.example.com/y.png); }\n' +
        '.d { filter: url(#shadow); }\n' +
        `@font-face { src: url("../fonts/f.${md5('not really a font')}.eot?#iefix"); }\n`,
    );
    // The hash is the rewritten content's, so the name changes when a referenced file does.
    expect(hashedCss).toBe(`css/site.${md5(rewritten)}.css`);
    // The file under its plain name stays as it was written.
    expect(readFileSync(join(project.staticRoot, 'css/site.css'), 'utf8')).toBe(SITE_CSS);
  });

  test('a CSS file changes name when a file it references changes', () => {
    const before = collectStatic(settingsFor(project)).paths.get('css/site.css');
    writeFileSync(join(project.staticDir, 'css/base.css'), 'h1 { color: blue; }\n');
    const after = collectStatic(settingsFor(project)).paths.get('css/site.css');
    expect(after).not.toBe(before);
  });

  test("the manifest is Django's staticfiles.json, byte for byte as Python's json.dumps writes it", () => {
    const { paths } = collectStatic(settingsFor(project));
    const text = readFileSync(join(project.staticRoot, 'staticfiles.json'), 'utf8');
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['paths', 'version', 'hash']);
    expect(parsed.version).toBe('1.1');
    expect(new Map(Object.entries(parsed.paths))).toEqual(paths);
    const sorted = [...paths].sort(([a], [b]) => (a < b ? -1 : 1));
    // Django: md5(json.dumps(sorted(hashed_files.items())))[:12], Python's ", " separators.
    expect(parsed.hash).toBe(md5(`[${sorted.map(([a, b]) => `["${a}", "${b}"]`).join(', ')}]`));
    expect(text.startsWith('{"paths": {"a b.txt": "a b.')).toBe(true);
  });

  test('manifestText escapes non-ASCII as Python does (ensure_ascii)', () => {
    expect(manifestText(new Map([['é.css', 'é.0123456789ab.css']]))).toMatch(/^\{"paths": \{"\\u00e9\.css": "\\u00e9\.0123456789ab\.css"\}, "version": "1\.1", "hash": "[0-9a-f]{12}"\}$/);
  });

  test('.br and .gz beside each compressible file decompress to it; gzip has MTIME 0; none for PNG', () => {
    const { paths } = collectStatic(settingsFor(project));
    for (const name of ['js/app.js', paths.get('js/app.js')!]) {
      const file = join(project.staticRoot, name);
      const gz = readFileSync(`${file}.gz`);
      expect(gunzipSync(gz).toString()).toBe(APP_JS);
      expect(gz.readUInt32LE(4)).toBe(0); // RFC 1952 MTIME: reproducible output
      expect(brotliDecompressSync(readFileSync(`${file}.br`)).toString()).toBe(APP_JS);
      expect(readFileSync(`${file}.br`).length).toBeLessThan(APP_JS.length);
    }
    expect(existsSync(join(project.staticRoot, 'img/logo.png.gz'))).toBe(false);
    // Too small to gain 5%: no copy, and no copy left from an earlier run either.
    expect(existsSync(join(project.staticRoot, 'fonts/f.eot.br'))).toBe(false);
  });

  test('running twice gives the same bytes', () => {
    collectStatic(settingsFor(project));
    const first = readFileSync(join(project.staticRoot, 'js/app.js.gz'));
    const manifest = readFileSync(join(project.staticRoot, 'staticfiles.json'), 'utf8');
    collectStatic(settingsFor(project));
    expect(readFileSync(join(project.staticRoot, 'js/app.js.gz')).equals(first)).toBe(true);
    expect(readFileSync(join(project.staticRoot, 'staticfiles.json'), 'utf8')).toBe(manifest);
  });

  test('a stale compressed copy is removed when the new content is not worth compressing', () => {
    collectStatic(settingsFor(project));
    expect(existsSync(join(project.staticRoot, 'js/app.js.br'))).toBe(true);
    writeFileSync(join(project.staticDir, 'js/app.js'), 'x');
    collectStatic(settingsFor(project));
    expect(existsSync(join(project.staticRoot, 'js/app.js.br'))).toBe(false);
    expect(existsSync(join(project.staticRoot, 'js/app.js.gz'))).toBe(false);
  });

  test('a reference to a file that is not there fails, naming both, and writes nothing', () => {
    writeFileSync(join(project.staticDir, 'css/broken.css'), 'a { background: url(../img/missing.png); }');
    expect(() => collectStatic(settingsFor(project))).toThrow(
      new CollectStaticError("The file 'css/broken.css' references a file which could not be found: img/missing.png"),
    );
    expect(existsSync(project.staticRoot)).toBe(false);
  });

  test('a reference climbing out of the static folders is a missing file, not a file outside', () => {
    writeFileSync(join(project.staticDir, 'css/escape.css'), 'a { background: url(../../package.json); }');
    expect(() => collectStatic(settingsFor(project))).toThrow("references a file which could not be found: ../package.json");
  });

  test('without staticRoot: ImproperlyConfigured, as Django', () => {
    expect(() => collectStatic(resolveSettings({ secretKey: 'x', staticDirs: [project.staticDir] }))).toThrow(
      "You're using the staticfiles app without having set the staticRoot setting to a filesystem path.",
    );
  });

  test('the first folder wins for a name in two; the second is reported', () => {
    const warnings: string[] = [];
    const other = makeStaticProject();
    try {
      writeFileSync(join(other.staticDir, 'css/base.css'), 'from the second folder');
      const settings = resolveSettings({ secretKey: 'x', staticDirs: [project.staticDir, other.staticDir], staticRoot: project.staticRoot });
      collectStatic(settings, { warn: (message) => warnings.push(message) });
      expect(readFileSync(join(project.staticRoot, 'css/base.css'), 'utf8')).toBe(BASE_CSS);
      expect(warnings).toContain("Found another file with the destination path 'css/base.css'. It will be ignored since only the first encountered file is collected.");
    } finally {
      other.remove();
    }
  });

  test('--clear semantics: files no longer in staticDirs are removed', () => {
    collectStatic(settingsFor(project));
    rmSync(join(project.staticDir, 'a b.txt'));
    collectStatic(settingsFor(project), { clear: true });
    expect(existsSync(join(project.staticRoot, 'a b.txt'))).toBe(false);
    expect(existsSync(join(project.staticRoot, 'img/logo.png'))).toBe(true);
  });
});

describe('reinhardt collectstatic', () => {
  function writeApp(p: StaticProject): void {
    const src = join(__dirname, '..', '..', 'src');
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify({ name: 'static-site', private: true, reinhardt: { app: 'app.ts' } }));
    writeFileSync(
      join(p.dir, 'app.ts'),
      `import { createApp } from ${JSON.stringify(src)};\n` +
        "export const app = createApp({ controllers: [], settings: { secretKey: 'x', staticDirs: ['static'], staticRoot: 'staticfiles' } });\n",
    );
  }

  test("collects into the project's staticRoot and prints Django's summary line", async () => {
    writeApp(project);
    const result = await run(['collectstatic'], join(project.staticDir, 'css'));
    expect(result).toEqual({ code: 0, stderr: '', stdout: `\n7 static files copied to '${project.staticRoot}', 7 post-processed.\n` });
    expect(existsSync(join(project.staticRoot, 'staticfiles.json'))).toBe(true);
  });

  test('a broken reference: CommandError on one line, exit 1', async () => {
    writeApp(project);
    writeFileSync(join(project.staticDir, 'css/broken.css'), 'a { background: url(nope.png); }');
    expect(await run(['collectstatic'], project.dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: "CommandError: The file 'css/broken.css' references a file which could not be found: css/nope.png\n",
    });
  });
});
