/**
 * README.md is held to the code: every TypeScript block is an example file shown verbatim (and run
 * by test/docs/*.test.ts), every shell line is a command that exists, and the settings and
 * response tables list exactly what the code has.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as reinhardt from 'reinhardt';
import { DEFAULT_SETTINGS, HttpResponse } from 'reinhardt';
import { COMMANDS } from '../../src/cli/command-index';

const ROOT = join(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const LINES = README.split('\n');

interface Fence {
  lang: string;
  /** Line index of the opening fence. */
  start: number;
  /** The block's text, each line ending with '\n'. */
  body: string;
}

function fences(): Fence[] {
  const found: Fence[] = [];
  for (let i = 0; i < LINES.length; i++) {
    const open = /^```(\S*)\s*$/.exec(LINES[i]);
    if (open === null) continue;
    let end = i + 1;
    while (end < LINES.length && LINES[end] !== '```') end++;
    if (end === LINES.length) throw new Error(`README.md line ${i + 1}: a fence is never closed`);
    found.push({ lang: open[1], start: i, body: LINES.slice(i + 1, end).map((line) => `${line}\n`).join('') });
    i = end;
  }
  return found;
}

const MARKER = /^<!-- example: (\S+) -->$/;

function markers(): { path: string; line: number }[] {
  return LINES.flatMap((line, i) => {
    const m = MARKER.exec(line);
    return m === null ? [] : [{ path: m[1], line: i }];
  });
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, ext);
    return path.endsWith(ext) ? [relative(ROOT, path)] : [];
  });
}

const FENCE_LANG: Record<string, string> = { ts: 'ts', html: 'html' };

describe('README.md code blocks', () => {
  test('each example marker is followed by a fenced block equal to the file, then the closing marker', () => {
    const shown = markers();
    expect(shown.length).toBeGreaterThan(10);
    const all = fences();
    for (const { path, line } of shown) {
      const fence = all.find((f) => f.start === line + 1);
      expect({ path, fenceRightAfterMarker: fence !== undefined }).toEqual({ path, fenceRightAfterMarker: true });
      expect({ path, lang: fence!.lang }).toEqual({ path, lang: FENCE_LANG[path.slice(path.lastIndexOf('.') + 1)] });
      expect({ path, body: fence!.body }).toEqual({ path, body: readFileSync(join(ROOT, path), 'utf8') });
      const closing = fence!.start + fence!.body.split('\n').length + 1;
      expect({ path, closing: LINES[closing] }).toEqual({ path, closing: '<!-- /example -->' });
    }
  });

  test('every example file is shown, and every shown file is an example', () => {
    const examples = [...filesUnder(join(ROOT, 'docs/examples'), '.ts'), ...filesUnder(join(ROOT, 'docs/examples'), '.html')].sort();
    expect(markers().map((m) => m.path).sort()).toEqual(examples);
  });

  test('no TypeScript (or any other unchecked) block stands outside an example marker', () => {
    const marked = new Set(markers().map((m) => m.line + 1));
    for (const fence of fences()) {
      const where = `README.md line ${fence.start + 1} (${fence.lang || 'no language'})`;
      if (fence.lang === 'bash') continue;
      expect({ where, insideMarker: marked.has(fence.start) }).toEqual({ where, insideMarker: true });
    }
  });

  describe('every bash line is a command that exists', () => {
    const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const rootScripts = Object.keys(rootPackage.scripts);
    const peerNames = Object.keys(rootPackage.peerDependencies ?? {});
    const benchScripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'bench/package.json'), 'utf8')).scripts);
    const lines = fences()
      .filter((f) => f.lang === 'bash')
      .flatMap((f) => f.body.split('\n').filter((line) => line.trim() !== ''));

    function problem(line: string): string | null {
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

    test('there are bash lines to check', () => {
      expect(lines.length).toBeGreaterThan(5);
    });
    test.each(lines)('%s', (line) => {
      expect(problem(line)).toBeNull();
    });
  });

  test('the first bash block is the two commands for a fresh clone', () => {
    const first = fences().find((f) => f.lang === 'bash')!;
    expect(first.body).toBe(
      'npm install && npm start   # installs and starts the sample polls site on http://localhost:8000\n' +
        'npm test                   # runs every test (unit, in-process, real sockets, Redis, headless Chromium)\n',
    );
  });
});

describe('README.md tables and sections', () => {
  test('the settings table lists every setting with its default', () => {
    const rows = new Map<string, string>();
    for (const line of LINES) {
      const m = /^\| `([a-zA-Z]+)` \| (`[^`]*`)[^|]* \| .+ \|$/.exec(line);
      if (m !== null && m[1] in DEFAULT_SETTINGS) rows.set(m[1], m[2]);
    }
    const expected = Object.fromEntries(
      Object.entries(DEFAULT_SETTINGS).map(([key, value]) => [key, '`' + JSON.stringify(value).replace(/,/g, ', ').replace(/:/g, ': ') + '`']),
    );
    expect(Object.fromEntries(rows)).toEqual(expected);
  });

  test('the response table gives every status subclass with its code', () => {
    const listed = new Map<string, number>();
    for (const line of LINES) {
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
    expect(README).toContain('`HttpResponseUnAuthorised` (alias `HttpResponseUnauthorized`)');
  });

  test('the Performance section shows the committed benchmark results, table for table', () => {
    const results = readFileSync(join(ROOT, 'bench/results/latest.md'), 'utf8');
    const tableAfter = (text: string, heading: string): string => {
      const start = text.indexOf(heading);
      expect(start).toBeGreaterThanOrEqual(0);
      const lines = text.slice(start).split('\n').slice(1);
      const first = lines.findIndex((line) => line.startsWith('|'));
      const rows = lines.slice(first);
      return rows.slice(0, rows.findIndex((line) => !line.startsWith('|'))).join('\n');
    };
    const performance = README.slice(README.indexOf('## Performance'), README.indexOf('<!-- /performance -->'));
    expect(performance).toContain(tableAfter(results, '## Requests per second (median)'));
    expect(performance).toContain(tableAfter(results, '## Reinhardt relative to raw node:http and Fastify (req/s)'));
    expect(performance).toContain(tableAfter(results, '## Server CPU per request (µs, median)'));
    expect(performance).toContain(tableAfter(results, '## Targets (issue 7)'));
    expect(performance).toContain('![Requests per second relative to raw node:http](bench/results/latest.svg)');
  });
});
