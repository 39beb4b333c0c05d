/**
 * Python's `base64.b64decode(data)` (validate=False, CPython's `binascii.a2b_base64` outside strict
 * mode), which Django's multipart parser applies to parts sent with
 * `Content-Transfer-Encoding: base64` (django/http/multipartparser.py). Node's base64 decoder is
 * more lenient (it never fails), so the decode is written out here to fail where Python fails:
 * a field that does not decode keeps its raw text, a file that does not decode is a 400.
 */

/** Python's rule: a byte outside the alphabet is skipped; the value is the 6 bits, 255 for skipped. */
const ALPHABET = new Uint8Array(256).fill(255);
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < LETTERS.length; i++) ALPHABET[LETTERS.charCodeAt(i)] = i;
const PAD = 0x3d; // '='

/**
 * The bytes `data` holds in base64, decoded as `binascii.a2b_base64(data, strict_mode=False)`:
 * characters outside the alphabet are skipped, decoding stops at the padding that completes a
 * group, and null stands for Python's `binascii.Error` (a last group of one to three characters
 * without its padding).
 * @example pythonB64Decode(Buffer.from('dmFsdWU=')) // <Buffer 76 61 6c 75 65> ('value')
 * @example pythonB64Decode(Buffer.from('!'))        // <Buffer > (nothing in the alphabet)
 * @example pythonB64Decode(Buffer.from('Zsg'))      // null ("Incorrect padding")
 */
export function pythonB64Decode(data: Uint8Array): Buffer | null {
  const out = Buffer.allocUnsafe(Math.floor((data.length * 3) / 4) + 3);
  let written = 0;
  let quadPos = 0;
  let pads = 0;
  let left = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    if (byte === PAD) {
      // CPython: `if (quad_pos >= 2 && quad_pos + ++pads >= 4) goto done;`
      if (quadPos >= 2 && quadPos + ++pads >= 4) return out.subarray(0, written);
      continue;
    }
    const value = ALPHABET[byte];
    if (value === 255) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        left = value;
        quadPos = 1;
        break;
      case 1:
        out[written++] = ((left << 2) | (value >> 4)) & 0xff;
        left = value & 0x0f;
        quadPos = 2;
        break;
      case 2:
        out[written++] = ((left << 4) | (value >> 2)) & 0xff;
        left = value & 0x03;
        quadPos = 3;
        break;
      default:
        out[written++] = ((left << 6) | value) & 0xff;
        quadPos = 0;
    }
  }
  return quadPos === 0 ? out.subarray(0, written) : null;
}

/** ASCII whitespace, as Python's `bytes.split()` with no argument splits on. */
function isWhitespace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * The streaming decode of a base64 file part, as Django's `MultiPartParser._parse` does it:
 * whitespace (line breaks of `base64.encodebytes`) is dropped, and each chunk is decoded once it
 * holds a multiple of four characters, the rest carried to the next chunk.
 *
 * @example
 * const decoder = new Base64PartDecoder();
 * const bytes = Buffer.concat([decoder.push(Buffer.from('dmFs')), decoder.push(Buffer.from('dWU=\r\n'))]);
 * decoder.end(); // throws nothing: 'value' was well-formed
 */
export class Base64PartDecoder {
  private carry: Buffer;

  constructor() {
    this.carry = Buffer.alloc(0);
  }

  /** The bytes decoded from `chunk` and what was carried; null when they are not base64. */
  push(chunk: Buffer): Buffer | null {
    const text = Buffer.allocUnsafe(this.carry.length + chunk.length);
    this.carry.copy(text);
    let length = this.carry.length;
    for (let i = 0; i < chunk.length; i++) if (!isWhitespace(chunk[i])) text[length++] = chunk[i];
    const whole = length - (length % 4);
    this.carry = Buffer.from(text.subarray(whole, length));
    return whole === 0 ? Buffer.alloc(0) : pythonB64Decode(text.subarray(0, whole));
  }

  /** The bytes of the characters left over at the end of the part; null when they do not decode. */
  end(): Buffer | null {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest.length === 0 ? Buffer.alloc(0) : pythonB64Decode(rest);
  }
}
