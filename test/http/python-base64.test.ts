import { Base64PartDecoder, pythonB64Decode } from '../../src/http/python-base64';

// Expected values are Python 3.11's `base64.b64decode(data)` (validate=False), i.e. CPython's
// binascii.a2b_base64 outside strict mode, which Django's multipart parser calls.

const decode = (text: string) => pythonB64Decode(Buffer.from(text, 'latin1'))?.toString('latin1') ?? null;

describe('pythonB64Decode', () => {
  test.each([
    ['dmFsdWU=', 'value'],
    ['dmFs dWU=', 'value'], // characters outside the alphabet are skipped
    ['dm\r\nFsdWU=', 'value'],
    ['!', ''],
    ['', ''],
    ['QQ==QQ==', 'A'], // the padding that completes a group ends the data
    ['QUI=', 'AB'],
    ['QUJD', 'ABC'],
    ['=QUJD', 'ABC'], // padding before any data is skipped
  ])('%j -> %j', (input, expected) => {
    expect(decode(input)).toBe(expected);
  });

  test.each([
    ['Q'], // one character more than a multiple of four
    ['QUJDR'],
    ['Zsg'], // "Incorrect padding"
    ['Zsg\u00c2\u00a3'], // non-ASCII bytes skipped, three characters left
    ['QU='], // a single pad after two characters does not complete the group
    ['QQ='],
    ['Q=Q='], // a pad after one character is skipped; the second does not complete the group
    ['QQ'], // no padding at all
  ])('%j is binascii.Error (null)', (input) => {
    expect(decode(input)).toBeNull();
  });
});

describe('Base64PartDecoder', () => {
  test('decodes across chunks cut anywhere, line breaks dropped', () => {
    const content = Buffer.from('Big data'.repeat(1000));
    const encoded = content.toString('base64').replace(/.{1,76}/g, '$&\r\n');
    for (const size of [1, 3, 7, 76, 1000]) {
      const decoder = new Base64PartDecoder();
      const out: Buffer[] = [];
      for (let i = 0; i < encoded.length; i += size) out.push(decoder.push(Buffer.from(encoded.slice(i, i + size)))!);
      out.push(decoder.end()!);
      expect([size, Buffer.concat(out).equals(content)]).toEqual([size, true]);
    }
  });

  test('what is left at the end and does not decode is null', () => {
    const decoder = new Base64PartDecoder();
    expect(decoder.push(Buffer.from('QUJDZs'))!.toString()).toBe('ABC');
    expect(decoder.end()).toBeNull();
  });
});
