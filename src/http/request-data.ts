/**
 * The fourth layer of HttpRequest (http-request.ts): the request's data attributes, Django's
 * `COOKIES`, `GET`, `POST`, `FILES` (django/http/request.py, `_load_post_and_files`;
 * django/http/parsers.py) with `REQUEST`, `data`, `json()` and `validate()`. Each parses on first
 * access and caches; assigning `encoding` drops what was decoded with the old one.
 */
import type { IncomingMessage } from 'node:http';
import type { Settings } from '../core/settings';
import type { InferSchemaOutput, StandardSchemaV1 } from '../validation/standard-schema';
import { validateWith, type Validator } from '../validation/validator';
import { MultiValueDictKeyError } from './errors';
import { MultiValueDict } from './multi-value-dict';
import { QueryDict, isKnownCharset } from './query-dict';
import { isJsonType, parseFormBody, parseJsonBody, toPlainObject } from './request-body';
import { RequestBodyReader } from './request-body-reader';
import { parseCookieHeader } from './request-cookies';
import type { UploadedFile } from './uploaded-file';

/** Where `request.validate()` takes its input from: the parsed body, the query, or a given object. */
export type ValidationSource = 'data' | 'body' | 'query' | object;

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
const UNSET = Symbol('unset');
/** Methods whose input is their body, for `validate()` without a source. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A request's data (see the module's comment); `HttpRequest` is the class to use.
 * @example const choice = request.POST.getItem('choice');
 */
export abstract class RequestData extends RequestBodyReader {
  private _cookies: Record<string, string> | null;
  private _get: QueryDict | null;
  private _post: QueryDict | null;
  private _files: MultiValueDict<UploadedFile> | null;
  private _request: QueryDict | null;
  private _data: unknown;
  private _json: unknown;

  constructor(req: IncomingMessage, settings: Readonly<Settings>) {
    super(req, settings);
    this._cookies = null;
    this._get = null;
    this._post = null;
    this._files = null;
    this._request = null;
    this._data = UNSET;
    this._json = UNSET;
  }

  /** Cookie name -> value (Django's lenient parsing, see request-cookies.ts). */
  get COOKIES(): Record<string, string> {
    if (this._cookies === null) {
      const header = this.metaValue('HTTP_COOKIE', 'cookie');
      this._cookies = header ? parseCookieHeader(header) : Object.create(null);
    }
    return this._cookies as Record<string, string>;
  }

  /** The query string's parameters (immutable QueryDict). */
  get GET(): QueryDict {
    return (
      this._get ??
      (this._get = new QueryDict(this.rawQuery, { encoding: this.encoding, maxNumFields: this.settings.dataUploadMaxNumberFields }))
    );
  }

  /**
   * The form fields of an `application/x-www-form-urlencoded` or `multipart/form-data` body
   * (immutable QueryDict); empty for any other body.
   */
  get POST(): QueryDict {
    return this._post ?? (this._post = this.loadPost());
  }

  /** The uploaded files of a multipart body (empty otherwise). */
  get FILES(): MultiValueDict<UploadedFile> {
    if (this._files === null) {
      const payload = this.payloadLoaded('FILES');
      // A form body's POST first: its errors are FILES' too, as in Django's _load_post_and_files.
      if (this.contentType === FORM) void this.POST;
      this._files = payload?.files ?? new MultiValueDict<UploadedFile>();
    }
    return this._files;
  }

  /** POST then GET: a key's values come from POST when POST has it (Django's old MergeDict). */
  get REQUEST(): QueryDict {
    if (this._request === null) {
      const post = this.POST;
      const merged = new QueryDict(null, { mutable: true, encoding: this.encoding });
      for (const [key, list] of post.lists()) merged.setList(key, list);
      for (const [key, list] of this.GET.lists()) if (!post.has(key)) merged.setList(key, list);
      merged._freeze();
      this._request = merged;
    }
    return this._request;
  }

  /** The last value of `key` in POST, else in GET; throws MultiValueDictKeyError. */
  getItem(key: string): string {
    const post = this.POST;
    if (post.has(key)) return post.getItem(key);
    const get = this.GET;
    if (get.has(key)) return get.getItem(key);
    throw new MultiValueDictKeyError(key);
  }

  /** Does POST or GET have `key`? */
  hasKey(key: string): boolean {
    return this.POST.has(key) || this.GET.has(key);
  }

  /**
   * The body parsed by its content type: the JSON value for `application/json` and `*+json`
   * (`{}` for an empty body), the POST QueryDict for form and multipart bodies, else undefined
   * (read `body` for anything else). Throws BadRequest ("JSON parse error - ...") on bad JSON.
   */
  get data(): unknown {
    if (this._data === UNSET) {
      this.payloadLoaded('data');
      const type = this.contentType;
      if (isJsonType(type)) this._data = this.json();
      else if (type === FORM || type === MULTIPART) this._data = this.POST;
      else this._data = undefined;
    }
    return this._data;
  }

  /**
   * The body parsed as JSON, whatever the content type (`{}` for an empty body). Throws
   * BadRequest ("JSON parse error - ...") when it is not JSON.
   * @example const { title } = request.json<{ title: string }>();
   */
  json<T = unknown>(): T {
    if (this._json === UNSET) this._json = parseJsonBody(this.body, this.encoding);
    return this._json as T;
  }

  /**
   * Validate input into a `Dto` instance (class-validator, SPEC §8) or through a Standard Schema
   * (Zod, Valibot, ...; resolves with the schema's output). The source defaults to the body
   * (`data`) for requests with one (and POST/PUT/PATCH), else the query. Form and query data
   * become a plain object whose repeated keys hold arrays (files of a multipart body included);
   * for a DTO their text is converted to the declared property types as Django's form fields do
   * (`"5"` for an `@IsInt()` field, `"false"` for a boolean); a JSON body is validated as it
   * came, so `"5"` is not an integer there. Rejects with ValidationError.
   * @example
   * const signup = await request.validate(SignupDto);
   * const page = await request.validate(z.object({ page: z.coerce.number() }), 'query'); // { page: number }
   */
  validate<T extends object>(dto: new () => T, source?: ValidationSource): Promise<T>;
  validate<S extends StandardSchemaV1>(schema: S, source?: ValidationSource): Promise<InferSchemaOutput<S>>;
  validate(validator: Validator, source?: ValidationSource): Promise<unknown>;
  async validate(validator: Validator, source?: ValidationSource): Promise<unknown> {
    const input = this.validationInput(source);
    return validateWith(validator, input.value, { textual: input.textual });
  }

  protected override encodingChanged(): void {
    this._get = null;
    this._post = null;
    this._request = null;
    this._data = UNSET;
    this._json = UNSET;
  }

  /**
   * POST as Django's `_load_post_and_files` fills it: the multipart parser's fields; a form
   * body's, decoded as UTF-8 (see parseFormBody); empty for any other body, and when the code
   * read the stream before the body was loaded (Django's `_mark_post_parse_error`).
   */
  private loadPost(): QueryDict {
    const payload = this.payloadLoaded('POST');
    if (payload !== null && payload.post !== null) return payload.post;
    if (payload === null || payload.streamed || this.contentType !== FORM) return new QueryDict(null, { encoding: this.encoding });
    const max = this.settings.dataUploadMaxNumberFields;
    // GET and POST fields share the one limit.
    return parseFormBody(payload.body(), this.explicitCharset(), max === null ? null : max - QueryDict.countFields(this.rawQuery));
  }

  /**
   * The charset the Content-Type named (one Node knows, as Django keeps only those) or the code
   * assigned; undefined when the encoding is only `defaultCharset`'s.
   */
  private explicitCharset(): string | undefined {
    const encoding = this.encoding;
    if (encoding !== this.settings.defaultCharset) return encoding;
    const charset = this.contentParams.charset;
    return charset !== undefined && isKnownCharset(charset) ? encoding : undefined;
  }

  /** The input to validate, and whether it is text (form, query, a given object) to convert. */
  private validationInput(source: ValidationSource | undefined): { value: unknown; textual: boolean } {
    const from = source ?? (this.carriesBody() || BODY_METHODS.has(this.method) ? 'data' : 'query');
    if (from === 'query') return { value: toPlainObject(this.GET, null), textual: true };
    if (from === 'data' || from === 'body') {
      const data = this.data;
      if (data instanceof QueryDict) return { value: toPlainObject(data, this._payload?.files ?? null), textual: true };
      return { value: data === undefined ? {} : data, textual: false };
    }
    return { value: from, textual: true };
  }
}
