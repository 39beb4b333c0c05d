import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NoReverseMatch } from '../../src/http/errors';
import { registerConverter } from '../../src/routing/converters';
import { reverse, setActiveRouter, urlencode } from '../../src/routing/reverse';
import { Router } from '../../src/routing/router';

function pollsRouter(): Router<string> {
  const router = new Router<string>();
  router.add('GET', '/polls/', 'index', 'poll-index');
  router.add('GET', '/polls/<int:id>/', 'detail', 'poll-detail');
  router.add('GET', '/articles/<int:year>/<slug:title>/', 'article', 'article');
  router.add('GET', '/tags/<str:tag>/', 'tag', 'tag');
  router.add('GET', '/files/<path:file>', 'file', 'file');
  router.add('GET', '/o/<uuid:id>/', 'o', 'object');
  // Last: Django tries patterns in order, so this catch-all would shadow everything after it.
  router.add('GET', '/<path:page>', 'page', 'page');
  router.compile();
  return router;
}

describe('Router.reverse', () => {
  const router = pollsRouter();

  test('builds URLs that match back to the same route and params (round trip)', () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['poll-index', 'index', {}],
      ['poll-detail', 'detail', { id: 7 }],
      ['article', 'article', { year: 2003, title: 'my-post' }],
      ['tag', 'tag', { tag: 'café au lait' }],
      ['file', 'file', { file: 'css/site main.css' }],
      ['object', 'o', { id: '075194d3-6885-417e-a8a8-6c931e272f00' }],
      ['page', 'page', { page: 'about/team/' }],
    ];
    for (const [name, value, params] of cases) {
      const url = router.reverse(name, params);
      const match = router.match('GET', decodeURIComponent(url))!;
      expect([match.value, match.params]).toEqual([value, params]);
    }
    expect(router.reverse('poll-detail', { id: 7 })).toBe('/polls/7/');
    expect(router.reverse('poll-index')).toBe('/polls/');
  });

  test('params may be given in pattern order', () => {
    expect(router.reverse('article', [2003, 'my-post'])).toBe('/articles/2003/my-post/');
  });

  test('text is percent-quoted as Django (safe: RFC 3986 sub-delims and /~:@)', () => {
    expect(router.reverse('tag', { tag: 'a b' })).toBe('/tags/a%20b/');
    expect(router.reverse('tag', { tag: 'café' })).toBe('/tags/caf%C3%A9/');
    expect(router.reverse('tag', { tag: '日本' })).toBe('/tags/%E6%97%A5%E6%9C%AC/');
    expect(router.reverse('tag', { tag: "!$&'()*+,;=~:@" })).toBe("/tags/!$&'()*+,;=~:@/");
    expect(router.reverse('tag', { tag: '?#%"<>' })).toBe('/tags/%3F%23%25%22%3C%3E/');
    expect(router.reverse('file', { file: 'a b/c.txt' })).toBe('/files/a%20b/c.txt');
  });

  test('a URL starting with // is not scheme-relative (Django)', () => {
    expect(router.reverse('page', { page: '/evil.example/' })).toBe('/%2Fevil.example/');
  });

  test('the query is urlencoded, arrays repeat the key', () => {
    expect(router.reverse('poll-detail', { id: 1 }, { q: 'a b', tags: ['x', 'y'], flag: true, n: 2 })).toBe(
      '/polls/1/?q=a+b&tags=x&tags=y&flag=true&n=2',
    );
    expect(router.reverse('poll-index', {}, { next: "/polls/1/?a=b&c=d!'()*~é" })).toBe(
      '/polls/?next=%2Fpolls%2F1%2F%3Fa%3Db%26c%3Dd%21%27%28%29%2A~%C3%A9',
    );
    expect(router.reverse('poll-index', undefined, {})).toBe('/polls/');
    expect(router.reverse('poll-index', undefined, { a: undefined, b: null, c: [] })).toBe('/polls/');
  });

  test('an unknown name', () => {
    expect(() => router.reverse('nope')).toThrow(NoReverseMatch);
    expect(() => router.reverse('nope')).toThrow("Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name.");
  });

  test('missing params', () => {
    expect(() => router.reverse('poll-detail')).toThrow(
      "Reverse for 'poll-detail' with no arguments not found. 1 pattern(s) tried: ['/polls/<int:id>/']",
    );
    expect(() => router.reverse('article', { year: 2003 })).toThrow(
      "Reverse for 'article' with keyword arguments '{'year': 2003}' not found. 1 pattern(s) tried: ['/articles/<int:year>/<slug:title>/']",
    );
    expect(() => router.reverse('article', { year: 2003, titel: 'x' })).toThrow(NoReverseMatch);
  });

  test('extra params', () => {
    expect(() => router.reverse('poll-detail', { id: 1, page: 2 })).toThrow(
      "Reverse for 'poll-detail' with keyword arguments '{'id': 1, 'page': 2}' not found. 1 pattern(s) tried: ['/polls/<int:id>/']",
    );
    expect(() => router.reverse('poll-detail', [1, 2])).toThrow(
      "Reverse for 'poll-detail' with arguments '[1, 2]' not found. 1 pattern(s) tried: ['/polls/<int:id>/']",
    );
  });

  test('a value whose text does not match the converter regex', () => {
    expect(() => router.reverse('poll-detail', { id: 'abc' })).toThrow(
      "Reverse for 'poll-detail' with keyword arguments '{'id': 'abc'}' not found. 1 pattern(s) tried: ['/polls/<int:id>/']",
    );
    expect(() => router.reverse('poll-detail', { id: -1 })).toThrow(NoReverseMatch);
    expect(() => router.reverse('poll-detail', { id: 1.5 })).toThrow(NoReverseMatch);
    expect(() => router.reverse('tag', { tag: 'a/b' })).toThrow(NoReverseMatch);
    expect(() => router.reverse('tag', { tag: '' })).toThrow(NoReverseMatch);
    expect(() => router.reverse('object', { id: 'NOT-A-UUID' })).toThrow(NoReverseMatch);
  });

  test('a converter whose toUrl throws', () => {
    registerConverter('positive', {
      regex: '[0-9]+',
      toPython: (value: string) => Number(value),
      toUrl(value: number): string {
        if (!(value > 0)) throw new RangeError('not positive');
        return String(value);
      },
    });
    const custom = new Router<string>();
    custom.add('GET', '/p/<positive:n>/', 'p', 'p');
    expect(custom.reverse('p', { n: 3 })).toBe('/p/3/');
    expect(() => custom.reverse('p', { n: 0 })).toThrow(
      "Reverse for 'p' with keyword arguments '{'n': 0}' not found. 1 pattern(s) tried: ['/p/<positive:n>/']",
    );
  });
});

describe('urlencode', () => {
  test('is Python urlencode(doseq=True)', () => {
    expect(urlencode({ a: 'x y', b: [1, 'z&w'], c: false })).toBe('a=x+y&b=1&b=z%26w&c=false');
  });
});

describe('global reverse()', () => {
  afterEach(() => setActiveRouter(null));

  test('throws NoReverseMatch when no app has started', () => {
    setActiveRouter(null);
    expect(() => reverse('poll-detail', { id: 1 })).toThrow(
      "Reverse for 'poll-detail' failed: no application has started, so there are no routes. Start the app (or use app.reverse()) first.",
    );
  });

  test('uses the router of the last app started', () => {
    const first = new Router<string>();
    first.add('GET', '/one/<int:id>/', 'a', 'thing');
    const second = new Router<string>();
    second.add('GET', '/two/<int:id>/', 'b', 'thing');
    setActiveRouter(first);
    expect(reverse('thing', { id: 1 }, { x: 1 })).toBe('/one/1/?x=1');
    setActiveRouter(second);
    expect(reverse('thing', { id: 1 })).toBe('/two/1/');
    expect(() => reverse('other')).toThrow("Reverse for 'other' not found. 'other' is not a valid view function or pattern name.");
  });
});

describe('typed route names (RouteNames declaration merging)', () => {
  test('an augmented RouteNames checks names and params; unknown names fail to compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-route-names-'));
    try {
      const reverseModule = resolve(__dirname, '../../src/routing/reverse').replace(/\\/g, '/');
      writeFileSync(
        join(dir, 'user.ts'),
        [
          `import { reverse } from '${reverseModule}';`,
          `declare module '${reverseModule}' {`,
          `  interface RouteNames { 'poll-detail': { id: number }; 'poll-index': Record<string, never> }`,
          `}`,
          `export const a: string = reverse('poll-detail', { id: 1 });`,
          `export const b: string = reverse('poll-index');`,
          `export const c: string = reverse('poll-detial', { id: 1 });`,
          `export const d: string = reverse('poll-detail', { id: 'one' });`,
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: [] }, files: ['user.ts'] }),
      );
      const tsc = resolve(__dirname, '../../node_modules/.bin/tsc');
      let output = '';
      try {
        execFileSync(tsc, ['-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      const errorLines = output.split('\n').filter((line) => line.includes('error TS')).map((line) => /user\.ts\((\d+),/.exec(line)?.[1]);
      // Only the misspelt name (line 7) and the wrong param type (line 8) fail.
      expect(errorLines).toEqual(['7', '8']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
