/**
 * The headers of one multipart part, read as Django's `parse_boundary_stream` reads them
 * (django/http/multipartparser.py), and handed to busboy in a form it parses the same way.
 *
 * busboy 1.x splits the body on the boundary and streams each part; its part-header parser is
 * stricter than Django's and cannot be configured: it refuses `Content-Disposition : form-data`
 * (a space before the colon), a line without a colon, a control character in a value, and allows
 * 16 KiB where Django allows 1,024 bytes; its disposition parser drops a part whose header ends in
 * `;` or names the field with RFC 2231's `name*=`, and it counts an `application/octet-stream`
 * part without a file name as a file. So this module takes over the part headers: busboy's
 * `_hparser` slot (see {@link takeOverPartHeaders}) gets a reader that follows Django line for
 * line, works out Django's view of the part, and gives busboy back a canonical header that only
 * says "field", "file" or "neither". Names, file names, types and transfer encodings come from
 * here, never from busboy.
 */
import { TextDecoder } from 'node:util';
import { MultiPartParserError } from './errors';
import { parseHeaderParameters } from './media-type';

/** Django's MAX_TOTAL_HEADER_SIZE: a part's headers, from the boundary's CRLF to the blank line. */
export const MAX_TOTAL_HEADER_SIZE = 1024;

/** Django's message when the headers do not fit. */
export const HEADERS_TOO_BIG = 'Request max total header size exceeded.';

/** What Django makes of one part: a FIELD or a FILE (both with their Content-Disposition), else RAW. */
export interface PartHead {
  readonly kind: 'field' | 'file' | 'raw';
  /** The `name` parameter, stripped; null when there is none (Django skips the part). */
  readonly name: string | null;
  /** The `filename` parameter as sent (not yet sanitized); null when there is none. */
  readonly fileName: string | null;
  /** The part's media type, lower-cased, '' without a Content-Type (Django's default). */
  readonly contentType: string;
  /** The Content-Type's parameters (Django's `content_type_extra`). */
  readonly contentTypeExtra: Readonly<Record<string, string>>;
  /** `Content-Transfer-Encoding`, lower-cased and stripped; null without one. */
  readonly transferEncoding: string | null;
}

/** A header as Django's `parse_boundary_stream` keeps it: `(value, params)`. */
type ParsedHeader = [string, Record<string, string>];

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

// What busboy is told. Fields are read as latin-1 so that the bytes come back untouched, to be
// decoded here (base64, the part's or the request's charset).
const BUSBOY_FIELD = { 'content-disposition': ['form-data'], 'content-type': ['text/plain; charset=latin1'] };
const BUSBOY_FILE = { 'content-disposition': ['form-data; filename=file'] };
const BUSBOY_NEITHER = {};

/** Django's `line.decode()` and `split(":", 1)`: null for a line Django skips. */
function parseHeaderLine(line: Buffer): [string, ParsedHeader] | null {
  let text: string;
  try {
    text = STRICT_UTF8.decode(line);
  } catch {
    return null; // UnicodeDecodeError is a ValueError: Django skips the line
  }
  const colon = text.indexOf(':');
  if (colon === -1) return null;
  // Django: `header_name.lower().rstrip(" ")`, `value_and_params.lstrip(" ")`.
  const name = text.slice(0, colon).toLowerCase().replace(/ +$/, '');
  try {
    return [name, parseHeaderParameters(text.slice(colon + 1).replace(/^ +/, ''))];
  } catch {
    return null; // a value over MAX_HEADER_LENGTH: Django's ValueError, the line is skipped
  }
}

/**
 * Django's view of a part from its header block (without the blank line that ends it).
 * @example
 * readPartHead(Buffer.from('Content-Disposition : form-data; name*=UTF-8\'\'caf%C3%A9;'));
 * // { kind: 'field', name: 'café', fileName: null, contentType: '', contentTypeExtra: {}, transferEncoding: null }
 */
export function readPartHead(block: Buffer): PartHead {
  const headers = new Map<string, ParsedHeader>();
  let kind: PartHead['kind'] = 'raw';
  for (let start = 0; start <= block.length; ) {
    let end = block.indexOf(CRLF, start);
    if (end === -1) end = block.length;
    const parsed = parseHeaderLine(block.subarray(start, end));
    start = end + 2;
    if (parsed === null) continue;
    const [name, header] = parsed;
    if (name === 'content-disposition') kind = 'filename' in header[1] ? 'file' : 'field';
    headers.set(name, header);
  }
  const disposition = headers.get('content-disposition')?.[1];
  const type = headers.get('content-type');
  const transfer = headers.get('content-transfer-encoding');
  return {
    kind,
    name: disposition?.name === undefined ? null : disposition.name.trim(),
    fileName: disposition?.filename ?? null,
    contentType: type === undefined ? '' : type[0].trim(),
    contentTypeExtra: type === undefined ? NO_PARAMS : type[1],
    transferEncoding: transfer === undefined ? null : transfer[0].trim(),
  };
}

/** busboy's part-header parser, as far as busboy uses it. */
interface BusboyHeaderParser {
  cb: (header: Record<string, string[]>) => void;
}

/**
 * Reads one part's header block as Django does (headers and blank line within the first
 * MAX_TOTAL_HEADER_SIZE bytes, counting the CRLF after the boundary), in busboy's parser
 * interface: `push` returns where the part's content starts, or -1 to make busboy fail.
 */
class DjangoPartHeaderReader {
  private readonly buffer: Buffer;
  private length: number;
  private target: BusboyHeaderParser | null;

  constructor(
    private readonly onHead: (head: PartHead) => void,
    private readonly onTooBig: (error: MultiPartParserError) => void,
  ) {
    this.buffer = Buffer.allocUnsafe(MAX_TOTAL_HEADER_SIZE);
    this.length = 0;
    this.target = null;
  }

  /** A new part begins; `target` is busboy's parser, whose callback gets the canonical header. */
  begin(target: BusboyHeaderParser): void {
    this.target = target;
    // Django's part stream starts right after the boundary, with its CRLF: keep it in the count.
    this.buffer[0] = 0x0d;
    this.buffer[1] = 0x0a;
    this.length = 2;
  }

  push(chunk: Buffer, pos: number, end: number): number {
    const held = this.length;
    const taken = Math.min(end - pos, MAX_TOTAL_HEADER_SIZE - held);
    chunk.copy(this.buffer, held, pos, pos + taken);
    this.length += taken;
    const at = this.buffer.subarray(0, this.length).indexOf(CRLFCRLF, Math.max(0, held - 3));
    if (at !== -1) {
      const head = readPartHead(this.buffer.subarray(2, Math.max(2, at)));
      const target = this.target as BusboyHeaderParser;
      this.onHead(head);
      target.cb(head.kind === 'field' ? BUSBOY_FIELD : head.kind === 'file' ? BUSBOY_FILE : BUSBOY_NEITHER);
      return pos + (at + 4 - held);
    }
    if (this.length < MAX_TOTAL_HEADER_SIZE) return end;
    this.onTooBig(new MultiPartParserError(HEADERS_TOO_BIG));
    return -1;
  }
}

/**
 * Put a {@link DjangoPartHeaderReader} in busboy's `_hparser` slot: busboy assigns its own parser
 * there at each part's start and reads through the slot. The boundary search (`_bparser`, a
 * streamsearch instance) reports each boundary to busboy through its `_cb`; a part whose headers
 * have not ended by then is Django's RAW item, skipped, where busboy would read the next boundary
 * as more header (and at the end report a malformed header).
 * @throws Error when busboy lacks these internals (a busboy release other than the 1.x this was
 * written against): Django's multipart rules would silently not apply.
 * @example
 * const bb = busboy({ headers });
 * takeOverPartHeaders(bb, (head) => (current = head), (error) => fail(error));
 */
export function takeOverPartHeaders(
  bb: object,
  onHead: (head: PartHead) => void,
  onTooBig: (error: MultiPartParserError) => void,
): void {
  const parser = bb as { _hparser?: unknown; _bparser?: { _cb?: unknown } };
  const search = parser._bparser;
  if (!Object.prototype.hasOwnProperty.call(parser, '_hparser') || typeof search?._cb !== 'function') {
    throw new Error('busboy no longer has the part-header slot (_hparser) that Reinhardt relies on; pin busboy 1.x.');
  }
  const reader = new DjangoPartHeaderReader(onHead, onTooBig);
  let active: DjangoPartHeaderReader | null = null;
  Object.defineProperty(parser, '_hparser', {
    configurable: true,
    get: () => active,
    set: (value: unknown) => {
      if (value === null || value === undefined) {
        active = null;
        return;
      }
      reader.begin(value as BusboyHeaderParser);
      active = reader;
    },
  });
  type SearchCallback = (isMatch: boolean, data: Buffer | undefined, start: number, end: number, isDataSafe: boolean) => void;
  const onSearch = search._cb as SearchCallback;
  const afterBoundary: SearchCallback = (isMatch, data, start, end, isDataSafe) => {
    onSearch(isMatch, data, start, end, isDataSafe);
    if (isMatch) active = null;
  };
  search._cb = afterBoundary;
}
