import { ImproperlyConfigured } from '../../src/http/errors';
import { compilePattern } from '../../src/routing/path-pattern';
import { Router } from '../../src/routing/router';

function build(routes: [method: string, pattern: string, value: string, name?: string][]): Router<string> {
  const router = new Router<string>();
  for (const [method, pattern, value, name] of routes) router.add(method, pattern, value, name);
  router.compile();
  return router;
}

describe('Router: static patterns', () => {
  test('a static hit answers the same frozen object every time and runs no regex', () => {
    const router = build([['GET', '/about/', 'about']]);
    const first = router.match('GET', '/about/');
    expect(first).toEqual({ value: 'about', params: {}, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.match('GET', '/about/')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.params)).toBe(true);
    expect(router.lastCandidateChecks).toBe(0);
  });

  test('the root path and an unknown path', () => {
    const router = build([['GET', '/', 'home']]);
    expect(router.match('GET', '/')!.value).toBe('home');
    expect(router.match('GET', '/nope/')).toBeNull();
    expect(router.match('GET', '')).toBeNull();
  });

  test('the trailing slash matters', () => {
    const router = build([['GET', '/x/', 'slash'], ['GET', '/y', 'bare']]);
    expect(router.match('GET', '/x/')!.value).toBe('slash');
    expect(router.match('GET', '/x')).toBeNull();
    expect(router.match('GET', '/y')!.value).toBe('bare');
    expect(router.match('GET', '/y/')).toBeNull();
  });

  test('a pattern without a leading slash gets one', () => {
    const router = build([['GET', 'polls/', 'index']]);
    expect(router.match('GET', '/polls/')!.value).toBe('index');
    expect(router.routes()[0].pattern).toBe('/polls/');
  });

  test('the path is matched as given: percent-decoding is the request\'s job', () => {
    const router = build([['GET', '/café/', 'cafe']]);
    expect(router.match('GET', '/café/')!.value).toBe('cafe');
    expect(router.match('GET', '/caf%C3%A9/')).toBeNull();
  });
});

describe('Router: dynamic patterns', () => {
  test('static segments after a parameter are found among siblings of every length', () => {
    const long = 'segment-of-thirty-one-characters'.slice(0, 31);
    const longer = `${long}-and-more`;
    const router = build([
      ['GET', '/users/<int:id>/', 'detail'],
      ['GET', '/users/<int:id>/posts/', 'posts'],
      ['GET', '/users/<int:id>/edit/', 'edit'],
      ['GET', `/users/<int:id>/${long}/`, 'long'],
      ['GET', `/users/<int:id>/${longer}/`, 'longer'],
      ['GET', '/users/<int:id>/<slug:tab>/', 'tab'],
    ]);
    expect(router.match('GET', '/users/7/')).toEqual({ value: 'detail', params: { id: 7 }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.match('GET', '/users/7/posts/')!.value).toBe('posts');
    expect(router.match('GET', '/users/7/edit/')!.value).toBe('edit');
    expect(router.match('GET', `/users/7/${long}/`)!.value).toBe('long');
    expect(router.match('GET', `/users/7/${longer}/`)!.value).toBe('longer');
    // Same lengths as keys, other text: the slug route.
    expect(router.match('GET', '/users/7/pasts/')).toEqual({ value: 'tab', params: { id: 7, tab: 'pasts' }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.match('GET', `/users/7/${long.slice(0, 30)}x/`)!.params).toEqual({ id: 7, tab: `${long.slice(0, 30)}x` });
    expect(router.match('GET', `/users/7/${longer}x/`)!.params).toEqual({ id: 7, tab: `${longer}x` });
    // An empty segment is a trailing slash's, never a key of another length.
    expect(router.match('GET', '/users/7//')).toBeNull();
    expect(router.match('GET', '/users/7/posts')).toBeNull();
  });

  test('parameters are converted and keyed by name in pattern order', () => {
    const router = build([['GET', '/articles/<int:year>/<slug:title>/', 'detail']]);
    const match = router.match('GET', '/articles/2003/my-post/')!;
    expect(match).toEqual({ value: 'detail', params: { year: 2003, title: 'my-post' }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(Object.keys(match.params)).toEqual(['year', 'title']);
    expect(router.match('GET', '/articles/20x3/my-post/')).toBeNull();
    expect(router.match('GET', '/articles/2003/my post/')).toBeNull();
    expect(router.match('GET', '/articles/2003/my-post')).toBeNull();
  });

  test('a segment may mix text and parameters', () => {
    const router = build([['GET', '/files/file-<int:id>.<slug:ext>', 'file']]);
    expect(router.match('GET', '/files/file-12.txt')!.params).toEqual({ id: 12, ext: 'txt' });
    expect(router.match('GET', '/files/file-.txt')).toBeNull();
    expect(router.match('GET', '/files/filex12.txt')).toBeNull();
  });

  test('<path:…> spans segments, alone or followed by more pattern', () => {
    const router = build([
      ['GET', '/static/<path:file>', 'static'],
      ['GET', '/repo/<slug:name>/<path:dir>/tree/', 'tree'],
    ]);
    expect(router.match('GET', '/static/css/site/main.css')!.params).toEqual({ file: 'css/site/main.css' });
    expect(router.match('GET', '/static/')).toBeNull();
    expect(router.match('GET', '/repo/reinhardt/src/http/tree/')!.params).toEqual({ name: 'reinhardt', dir: 'src/http' });
    expect(router.match('GET', '/repo/reinhardt/tree/')).toBeNull();
  });

  test('uuid parameters stay strings', () => {
    const router = build([['GET', '/o/<uuid:id>/', 'o']]);
    expect(router.match('GET', '/o/075194d3-6885-417e-a8a8-6c931e272f00/')!.params).toEqual({ id: '075194d3-6885-417e-a8a8-6c931e272f00' });
    expect(router.match('GET', '/o/075194D3-6885-417E-A8A8-6C931E272F00/')).toBeNull();
  });

  test('a dynamic match answers a fresh params object per request', () => {
    const router = build([['GET', '/p/<int:id>/', 'p']]);
    const a = router.match('GET', '/p/1/')!;
    const b = router.match('GET', '/p/2/')!;
    expect(a.params).toEqual({ id: 1 });
    expect(b.params).toEqual({ id: 2 });
    expect(a.allowed).toBe(b.allowed);
  });
});

describe('Router: methods, 405, HEAD and OPTIONS', () => {
  test('a path that matches without the method answers value null and the allowed methods', () => {
    const router = build([['POST', '/polls/<int:id>/vote/', 'vote']]);
    expect(router.match('GET', '/polls/1/vote/')).toEqual({ value: null, params: { id: 1 }, allowed: ['POST', 'OPTIONS'] });
  });

  test('allowed lists declared methods in declaration order, then HEAD (for GET), then OPTIONS', () => {
    const router = build([
      ['POST', '/items/', 'create'],
      ['GET', '/items/', 'list'],
      ['DELETE', '/items/', 'clear'],
    ]);
    expect(router.match('PUT', '/items/')!.allowed).toEqual(['POST', 'GET', 'DELETE', 'HEAD', 'OPTIONS']);
    expect(router.match('PUT', '/items/')!.value).toBeNull();
  });

  test('HEAD falls back to the GET handler; a declared HEAD handler wins', () => {
    const router = build([
      ['GET', '/a/', 'get-a'],
      ['GET', '/b/<int:n>/', 'get-b'],
      ['HEAD', '/b/<int:n>/', 'head-b'],
    ]);
    expect(router.match('HEAD', '/a/')!.value).toBe('get-a');
    expect(router.match('HEAD', '/b/1/')!.value).toBe('head-b');
    expect(router.match('HEAD', '/b/1/')!.allowed).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  test('HEAD without GET is not allowed', () => {
    const router = build([['POST', '/a/', 'post']]);
    expect(router.match('HEAD', '/a/')).toEqual({ value: null, params: {}, allowed: ['POST', 'OPTIONS'] });
  });

  test('OPTIONS without a handler answers value null with allowed (the pipeline answers 204)', () => {
    const router = build([['GET', '/a/', 'a'], ['GET', '/b/<int:n>/', 'b']]);
    expect(router.match('OPTIONS', '/a/')).toEqual({ value: null, params: {}, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.match('OPTIONS', '/b/3/')).toEqual({ value: null, params: { n: 3 }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
  });

  test('a declared OPTIONS handler is returned and listed once', () => {
    const router = build([['OPTIONS', '/a/', 'opts'], ['GET', '/a/', 'a']]);
    expect(router.match('OPTIONS', '/a/')).toEqual({ value: 'opts', params: {}, allowed: ['OPTIONS', 'GET', 'HEAD'] });
  });

  test('methods are added upper-cased', () => {
    const router = build([['get', '/a/', 'a']]);
    expect(router.match('GET', '/a/')!.value).toBe('a');
  });
});

describe('Router: precedence (Django: routes are tried in the order they were added)', () => {
  test('<int:x> added before <str:x>: digits go to int, the rest to str', () => {
    const router = build([['GET', '/<int:x>/', 'int'], ['GET', '/<str:x>/', 'str']]);
    expect(router.match('GET', '/12/')).toEqual({ value: 'int', params: { x: 12 }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.match('GET', '/ab/')).toEqual({ value: 'str', params: { x: 'ab' }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
  });

  test('<str:x> added before <int:x>: str wins for everything', () => {
    const router = build([['GET', '/<str:x>/', 'str'], ['GET', '/<int:x>/', 'int']]);
    expect(router.match('GET', '/12/')).toEqual({ value: 'str', params: { x: '12' }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
  });

  test('a static pattern added after a dynamic one that matches it is shadowed', () => {
    const router = build([['GET', '/<slug:page>/', 'page'], ['GET', '/about/', 'about']]);
    expect(router.match('GET', '/about/')!.params).toEqual({ page: 'about' });
    expect(router.match('GET', '/about/')!.value).toBe('page');
  });

  test('a static pattern added first wins over a later dynamic one', () => {
    const router = build([['GET', '/about/', 'about'], ['GET', '/<slug:page>/', 'page']]);
    expect(router.match('GET', '/about/')!.value).toBe('about');
    expect(router.match('GET', '/contact/')!.value).toBe('page');
  });

  test('precedence holds across deeper branches (backtracking)', () => {
    const router = build([
      ['GET', '/<slug:a>/edit/', 'slug-edit'],
      ['GET', '/users/<int:id>/', 'user'],
      ['GET', '/users/edit/', 'users-edit'],
    ]);
    expect(router.match('GET', '/users/edit/')!.value).toBe('slug-edit');
    expect(router.match('GET', '/users/5/')!.value).toBe('user');
  });

  test('a later pattern serves a method the first matching pattern lacks', () => {
    const router = build([['GET', '/<int:x>/', 'int-get'], ['POST', '/<str:x>/', 'str-post']]);
    expect(router.match('POST', '/5/')).toEqual({ value: 'str-post', params: { x: '5' }, allowed: ['POST', 'OPTIONS'] });
    expect(router.match('GET', '/5/')!.value).toBe('int-get');
    // Neither declares PUT: the 405 lists the first matching pattern's methods.
    expect(router.match('PUT', '/5/')).toEqual({ value: null, params: { x: 5 }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
  });

  test('a static path whose method is served by a later dynamic pattern', () => {
    const router = build([['GET', '/about/', 'about'], ['POST', '/<slug:page>/', 'post-page']]);
    expect(router.match('POST', '/about/')).toEqual({ value: 'post-page', params: { page: 'about' }, allowed: ['POST', 'OPTIONS'] });
    expect(router.match('GET', '/about/')!.value).toBe('about');
    expect(router.match('PUT', '/about/')).toEqual({ value: null, params: {}, allowed: ['GET', 'HEAD', 'OPTIONS'] });
  });
});

describe('Router: configuration errors', () => {
  test('the same method and pattern twice', () => {
    const router = new Router<string>();
    router.add('GET', '/x', 'a');
    expect(() => router.add('get', '/x', 'b')).toThrow(ImproperlyConfigured);
    expect(() => router.add('GET', '/x', 'b')).toThrow('Duplicate route GET /x');
    expect(() => router.add('POST', '/x', 'c')).not.toThrow();
  });

  test('the same name on two patterns', () => {
    const router = new Router<string>();
    router.add('GET', '/a/', 'a', 'page');
    expect(() => router.add('GET', '/b/', 'b', 'page')).toThrow("Duplicate route name 'page': used by /a/ and /b/");
  });

  test('the same name on two methods of one pattern is one URL, so it is allowed', () => {
    const router = new Router<string>();
    router.add('GET', '/a/', 'get', 'page');
    router.add('POST', '/a/', 'post', 'page');
    expect(router.reverse('page')).toBe('/a/');
  });

  test('a bad pattern fails when added', () => {
    expect(() => new Router<string>().add('GET', '/x/<nope:y>/', 'v')).toThrow("URL route '/x/<nope:y>/' uses invalid converter 'nope'.");
  });

  test('add after compile throws', () => {
    const router = build([['GET', '/a/', 'a']]);
    expect(() => router.add('GET', '/b/', 'b')).toThrow('Cannot add route GET /b/: the router is already compiled.');
  });

  test('match compiles on first use', () => {
    const router = new Router<string>();
    router.add('GET', '/a/<int:n>/', 'a');
    expect(router.match('GET', '/a/1/')!.value).toBe('a');
    expect(() => router.add('GET', '/b/', 'b')).toThrow(ImproperlyConfigured);
  });
});

describe('Router.routes()', () => {
  test('lists each pattern once, in declaration order, with its methods and name', () => {
    const router = build([
      ['GET', '/polls/', 'index', 'poll-index'],
      ['GET', '/polls/<int:id>/', 'detail', 'poll-detail'],
      ['POST', '/polls/', 'create'],
    ]);
    expect(router.routes()).toEqual([
      { pattern: '/polls/', methods: ['GET', 'POST'], name: 'poll-index' },
      { pattern: '/polls/<int:id>/', methods: ['GET'], name: 'poll-detail' },
    ]);
  });
});

describe('Router: lookup cost does not grow with the number of routes', () => {
  function checksFor(count: number, paths: string[]): number[] {
    const router = new Router<number>();
    for (let i = 0; i < count; i++) router.add('GET', `/r${i}/<int:id>/`, i);
    for (let i = 0; i < count; i++) router.add('GET', `/<slug:org>/p${i}/`, count + i);
    for (let i = 0; i < count; i++) router.add('GET', `/static${i}/`, 2 * count + i);
    router.compile();
    return paths.map((path) => {
      const match = router.match('GET', path);
      expect(match).not.toBeNull();
      return router.lastCandidateChecks;
    });
  }

  test('10 and 1,000 routes cost the same number of regex checks', () => {
    const paths = ['/r5/42/', '/acme/p7/', '/static3/'];
    const small = checksFor(10, paths);
    const large = checksFor(1000, paths);
    expect(small).toEqual([1, 1, 0]);
    expect(large).toEqual(small);
    expect(checksFor(1000, ['/r999/1/', '/acme/p999/'])).toEqual([1, 1]);
  });

  test('the same converter under different names is one check', () => {
    const router = build([
      ['GET', '/polls/<int:id>/', 'detail'],
      ['GET', '/polls/<int:poll_id>/results/', 'results'],
      ['GET', '/polls/<int:pk>/vote/', 'vote'],
    ]);
    expect(router.match('GET', '/polls/5/vote/')).toEqual({ value: 'vote', params: { pk: 5 }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.lastCandidateChecks).toBe(1);
    expect(router.match('GET', '/polls/5/results/')!.params).toEqual({ poll_id: 5 });
  });

  test('the right route is found among 1,000', () => {
    const router = new Router<number>();
    for (let i = 0; i < 1000; i++) router.add('GET', `/<slug:org>/p${i}/`, i);
    router.compile();
    expect(router.match('GET', '/acme/p640/')).toEqual({ value: 640, params: { org: 'acme' }, allowed: ['GET', 'HEAD', 'OPTIONS'] });
    expect(router.match('GET', '/acme/p1000/')).toBeNull();
  });
});

describe('Router agrees with a linear Django-order scan', () => {
  // A reference that does what Django's resolver does: try every pattern in order.
  function linear(routes: [string, string][], method: string, path: string): { value: string | null; params: Record<string, unknown> } | null {
    let first: { value: string | null; params: Record<string, unknown> } | null = null;
    for (const [pattern] of routes) {
      const compiled = compilePattern(pattern);
      const found = compiled.regex.exec(path);
      if (found === null) continue;
      const params: Record<string, unknown> = {};
      compiled.params.forEach((p, i) => (params[p.name] = p.converter.toPython(found.groups![`p${i}`])));
      const methods = routes.filter(([other]) => other === pattern).map(([, m]) => m);
      const served = methods.includes(method) ? method : method === 'HEAD' && methods.includes('GET') ? 'GET' : null;
      if (served !== null) return { value: `${served} ${pattern}`, params };
      first ??= { value: null, params };
    }
    return first;
  }

  test('on random route tables and paths', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n; // the high bits: an LCG's low bits cycle quickly
    };
    // Static segments of 31 and 32 characters share the router's last length bucket.
    const long31 = 'l'.repeat(31);
    const long32 = 'l'.repeat(32);
    const pieces = ['a', 'b', '<int:n>', '<str:s>', '<slug:g>', 'x-<int:k>', '<path:p>', '', long31, long32];
    const texts = ['a', 'b', '12', 'x-3', 'hello', 'a b', '', long31, long32];
    let dynamicHits = 0;
    let slashHits = 0;
    for (let round = 0; round < 200; round++) {
      const routes: [string, string][] = [];
      const router = new Router<string>();
      for (let r = 0; r < 6; r++) {
        const used = new Set<string>();
        let pattern = '';
        for (let depth = 1 + random(3); depth > 0; depth--) {
          const piece = pieces[random(pieces.length)];
          const name = /<(\w+):(\w+)>/.exec(piece);
          if (name && used.has(name[2])) continue;
          if (name) used.add(name[2]);
          pattern += `/${piece}`;
          if (piece === '<path:p>') break;
        }
        if (random(2) === 0) pattern += '/';
        const method = ['GET', 'POST'][random(2)];
        if (routes.some(([p, m]) => p === pattern && m === method)) continue;
        routes.push([pattern, method]);
        router.add(method, pattern, `${method} ${pattern}`);
      }
      router.compile();
      for (let q = 0; q < 20; q++) {
        let path = '';
        for (let depth = 1 + random(4); depth > 0; depth--) path += `/${texts[random(texts.length)]}`;
        if (random(2) === 0) path += '/';
        for (const method of ['GET', 'POST', 'HEAD']) {
          const got = router.match(method, path);
          const want = linear(routes, method, path);
          if (got !== null && got.value !== null && Object.keys(got.params).length > 0) dynamicHits++;
          expect([method, path, got === null ? null : { value: got.value, params: got.params }]).toEqual([method, path, want]);
          // Append-slash's lookup answers what the path with a slash added would.
          const slashed = router.matchWithSlash(method, path);
          expect([method, `${path} + /`, slashed]).toEqual([method, `${path} + /`, router.match(method, `${path}/`)]);
          if (slashed !== null && want === null) slashHits++;
        }
      }
    }
    // The tables must exercise parameters, or the comparison proves little.
    expect(dynamicHits).toBeGreaterThan(1000);
    // ...and paths that match only with the slash added, where matchWithSlash must find them.
    expect(slashHits).toBeGreaterThan(100);
  });
});
