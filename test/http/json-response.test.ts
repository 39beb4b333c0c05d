import { HttpResponse } from '../../src/http/http-response';
import { JsonResponse, defaultJsonEncoder, encodeJson, type JsonEncoder } from '../../src/http/json-response';

describe('JsonResponse', () => {
  it('encodes a plain object with Content-Type application/json', () => {
    const response = new JsonResponse({ foo: 'bar' });
    expect(response).toBeInstanceOf(HttpResponse);
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.text).toBe('{"foo":"bar"}');
    expect(response.charset).toBe('utf-8');
  });

  it('keeps the typed data', () => {
    const data = { polls: [{ id: 1 }] };
    const response = new JsonResponse(data);
    expect(response.data).toBe(data);
    const typed: { id: number }[] = response.data.polls;
    expect(typed[0].id).toBe(1);
  });

  it('takes HttpResponse options', () => {
    const response = new JsonResponse({ a: 1 }, { status: 201, headers: { 'X-A': '1' }, contentType: 'application/vnd.api+json' });
    expect(response.statusCode).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(response.headers.get('x-a')).toBe('1');
  });

  it.each([[[1, 2]], ['text'], [42], [null], [new Set([1])], [new Date(0)]])(
    'with safe (the default) refuses the non-object %p with TypeError',
    (data) => {
      expect(() => new JsonResponse(data)).toThrow(TypeError);
      expect(() => new JsonResponse(data)).toThrow('In order to allow non-dict objects to be serialized set the safe option to false ({ safe: false }).');
    },
  );

  it('with safe: false encodes anything', () => {
    expect(new JsonResponse([1, 2], { safe: false }).text).toBe('[1,2]');
    expect(new JsonResponse('text', { safe: false }).text).toBe('"text"');
    expect(new JsonResponse(null, { safe: false }).text).toBe('null');
    expect(new JsonResponse(undefined, { safe: false }).text).toBe('null');
  });

  it('class instances and Maps count as objects', () => {
    class Poll {
      constructor(readonly id: number, readonly question: string) {}
    }
    expect(new JsonResponse(new Poll(1, 'Why?')).text).toBe('{"id":1,"question":"Why?"}');
    expect(new JsonResponse(new Map([['a', 1]])).text).toBe('{"a":1}');
  });

  it('the default encoder: Date as ISO 8601, bigint as a string, Map as object, Set as array, toJSON honoured', () => {
    const data = {
      when: new Date('2024-05-06T07:08:09.010Z'),
      big: 12345678901234567890n,
      map: new Map<string, unknown>([['k', new Set([1, 2])], ['n', 3n]]),
      set: new Set(['x']),
      money: { toJSON: () => '12.50' },
      nested: [{ deep: new Map([[1, 'one']]) }],
    };
    expect(JSON.parse(new JsonResponse(data).text)).toEqual({
      when: '2024-05-06T07:08:09.010Z',
      big: '12345678901234567890',
      map: { k: [1, 2], n: '3' },
      set: ['x'],
      money: '12.50',
      nested: [{ deep: { 1: 'one' } }],
    });
  });

  it('a custom encoder is a replacer that may delegate to defaultJsonEncoder', () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    const encoder: JsonEncoder = (key, value) => (value instanceof Money ? (value.cents / 100).toFixed(2) : defaultJsonEncoder(key, value));
    const response = new JsonResponse({ price: new Money(1250), count: 2n }, { encoder });
    expect(response.text).toBe('{"price":"12.50","count":"2"}');
  });

  it('jsonDumpsParams: indent, sortKeys, ensureAscii', () => {
    expect(new JsonResponse({ b: 1, a: [1] }, { jsonDumpsParams: { indent: 2 } }).text).toBe('{\n  "b": 1,\n  "a": [\n    1\n  ]\n}');
    expect(new JsonResponse({ b: 1, a: { d: 1, c: 2 } }, { jsonDumpsParams: { sortKeys: true } }).text).toBe('{"a":{"c":2,"d":1},"b":1}');
    expect(new JsonResponse({ name: 'café ☕' }, { jsonDumpsParams: { ensureAscii: true } }).text).toBe('{"name":"caf\\u00e9 \\u2615"}');
    expect(new JsonResponse({ name: 'café' }).text).toBe('{"name":"café"}');
    expect(new JsonResponse({ name: 'café' }).content).toEqual(Buffer.from('{"name":"café"}', 'utf8'));
  });

  it('a cycle throws TypeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => new JsonResponse(cyclic)).toThrow(TypeError);
  });

  it('data nested deeper than the quick check still encodes', () => {
    let deep: unknown = { leaf: 1n };
    for (let i = 0; i < 40; i++) deep = { child: deep };
    expect(encodeJson(deep)).toBe('{"child":'.repeat(40) + '{"leaf":"1"}' + '}'.repeat(40));
  });
});
