import { ImproperlyConfigured } from '../../src/http/errors';
import { getConverter, registerConverter, type PathConverter } from '../../src/routing/converters';
import { Router } from '../../src/routing/router';

function fullMatch(name: string, text: string): boolean {
  return new RegExp(`^(?:${getConverter(name)!.regex})$`, 'u').test(text);
}

describe('built-in converters (django/urls/converters.py)', () => {
  test('int matches [0-9]+ and gives a number', () => {
    const int = getConverter('int')!;
    expect(int.regex).toBe('[0-9]+');
    expect(fullMatch('int', '0')).toBe(true);
    expect(fullMatch('int', '0042')).toBe(true);
    expect(fullMatch('int', '-1')).toBe(false);
    expect(fullMatch('int', '1.5')).toBe(false);
    expect(fullMatch('int', '')).toBe(false);
    expect(int.toPython('0042')).toBe(42);
    expect(int.toUrl(7)).toBe('7');
  });

  test('int refuses a number past 2^53 instead of rounding it', () => {
    expect(() => getConverter('int')!.toPython('9007199254740993')).toThrow(RangeError);
  });

  test('str matches any non-empty text without a slash', () => {
    const str = getConverter('str')!;
    expect(str.regex).toBe('[^/]+');
    expect(fullMatch('str', 'héllo wörld')).toBe(true);
    expect(fullMatch('str', 'a/b')).toBe(false);
    expect(fullMatch('str', '')).toBe(false);
    expect(str.toPython('abc')).toBe('abc');
    expect(str.toUrl('abc')).toBe('abc');
  });

  test('slug matches ASCII letters, digits, hyphens and underscores', () => {
    expect(getConverter('slug')!.regex).toBe('[-a-zA-Z0-9_]+');
    expect(fullMatch('slug', 'building-your-1st_django-site')).toBe(true);
    expect(fullMatch('slug', 'not a slug')).toBe(false);
    expect(fullMatch('slug', 'café')).toBe(false);
  });

  test('uuid matches only the lower-case hyphenated form and stays a string', () => {
    const uuid = getConverter('uuid')!;
    expect(uuid.regex).toBe('[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}');
    expect(fullMatch('uuid', '075194d3-6885-417e-a8a8-6c931e272f00')).toBe(true);
    expect(fullMatch('uuid', '075194D3-6885-417E-A8A8-6C931E272F00')).toBe(false);
    expect(fullMatch('uuid', '075194d36885417ea8a86c931e272f00')).toBe(false);
    expect(uuid.toPython('075194d3-6885-417e-a8a8-6c931e272f00')).toBe('075194d3-6885-417e-a8a8-6c931e272f00');
  });

  test('path matches any non-empty text, slashes included', () => {
    const path = getConverter('path')!;
    expect(path.regex).toBe('.+');
    expect(path.spansSegments).toBe(true);
    expect(fullMatch('path', 'a/b/c.txt')).toBe(true);
    expect(fullMatch('path', '')).toBe(false);
  });

  test('an unknown name has no converter', () => {
    expect(getConverter('nope')).toBeUndefined();
  });
});

describe('registerConverter', () => {
  const fourDigitYear: PathConverter<number> = {
    regex: '[0-9]{4}',
    toPython: (value) => Number(value),
    toUrl: (value) => String(value).padStart(4, '0'),
  };

  test('a registered converter is used by patterns: toPython on match, toUrl on reverse', () => {
    registerConverter('yyyy', fourDigitYear);
    const router = new Router<string>();
    router.add('GET', '/articles/<yyyy:year>/', 'year-archive', 'year-archive');
    router.compile();
    expect(router.match('GET', '/articles/2003/')!.params).toEqual({ year: 2003 });
    expect(router.match('GET', '/articles/203/')).toBeNull();
    expect(router.reverse('year-archive', { year: 33 })).toBe('/articles/0033/');
  });

  test('a converter whose toPython throws makes the route not match (Django ValueError)', () => {
    registerConverter('even', {
      regex: '[0-9]+',
      toPython(value: string): number {
        const n = Number(value);
        if (n % 2 !== 0) throw new Error('odd');
        return n;
      },
      toUrl: (value: number) => String(value),
    });
    const router = new Router<string>();
    router.add('GET', '/n/<even:n>/', 'even');
    router.add('GET', '/n/<int:n>/', 'any');
    router.compile();
    expect(router.match('GET', '/n/4/')!.value).toBe('even');
    expect(router.match('GET', '/n/5/')!.value).toBe('any');
  });

  test('a custom regex that matches / works as in Django: the route matches and reverse builds the URL', () => {
    registerConverter('ym', {
      regex: '[0-9]{4}/[0-9]{2}',
      toPython: (value: string) => value.split('/').map(Number),
      toUrl: (value: number[]) => `${value[0]}/${String(value[1]).padStart(2, '0')}`,
    });
    const router = new Router<string>();
    router.add('GET', '/archive/<ym:month>/', 'month', 'month');
    router.add('GET', '/archive/<ym:month>/<slug:title>/', 'post');
    router.add('GET', '/archive/<int:year>/<int:mm>/', 'shadowed'); // added later: never wins
    router.compile();
    expect(router.match('GET', '/archive/2024/05/')).toMatchObject({ value: 'month', params: { month: [2024, 5] } });
    expect(router.match('GET', '/archive/2024/05/hello/')).toMatchObject({ value: 'post', params: { month: [2024, 5], title: 'hello' } });
    expect(router.match('GET', '/archive/2024/5/')).toMatchObject({ value: 'shadowed' });
    expect(router.reverse('month', { month: [2024, 5] })).toBe('/archive/2024/05/');
  });

  test('spansSegments: false keeps a custom converter inside one segment (matched per segment)', () => {
    registerConverter('hex', { regex: '[0-9a-f]+', toPython: (v: string) => parseInt(v, 16), toUrl: (v: number) => v.toString(16), spansSegments: false });
    const router = new Router<string>();
    router.add('GET', '/colour/<hex:rgb>/', 'colour');
    router.compile();
    expect(router.match('GET', '/colour/ff/')).toMatchObject({ value: 'colour', params: { rgb: 255 } });
    expect(router.match('GET', '/colour/ff/00/')).toBeNull();
  });

  test('registering a name twice throws ImproperlyConfigured (Django 5.1+)', () => {
    registerConverter('twice', fourDigitYear);
    expect(() => registerConverter('twice', fourDigitYear)).toThrow(ImproperlyConfigured);
    expect(() => registerConverter('twice', fourDigitYear)).toThrow("Converter 'twice' is already registered.");
  });

  test('a built-in name cannot be replaced', () => {
    expect(() => registerConverter('int', fourDigitYear)).toThrow("Converter 'int' is already registered.");
  });

  test('an invalid regex or name is refused when registering', () => {
    expect(() => registerConverter('broken', { ...fourDigitYear, regex: '[0-9' })).toThrow(/^Converter 'broken' has an invalid regex '\[0-9'/);
    expect(() => registerConverter('a:b', fourDigitYear)).toThrow(ImproperlyConfigured);
    expect(() => registerConverter('', fourDigitYear)).toThrow(ImproperlyConfigured);
  });
});
