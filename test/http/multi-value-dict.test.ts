import { inspect } from 'node:util';
import { KeyError, MultiValueDictKeyError } from '../../src/http/errors';
import { MultiValueDict } from '../../src/http/multi-value-dict';

// Django's own example (django/utils/datastructures.py docstring, tests/utils_tests/test_datastructures.py).
function beatles(): MultiValueDict<string> {
  return new MultiValueDict<string>({ name: ['Adrian', 'Simon'], position: ['Developer'], empty: [] });
}

describe('MultiValueDict reading', () => {
  test('getItem returns the last value, getList all of them', () => {
    const d = beatles();
    expect(d.getItem('name')).toBe('Simon');
    expect(d.getList('name')).toEqual(['Adrian', 'Simon']);
    expect(d.getItem('position')).toBe('Developer');
  });

  test('getItem on a missing key throws MultiValueDictKeyError, a KeyError', () => {
    const d = beatles();
    expect(() => d.getItem('lastname')).toThrow(MultiValueDictKeyError);
    expect(() => d.getItem('lastname')).toThrow(KeyError);
    expect(() => d.getItem('lastname')).toThrow("'lastname'");
    // A key holding an empty list has no last value.
    expect(() => d.getItem('empty')).toThrow("'empty'");
  });

  test('get falls back to the default, or undefined', () => {
    const d = beatles();
    expect(d.get('name')).toBe('Simon');
    expect(d.get('lastname')).toBeUndefined();
    expect(d.get('lastname', 'nonexistent')).toBe('nonexistent');
    expect(d.get('empty', 'nothing')).toBe('nothing');
  });

  test('getList: [] or the default for a missing key, and always a copy', () => {
    const d = beatles();
    expect(d.getList('lastname')).toEqual([]);
    expect(d.getList('lastname', ['Holovaty'])).toEqual(['Holovaty']);
    expect(d.getList('empty', ['x'])).toEqual([]);
    d.getList('name').push('Jacob');
    expect(d.getList('name')).toEqual(['Adrian', 'Simon']);
  });

  test('keys, items, values, lists, dict keep insertion order', () => {
    const d = beatles();
    expect(d.keys()).toEqual(['name', 'position', 'empty']);
    expect(d.items()).toEqual([
      ['name', 'Simon'],
      ['position', 'Developer'],
    ]);
    expect(d.values()).toEqual(['Simon', 'Developer']);
    expect(d.lists()).toEqual([
      ['name', ['Adrian', 'Simon']],
      ['position', ['Developer']],
      ['empty', []],
    ]);
    expect(d.dict()).toEqual({ name: 'Simon', position: 'Developer' });
    expect([...d]).toEqual(['name', 'position', 'empty']);
    expect(d.size).toBe(3);
    expect(d.has('empty')).toBe(true);
    expect(d.has('nope')).toBe(false);
  });

  test('dict() and toJSON() keep a __proto__ key as data', () => {
    const d = new MultiValueDict<string>([['__proto__', ['x']]]);
    expect(Object.keys(d.dict())).toEqual(['__proto__']);
    expect(JSON.stringify(d.dict())).toBe('{"__proto__":"x"}');
    expect(Object.getPrototypeOf(d.dict())).toBe(Object.prototype);
  });

  test('JSON and console output show every value as a list, like Django repr', () => {
    const d = new MultiValueDict<string>({ a: ['1', '2'], b: ['3'] });
    expect(JSON.stringify(d)).toBe('{"a":["1","2"],"b":["3"]}');
    expect(inspect(d)).toBe("MultiValueDict { a: [ '1', '2' ], b: [ '3' ] }");
  });
});

describe('MultiValueDict writing', () => {
  test('setItem replaces every value with one', () => {
    const d = beatles();
    d.setItem('name', 'Jacob');
    expect(d.getList('name')).toEqual(['Jacob']);
  });

  test('setList stores a copy; appendList appends', () => {
    const d = beatles();
    const list = ['Holovaty', 'Willison'];
    d.setList('lastname', list);
    list.push('Kaplan-Moss');
    expect(d.getList('lastname')).toEqual(['Holovaty', 'Willison']);
    d.appendList('lastname', 'Kaplan-Moss');
    d.appendList('new', 'one');
    expect(d.getList('lastname')).toEqual(['Holovaty', 'Willison', 'Kaplan-Moss']);
    expect(d.getList('new')).toEqual(['one']);
  });

  test('setDefault returns the value now held', () => {
    const d = beatles();
    expect(d.setDefault('name', 'Jacob')).toBe('Simon');
    expect(d.setDefault('team', 'core')).toBe('core');
    expect(d.getList('team')).toEqual(['core']);
    expect(d.setDefault('empty', 'filled')).toBe('filled');
    expect(d.getList('empty')).toEqual(['filled']);
  });

  test('setListDefault returns the stored list, which can be appended to', () => {
    const d = beatles();
    expect(d.setListDefault('name', ['x'])).toEqual(['Adrian', 'Simon']);
    d.setListDefault('team', ['a']).push('b');
    expect(d.getList('team')).toEqual(['a', 'b']);
    d.setListDefault('other').push('z');
    expect(d.getList('other')).toEqual(['z']);
  });

  test('update appends from a MultiValueDict, an object, and pairs, never replacing', () => {
    const d = new MultiValueDict<string>({ a: ['1'] });
    d.update(new MultiValueDict<string>({ a: ['2', '3'], b: ['4'] }));
    d.update({ a: '5', c: ['6', '7'] });
    d.update([
      ['b', '8'],
      ['a', '9'],
    ]);
    d.update(new Map([['d', '10']]));
    expect(d.lists()).toEqual([
      ['a', ['1', '2', '3', '5', '9']],
      ['b', ['4', '8']],
      ['c', ['6', '7']],
      ['d', ['10']],
    ]);
  });

  test('update from another dict does not share its lists', () => {
    const other = new MultiValueDict<string>({ a: ['1'] });
    const d = new MultiValueDict<string>();
    d.update(other);
    d.appendList('a', '2');
    expect(other.getList('a')).toEqual(['1']);
  });

  test('pop returns the whole list; missing key: the default or MultiValueDictKeyError', () => {
    const d = beatles();
    expect(d.pop('name')).toEqual(['Adrian', 'Simon']);
    expect(d.has('name')).toBe(false);
    expect(d.pop('name', 'gone')).toBe('gone');
    expect(d.pop('name', undefined)).toBeUndefined();
    expect(() => d.pop('name')).toThrow(MultiValueDictKeyError);
  });

  test('popItem removes the last inserted key, as Python does', () => {
    const d = beatles();
    expect(d.popItem()).toEqual(['empty', []]);
    expect(d.popItem()).toEqual(['position', ['Developer']]);
    expect(d.popItem()).toEqual(['name', ['Adrian', 'Simon']]);
    expect(() => d.popItem()).toThrow(new MultiValueDictKeyError('', 'popItem(): dictionary is empty'));
  });

  test('delete removes a key; a missing one throws like Python del', () => {
    const d = beatles();
    d.delete('name');
    expect(d.keys()).toEqual(['position', 'empty']);
    expect(() => d.delete('name')).toThrow("'name'");
  });

  test('clear empties the dict', () => {
    const d = beatles();
    d.clear();
    expect(d.size).toBe(0);
    expect(d.lists()).toEqual([]);
  });

  test('copy has its own lists and keeps the class', () => {
    class FileDict extends MultiValueDict<{ name: string }> {}
    const file = { name: 'a.txt' };
    const d = new FileDict({ f: [file] });
    const c = d.copy();
    expect(c).toBeInstanceOf(FileDict);
    c.appendList('f', { name: 'b.txt' });
    expect(d.getList('f')).toEqual([file]);
    expect(c.getList('f')[0]).toBe(file);
  });

  test('the constructor copies the lists it is given', () => {
    const names = ['a'];
    const d = new MultiValueDict<string>([['n', names]]);
    names.push('b');
    expect(d.getList('n')).toEqual(['a']);
  });
});
