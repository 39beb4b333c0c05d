/**
 * README.md and every guide in docs/ are held to the code: every TypeScript block is an example
 * file shown verbatim (and run by test/docs/*.test.ts), every other block is a shell line that
 * exists, JSON that parses, or program output; every relative link leads to a file (and heading)
 * that exists; and the settings and response tables list exactly what the code has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as reinhardt from 'reinhardt';
import { DEFAULT_SETTINGS, HttpResponse } from 'reinhardt';
import { COMMANDS } from '../../src/cli/command-index';
import { Doc, ROOT, deadLink, fences, filesUnder, markers, readDoc, relativeLinks, userDocs } from './markdown';

const DOCS = userDocs();
const FENCE_LANG: Record<string, string> = { ts: 'ts', html: 'html' };
/** Blocks allowed outside an example marker: shell lines (checked below), JSON (parsed), program output. */
const FREE_LANGS = ['bash', 'json', 'text'];

describe.each(DOCS.map((doc) => [doc.path, doc] as const))('%s', (_path, doc: Doc) => {
  test('each example marker is followed by a fenced block equal to the file, then the closing marker', () => {
    const all = fences(doc);
    for (const { path, line } of markers(doc)) {
      const fence = all.find((f) => f.start === line + 1);
      expect({ path, fenceRightAfterMarker: fence !== undefined }).toEqual({ path, fenceRightAfterMarker: true });
      expect({ path, lang: fence!.lang }).toEqual({ path, lang: FENCE_LANG[path.slice(path.lastIndexOf('.') + 1)] });
      expect({ path, body: fence!.body }).toEqual({ path, body: readFileSync(join(ROOT, path), 'utf8') });
      const closing = fence!.start + fence!.body.split('\n').length + 1;
      expect({ path, closing: doc.lines[closing] }).toEqual({ path, closing: '<!-- /example -->' });
    }
  });

  test('no TypeScript (or any other unchecked) block stands outside an example marker', () => {
    const marked = new Set(markers(doc).map((m) => m.line + 1));
    for (const fence of fences(doc)) {
      const where = `${doc.path} line ${fence.start + 1} (${fence.lang || 'no language'})`;
      if (FREE_LANGS.includes(fence.lang)) continue;
      expect({ where, insideMarker: marked.has(fence.start) }).toEqual({ where, insideMarker: true });
    }
  });

  test('every json block parses', () => {
    for (const fence of fences(doc).filter((f) => f.lang === 'json')) {
      const where = `${doc.path} line ${fence.start + 1}`;
      expect({ where, parses: parses(fence.body) }).toEqual({ where, parses: true });
    }
  });

  test('every bash line is a command that exists', () => {
    const lines = fences(doc)
      .filter((f) => f.lang === 'bash')
      .flatMap((f) => f.body.split('\n').filter((line) => line.trim() !== ''));
    expect(lines.map((line) => ({ line, problem: shellProblem(line) }))).toEqual(lines.map((line) => ({ line, problem: null })));
  });

  test('every relative link leads to a file, and every #anchor to a heading there', () => {
    const links = relativeLinks(doc);
    expect(links.map(({ where, target }) => ({ where, target, dead: deadLink(doc, target) }))).toEqual(
      links.map(({ where, target }) => ({ where, target, dead: null })),
    );
  });
});

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const rootScripts = Object.keys(rootPackage.scripts);
const peerNames = Object.keys(rootPackage.peerDependencies ?? {});
const benchScripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'bench/package.json'), 'utf8')).scripts);

/** Why a shell line shown in the docs is not a command that exists here, or null. */
function shellProblem(line: string): string | null {
  const command = line.replace(/\s+#\s.*$/, '').trim();
  const bench = /^cd bench && npm ci && npm run (\S+)$/.exec(command);
  if (bench !== null) return benchScripts.includes(bench[1]) ? null : `bench/package.json has no script '${bench[1]}'`;
  for (const part of command.split('&&').map((p) => p.trim())) {
    // An environment assignment may precede an npm command: SOAK_SECONDS=600 npm run soak.
    const bare = part.replace(/^(?:[A-Z][A-Z0-9_]*=\S+\s+)+(?=npm )/, '');
    if (['npm install', 'npm start', 'npm test', 'bash .ci/run'].includes(bare)) continue;
    // A user's install line: this package and peers that package.json declares.
    const install = /^npm install reinhardt((?: [@a-z0-9/.-]+)*)$/.exec(bare);
    if (install !== null) {
      const unknown = install[1].split(' ').filter((name) => name !== '' && !peerNames.includes(name));
      if (unknown.length > 0) return `${unknown.join(', ')}: not in package.json peerDependencies`;
      continue;
    }
    // The command line: `npx reinhardt <command> ...` for a command the CLI has.
    const cli = /^npx reinhardt (\S+)/.exec(bare);
    if (cli !== null) {
      if (!Object.hasOwn(COMMANDS, cli[1])) return `reinhardt has no command '${cli[1]}'`;
      continue;
    }
    // Into the folder a command above made (`startproject mysite`): a plain name, never a path out.
    if (/^cd [a-z][a-z0-9_-]*$/.test(bare)) continue;
    const run = /^npm run (\S+)$/.exec(bare);
    if (run !== null) {
      if (!rootScripts.includes(run[1])) return `package.json has no script '${run[1]}'`;
      continue;
    }
    if (/^apt-get install -y( [a-z0-9][a-z0-9.+-]*)+$/.test(bare)) continue;
    if (/^curl\s/.test(bare)) {
      const urls = bare.match(/https?:\/\/[^\s'"]+/g) ?? [];
      if (urls.length === 0) return 'curl without a URL';
      const foreign = urls.find((url) => !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(url));
      if (foreign !== undefined) return `curl to ${foreign}, not localhost`;
      continue;
    }
    return `'${part}' is not one of the allowed commands`;
  }
  return null;
}

describe('the examples', () => {
  test('every example file is shown once, in README.md or a guide, and every shown file is an example', () => {
    const examples = [...filesUnder('docs/examples', '.ts'), ...filesUnder('docs/examples', '.html')].sort();
    const shown = DOCS.flatMap((doc) => markers(doc).map((m) => m.path)).sort();
    expect(shown).toEqual(examples);
  });

  test('the guides are found: docs/ holds the moved guides, each with examples where it had them', () => {
    expect(DOCS.map((doc) => doc.path)).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/requests.md', 'docs/settings.md']));
    expect(DOCS.reduce((count, doc) => count + markers(doc).length, 0)).toBeGreaterThan(10);
  });
});

describe('docs/settings.md', () => {
  const settings = readDoc('docs/settings.md');

  test('its table lists every setting with its default', () => {
    const rows = new Map<string, string>();
    for (const line of settings.lines) {
      const m = /^\| `([a-zA-Z]+)` \| (`[^`]*`)[^|]* \| .+ \|$/.exec(line);
      if (m !== null && m[1] in DEFAULT_SETTINGS) rows.set(m[1], m[2]);
    }
    const expected = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).map(([key, value]) => [key, '`' + JSON.stringify(value).replace(/,/g, ', ').replace(/:/g, ': ') + '`']),
    );
    expect(Object.fromEntries(rows)).toEqual(expected);
  });
});

describe('docs/responses.md', () => {
  const responses = readDoc('docs/responses.md');

  test('its response table gives every status subclass with its code', () => {
    const listed = new Map<string, number>();
    for (const line of responses.lines) {
      for (const m of line.matchAll(/\| (\d{3}) \| `(HttpResponse\w+)/g)) listed.set(m[2], Number(m[1]));
    }
    const exported = reinhardt as unknown as Record<string, unknown>;
    const actual = new Map<string, number>();
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value !== 'function' || !(value.prototype instanceof HttpResponse) || name === 'HttpResponseRedirectBase') continue;
      if (!/^HttpResponse[A-Z]/.test(name) || name === 'HttpResponseUnauthorized') continue; // the alias is named beside its class
      const Klass = value as new (...args: unknown[]) => HttpResponse;
      const response = name === 'HttpResponseNotAllowed' ? new Klass(['GET']) : /Redirect|SeeOther/.test(name) ? new Klass('/x/') : new Klass();
      actual.set(name, response.statusCode);
    }
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(actual));
    expect(actual.size).toBe(35); // SPEC §7's list
    expect(responses.text).toContain('`HttpResponseUnAuthorised` (alias `HttpResponseUnauthorized`)');
  });
});
