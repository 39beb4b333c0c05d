import { ImproperlyConfigured } from '../../src/http/errors';
import { getConverter } from '../../src/routing/converters';
import { compilePattern } from '../../src/routing/path-pattern';

describe('compilePattern (Django _route_to_regex)', () => {
  test('parses converters and names in order, <x> defaulting to str', () => {
    const compiled = compilePattern('/articles/<int:year>/<slug>/');
    expect(compiled.params.map((p) => [p.name, p.converterName])).toEqual([
      ['year', 'int'],
      ['slug', 'str'],
    ]);
    expect(compiled.params[1].converter).toBe(getConverter('str'));
    expect(compiled.isStatic).toBe(false);
    expect(compiled.parts).toEqual(['/articles/', compiled.params[0], '/', compiled.params[1], '/']);
  });

  test('the regex is anchored and escapes the text around the parameters', () => {
    const compiled = compilePattern('/files/v1.0/file-<int:id>.txt');
    expect(compiled.regex.test('/files/v1.0/file-12.txt')).toBe(true);
    expect(compiled.regex.test('/files/v1x0/file-12.txt')).toBe(false);
    expect(compiled.regex.test('/files/v1.0/file-12.txt/')).toBe(false);
    expect(compiled.regex.exec('/files/v1.0/file-12.txt')!.groups).toEqual({ p0: '12' });
  });

  test('a pattern without parameters is static', () => {
    const compiled = compilePattern('/about/');
    expect(compiled.isStatic).toBe(true);
    expect(compiled.params).toEqual([]);
    expect(compiled.parts).toEqual(['/about/']);
  });

  test('regex metacharacters in the text are literal', () => {
    const compiled = compilePattern('/a+b/(c)/[d]/$e^/<int:n>');
    expect(compiled.regex.test('/a+b/(c)/[d]/$e^/1')).toBe(true);
    expect(compiled.regex.test('/aab/(c)/[d]/$e^/1')).toBe(false);
  });

  test('an unknown converter names the pattern', () => {
    expect(() => compilePattern('/x/<foo:bar>/')).toThrow(ImproperlyConfigured);
    expect(() => compilePattern('/x/<foo:bar>/')).toThrow("URL route '/x/<foo:bar>/' uses invalid converter 'foo'.");
  });

  test('a parameter name that is not an identifier names the pattern', () => {
    expect(() => compilePattern('/x/<int:2x>/')).toThrow(
      "URL route '/x/<int:2x>/' uses parameter name '2x' which isn't a valid identifier.",
    );
    expect(() => compilePattern('/x/<int:a-b>/')).toThrow(ImproperlyConfigured);
  });

  test('whitespace in angle brackets names the pattern', () => {
    expect(() => compilePattern('/x/<int: id>/')).toThrow(
      "URL route '/x/<int: id>/' cannot contain whitespace in angle brackets <…>.",
    );
  });

  test('the same parameter name twice names the pattern', () => {
    expect(() => compilePattern('/x/<int:id>/<slug:id>/')).toThrow(
      "URL route '/x/<int:id>/<slug:id>/' uses parameter name 'id' more than once.",
    );
  });

  test('unicode identifiers are accepted, as Python str.isidentifier()', () => {
    expect(compilePattern('/x/<int:número>/').params[0].name).toBe('número');
  });
});
