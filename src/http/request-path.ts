/**
 * The request's path as Django gives it: percent-decoded, with the octets that are not part of a
 * well-formed UTF-8 sequence percent-encoded again (django/utils/encoding.py,
 * `repercent_broken_unicode`, after RFC 3987 §3.2 step three), so `/caf%E9/` (a Latin-1 `é`)
 * stays `/caf%E9/` instead of failing the request: its (wrong) encoding cannot be known
 * (Django's test_wsgirequest_path_info, ticket #26971). A malformed escape (`/%ZZ/`) is still a
 * BadRequest (400).
 */
import { BadRequest } from './errors';
import { pyRepr } from './django-text';

const HEX = '0123456789ABCDEF';
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i;

/**
 * The percent-decoded path of a request target (an absolute-form target keeps only its path).
 * @throws BadRequest for a malformed percent-escape.
 * @example
 * decodeRequestPath('/caf%C3%A9/') // '/café/'
 * decodeRequestPath('/caf%E9/')    // '/caf%E9/'
 */
export function decodeRequestPath(raw: string): string {
  let path = raw;
  if (path.charCodeAt(0) !== 0x2f && path !== '*') {
    // Absolute-form request target (RFC 9112 §3.2.2), sent to proxies: keep its path.
    const match = ABSOLUTE_FORM.exec(path);
    if (match !== null) path = path.slice(match[0].length) || '/';
  }
  if (path.indexOf('%') === -1) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    // A malformed escape, or escapes of bytes that are not UTF-8: told apart below.
  }
  return repercentBrokenUnicode(percentDecode(path, raw));
}

/** The octets `path` stands for; throws BadRequest for a `%` not followed by two hex digits. */
function percentDecode(path: string, raw: string): Buffer {
  const bytes = Buffer.alloc(Buffer.byteLength(path, 'utf8'));
  let length = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 0x25) {
      const hex = path.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(hex)) throw new BadRequest(`The request path ${pyRepr(raw)} has an invalid percent-escape.`);
      bytes[length++] = parseInt(hex, 16);
      i += 2;
    } else if (code < 0x80) {
      bytes[length++] = code;
    } else {
      // A character node:http let through unescaped: its own UTF-8 bytes.
      const end = code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1;
      length += bytes.write(path.slice(i, end), length, 'utf8');
      i = end - 1;
    }
  }
  return bytes.subarray(0, length);
}

/**
 * The length of the well-formed UTF-8 sequence at `bytes[i]` (Unicode's Table 3-7), or 0 when
 * the byte does not start one.
 */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  const second = bytes[i + 1];
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k];
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/**
 * Decodes `bytes` as UTF-8, percent-encoding every octet outside a well-formed sequence (each is
 * 0x80 or above, so Python's `quote` and its safe characters always encode it: `%E9`).
 */
function repercentBrokenUnicode(bytes: Buffer): string {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      const byte = bytes[i++];
      out.push(0x25, HEX.charCodeAt(byte >> 4), HEX.charCodeAt(byte & 15));
    } else {
      for (let k = 0; k < length; k++) out.push(bytes[i + k]);
      i += length;
    }
  }
  return Buffer.from(out).toString('utf8');
}
