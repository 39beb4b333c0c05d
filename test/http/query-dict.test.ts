import { ImmutableQueryDictError, MultiValueDictKeyError, TooManyFieldsSent } from '../../src/http/errors';
import { MultiValueDict } from '../../src/http/multi-value-dict';
import { QueryDict } from '../../src/http/query-dict';

// Expected values come from Python 3.11's urllib.parse.parse_qsl / urlencode / quote, called with
// the arguments Django's QueryDict passes (django/http/request.py).

describe('QueryDict examples of the request/response documents (1.0, 1.1)', () => {
  test('update appends to the current items rather than replacing them', () => {
    let q = new QueryDict('a=1');
    q = q.copy(); // to make it mutable
    q.update({ a: '2' });
    expect(q.getList('a')).toEqual(['1', '2']);
    // The document prints [u'2'] here, a typo: __getitem__ returns the last value itself.
    expect(q.getItem('a')).toBe('2');
  });

  test('items(), values() and lists() of a=1&a=2&a=3', () => {
    const q = new QueryDict('a=1&a=2&a=3');
    expect(q.items()).toEqual([['a', '3']]);
    expect(q.values()).toEqual(['3']);
    expect(q.lists()).toEqual([['a', ['1', '2', '3']]]);
  });

  test('the <select multiple> form example', () => {
    const GET = new QueryDict('');
    const POST = new QueryDict('your_name=John+Smith&bands=beatles&bands=zombies');
    expect(GET.toJSON()).toEqual({});
    expect(POST.toJSON()).toEqual({ your_name: ['John Smith'], bands: ['beatles', 'zombies'] });
    expect(POST.getItem('your_name')).toBe('John Smith');
    expect(POST.getItem('bands')).toBe('zombies');
    expect(POST.getList('bands')).toEqual(['beatles', 'zombies']);
    expect(POST.get('your_name', 'Adrian')).toBe('John Smith');
    expect(POST.get('nonexistent_field', 'Nowhere Man')).toBe('Nowhere Man');
  });

  test('getItem on a missing key raises MultiValueDictKeyError; has() is "in"', () => {
    const q = new QueryDict('foo=bar');
    expect(() => q.getItem('nope')).toThrow(MultiValueDictKeyError);
    expect(q.has('foo')).toBe(true);
    expect(q.has('nope')).toBe(false);
  });

  test('setItem sets [value]; setDefault uses it; only on a copy', () => {
    const q = new QueryDict('a=1&a=2').copy();
    q.setItem('a', 'x');
    expect(q.getList('a')).toEqual(['x']);
    expect(q.setDefault('a', 'y')).toBe('x');
    expect(q.setDefault('b', 'y')).toBe('y');
    expect(q.getList('b')).toEqual(['y']);
  });

  test('getList is [] for a missing key; setList, appendList, setListDefault', () => {
    const q = new QueryDict('a=1', { mutable: true });
    expect(q.getList('missing')).toEqual([]);
    q.setList('b', ['2', '3']);
    q.appendList('b', '4');
    q.appendList('c', '5');
    expect(q.setListDefault('b', ['x'])).toEqual(['2', '3', '4']);
    expect(q.setListDefault('d', ['6'])).toEqual(['6']);
    expect(q.lists()).toEqual([
      ['a', ['1']],
      ['b', ['2', '3', '4']],
      ['c', ['5']],
      ['d', ['6']],
    ]);
  });

  test('urlencode returns the data in query-string format: "a=2&b=3&b=5"', () => {
    expect(new QueryDict('a=2&b=3&b=5').urlencode()).toBe('a=2&b=3&b=5');
  });

  test("urlencode's safe argument (Django's docstring)", () => {
    const q = new QueryDict(null, { mutable: true });
    q.setItem('next', '/a&b/');
    expect(q.urlencode()).toBe('next=%2Fa%26b%2F');
    expect(q.urlencode('/')).toBe('next=/a%26b/');
  });

  test('copy() is a mutable deep copy', () => {
    const q = new QueryDict('a=1&a=2');
    const c = q.copy();
    c.appendList('a', '3');
    c.setItem('b', '4');
    expect(q.lists()).toEqual([['a', ['1', '2']]]);
    expect(c.lists()).toEqual([
      ['a', ['1', '2', '3']],
      ['b', ['4']],
    ]);
    expect(c).toBeInstanceOf(QueryDict);
  });

  test('dict(), pop, popItem, iteration, delete and clear on a mutable copy', () => {
    const q = new QueryDict('a=1&a=2&b=3&c=').copy();
    expect(q.dict()).toEqual({ a: '2', b: '3', c: '' });
    expect([...q]).toEqual(['a', 'b', 'c']);
    expect(q.pop('a')).toEqual(['1', '2']);
    expect(q.pop('a', 'default')).toBe('default');
    expect(q.popItem()).toEqual(['c', ['']]);
    q.delete('b');
    expect(q.size).toBe(0);
    q.setItem('z', '1');
    q.clear();
    expect(q.keys()).toEqual([]);
  });
});

describe('QueryDict immutability', () => {
  const mutators: Array<[string, (q: QueryDict) => unknown]> = [
    ['setItem', (q) => q.setItem('a', 'x')],
    ['setList', (q) => q.setList('a', ['x'])],
    ['appendList', (q) => q.appendList('a', 'x')],
    ['setListDefault', (q) => q.setListDefault('z', ['x'])],
    ['setDefault', (q) => q.setDefault('z', 'x')],
    ['update', (q) => q.update({ a: 'x' })],
    ['pop', (q) => q.pop('a')],
    ['popItem', (q) => q.popItem()],
    ['delete', (q) => q.delete('a')],
    ['clear', (q) => q.clear()],
  ];

  test.each(mutators)('%s on request data throws "This QueryDict instance is immutable"', (_name, mutate) => {
    const q = new QueryDict('a=1&b=2');
    expect(() => mutate(q)).toThrow(ImmutableQueryDictError);
    expect(() => mutate(q)).toThrow('This QueryDict instance is immutable');
    expect(q.lists()).toEqual([
      ['a', ['1']],
      ['b', ['2']],
    ]);
  });

  test('lists handed out cannot change an immutable dict', () => {
    const q = new QueryDict('a=1');
    q.getList('a').push('2');
    q.lists()[0][1].push('3');
    expect(q.getList('a')).toEqual(['1']);
  });

  test('new QueryDict(query, { mutable: true }) is mutable; _freeze() makes it immutable', () => {
    const q = new QueryDict('a=1', { mutable: true });
    q.appendList('a', '2');
    q._freeze();
    expect(() => q.appendList('a', '3')).toThrow('This QueryDict instance is immutable');
    expect(q.getList('a')).toEqual(['1', '2']);
  });

  test('a QueryDict is a MultiValueDict', () => {
    expect(new QueryDict()).toBeInstanceOf(MultiValueDict);
  });
});

describe('QueryDict parsing (parse_qsl, keep_blank_values=True)', () => {
  test.each([
    ['a=1&a=2&c=3', [['a', ['1', '2']], ['c', ['3']]]],
    ['a', [['a', ['']]]],
    ['a=', [['a', ['']]]],
    ['=b', [['', ['b']]]],
    ['a==b', [['a', ['=b']]]],
    ['a=1;b=2', [['a', ['1;b=2']]]],
    ['a+b=c+d', [['a b', ['c d']]]],
    ['x=%zz%4&y=%', [['x', ['%zz%4']], ['y', ['%']]]],
    ['x=%E2%82%AC', [['x', ['€']]]],
    ['x=%e2%82%ac%20ok', [['x', ['€ ok']]]],
    ['x=%E2%82', [['x', ['\ufffd']]]],
    ['x=%ff', [['x', ['\ufffd']]]],
    ['x=%ed%a0%80', [['x', ['\ufffd\ufffd\ufffd']]]],
    ['a=1&&b=2&', [['a', ['1']], ['b', ['2']]]],
    ['&&&', []],
    ['café=%C3%A9', [['café', ['é']]]],
    ['x=%C3é%A9', [['x', ['\ufffdé\ufffd']]]],
    ['k%3Dv=1%26', [['k=v', ['1&']]]],
    ['', []],
  ])('%j', (query, lists) => {
    expect(new QueryDict(query).lists()).toEqual(lists);
  });

  test('null, undefined and no argument give an empty dict', () => {
    expect(new QueryDict(null).size).toBe(0);
    expect(new QueryDict(undefined).size).toBe(0);
    expect(new QueryDict().size).toBe(0);
  });

  test('escapes are decoded in the given encoding', () => {
    expect(new QueryDict('x=%E9%A4', { encoding: 'latin-1' }).getItem('x')).toBe('é¤');
    expect(new QueryDict('x=%E9%A4', { encoding: 'iso-8859-15' }).getItem('x')).toBe('é€');
    // Python's latin-1 is ISO-8859-1, not the windows-1252 of the WHATWG label.
    expect(new QueryDict('x=%80', { encoding: 'latin-1' }).getItem('x')).toBe('\x80');
    expect(new QueryDict('x=%80', { encoding: 'cp1252' }).getItem('x')).toBe('€');
    expect(new QueryDict('x=%82%A0', { encoding: 'shift_jis' }).getItem('x')).toBe('あ');
    expect(new QueryDict('x=%80', { encoding: 'ascii' }).getItem('x')).toBe('\ufffd');
    // cp1252 leaves 0x81 undefined in Python (U+FFFD); Node 20's own windows-1252 decoder drops it.
    expect(new QueryDict('x=%81%80', { encoding: 'cp1252' }).getItem('x')).toBe('\ufffd€');
    expect(new QueryDict('x=%C0%FF', { encoding: 'cp1251' }).getItem('x')).toBe('Ая');
    expect(new QueryDict('x=%C1', { encoding: 'koi8-r' }).getItem('x')).toBe('а');
  });

  test('an encoding name is found however it is spelt, the first time and every time after', () => {
    for (let round = 0; round < 2; round++) {
      for (const spelling of ['LATIN-1', ' Latin_1 ', 'latin-1']) {
        expect(new QueryDict('x=%E9%80', { encoding: spelling }).getItem('x')).toBe('é\x80');
      }
      for (const spelling of ['CP1252', 'Windows_1252 ']) {
        expect(new QueryDict('x=%80', { encoding: spelling }).getItem('x')).toBe('€');
      }
      expect(() => new QueryDict('x=%E9', { encoding: 'NOT_A_CHARSET' })).toThrow(new RangeError('unknown encoding: NOT_A_CHARSET'));
    }
  });

  test('an unknown encoding fails when something must be decoded', () => {
    expect(() => new QueryDict('x=%41', { encoding: 'klingon' })).toThrow('unknown encoding: klingon');
    expect(new QueryDict('x=A', { encoding: 'klingon' }).getItem('x')).toBe('A');
  });

  test('a Buffer is decoded in the encoding, falling back to ISO-8859-1', () => {
    expect(new QueryDict(Buffer.from('x=café')).getItem('x')).toBe('café');
    const q = new QueryDict(Buffer.from([0x78, 0x3d, 0xe9, 0x26, 0x79, 0x3d, 0x25, 0x45, 0x39]));
    expect(q.lists()).toEqual([
      ['x', ['é']],
      ['y', ['\ufffd']],
    ]);
  });

  test('more fields than maxNumFields throws TooManyFieldsSent with Django\'s message', () => {
    expect(new QueryDict('a=1&b=2', { maxNumFields: 2 }).size).toBe(2);
    expect(new QueryDict('a=1&&b=2&', { maxNumFields: 2 }).size).toBe(2);
    expect(() => new QueryDict('a=1&b=2&c', { maxNumFields: 2 })).toThrow(TooManyFieldsSent);
    expect(() => new QueryDict('a=1&b=2&c', { maxNumFields: 2 })).toThrow(
      'The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.',
    );
    expect(() => new QueryDict('a', { maxNumFields: 0 })).toThrow(TooManyFieldsSent);
    expect(new QueryDict('', { maxNumFields: 0 }).size).toBe(0);
  });

  test('countFields counts non-empty pairs without decoding', () => {
    expect(QueryDict.countFields('')).toBe(0);
    expect(QueryDict.countFields('a')).toBe(1);
    expect(QueryDict.countFields('a=1&&b=2&')).toBe(2);
    expect(QueryDict.countFields('&&&')).toBe(0);
    expect(QueryDict.countFields('a=%zz;b&c')).toBe(2);
    expect(QueryDict.countFields(Buffer.from('a=1&b=2&c=3'))).toBe(3);
  });

  test('a long run of keys without "=" parses in linear time', () => {
    const query = 'a&'.repeat(200_000);
    const started = Date.now();
    expect(new QueryDict(query).getList('a')).toHaveLength(200_000);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('QueryDict.fromKeys', () => {
  test('each key gets the value, repeated keys repeat it (Django tests)', () => {
    expect(QueryDict.fromKeys(['key1', 'key2', 'key3']).lists()).toEqual([
      ['key1', ['']],
      ['key2', ['']],
      ['key3', ['']],
    ]);
    expect(QueryDict.fromKeys(['a', 'a', 'b'], 'val').urlencode()).toBe('a=val&a=val&b=val');
  });

  test('immutable unless asked, with the encoding given', () => {
    expect(() => QueryDict.fromKeys(['a']).setItem('a', 'b')).toThrow(ImmutableQueryDictError);
    const q = QueryDict.fromKeys(new Set(['a']), 'é', { mutable: true, encoding: 'latin-1' });
    q.appendList('a', 'x');
    expect(q.encoding).toBe('latin-1');
    expect(q.urlencode()).toBe('a=%E9&a=x');
  });

  test('a non-iterable throws TypeError', () => {
    expect(() => QueryDict.fromKeys(0 as unknown as string[])).toThrow(new TypeError("'number' object is not iterable"));
    expect(() => QueryDict.fromKeys(null as unknown as string[])).toThrow(TypeError);
  });
});

describe('QueryDict.urlencode', () => {
  const data = (): QueryDict => {
    const q = new QueryDict(null, { mutable: true });
    q.setList('a', ['1', '2']);
    q.setList('b c', ['d e+f', "€/~_.-!*'()"]);
    q.setItem('e', '');
    return q;
  };

  test('without safe: quote_plus, spaces as +', () => {
    expect(data().urlencode()).toBe('a=1&a=2&b+c=d+e%2Bf&b+c=%E2%82%AC%2F~_.-%21%2A%27%28%29&e=');
    expect(data().urlencode('')).toBe('a=1&a=2&b+c=d+e%2Bf&b+c=%E2%82%AC%2F~_.-%21%2A%27%28%29&e=');
  });

  test('with safe: quote, spaces as %20, the ASCII safe characters kept', () => {
    expect(data().urlencode('/')).toBe('a=1&a=2&b%20c=d%20e%2Bf&b%20c=%E2%82%AC/~_.-%21%2A%27%28%29&e=');
    expect(data().urlencode("!*é ")).toBe("a=1&a=2&b c=d e%2Bf&b c=%E2%82%AC%2F~_.-!*%27%28%29&e=");
  });

  test("encodes in the dict's encoding", () => {
    const latin = new QueryDict(null, { mutable: true, encoding: 'latin-1' });
    latin.setItem('x', 'café ¤');
    expect(latin.urlencode()).toBe('x=caf%E9+%A4');
    const euro = new QueryDict(null, { mutable: true, encoding: 'iso-8859-15' });
    euro.setItem('x', '€');
    expect(euro.urlencode()).toBe('x=%A4');
    euro.encoding = 'cp1252';
    expect(euro.encoding).toBe('cp1252');
    expect(euro.urlencode()).toBe('x=%80');
  });

  test('single-byte charsets encode through their table; UTF-16 keeps its zero bytes', () => {
    const q = new QueryDict(null, { mutable: true, encoding: 'cp1251' });
    q.setItem('Ж я', 'Ы');
    expect(q.urlencode()).toBe('%C6+%FF=%DB');
    const wide = new QueryDict(null, { mutable: true, encoding: 'utf-16le' });
    wide.setItem('a', 'b');
    expect(wide.urlencode()).toBe('a%00=b%00');
  });

  test('a charset Node cannot encode to is named in the error', () => {
    const q = new QueryDict(null, { mutable: true, encoding: 'shift_jis' });
    q.setItem('x', 'あ');
    expect(() => q.urlencode()).toThrow("cannot encode to 'shift_jis': Node.js has no encoder for shift_jis");
  });

  test('a character the encoding lacks throws, as Python does', () => {
    const q = new QueryDict(null, { mutable: true, encoding: 'latin-1' });
    q.setItem('x', '€');
    expect(() => q.urlencode()).toThrow(new RangeError("'latin-1' codec can't encode character '\\u20ac' in position 0"));
  });

  test('round-trips through the parser', () => {
    const q = data();
    expect(new QueryDict(q.urlencode()).lists()).toEqual(q.lists());
  });
});
