import { Readable } from 'node:stream';
import type { Application } from '../core/application';
import { FROM_TEST_CLIENT, HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { forceLogin, logoutSession } from './force-login';
import { checkResponse } from '../openapi/response-check';

/** A file to upload with the Client: `Client.file('a.txt', 'hello', 'text/plain')`. */
export class ClientFile {
  constructor(
    readonly name: string,
    readonly content: Buffer,
    readonly contentType: string,
  ) {}
}

export interface ClientRequestOptions {
  /** Extra request headers; `Host` and `Cookie` may be set here too. */
  headers?: Record<string, string>;
  /** Make the request as if over HTTPS. */
  secure?: boolean;
}

export interface ClientBodyOptions extends ClientRequestOptions {
  /** Send `data` as JSON. */
  json?: boolean;
  /** With a string or Buffer `data`: sent raw with this Content-Type. */
  contentType?: string;
  /** Query string parameters appended to the path. */
  query?: QueryData;
}

export type QueryData = Record<string, string | number | boolean | readonly (string | number | boolean)[]>;
export type FormValue = string | number | boolean | ClientFile | readonly (string | number | boolean | ClientFile)[];

/**
 * What the Client returns: the response itself, plus the bytes it sent and `json()`. `T` is the
 * type `json()` gives, as the request method was told (`client.get<Poll[]>(...)`).
 */
export type TestResponse<T = any> = HttpResponse & {
  /** The body as a client would receive it (streaming responses read to the end). */
  readonly body: Buffer;
  /** The body parsed as JSON, typed as `T` (no runtime check). */
  json(): T;
  /** The body parsed as JSON, typed as `R`: `response.json<Poll>()`. */
  json<R>(): R;
};

/** Options of a Client, for every request it makes. */
export interface ClientOptions {
  /** Check CSRF tokens as a browser's requests would be (Django's `enforce_csrf_checks`); off by default. */
  enforceCsrfChecks?: boolean;
  /** An API token sent as `Authorization: Token <token>` with every request (see `credentials`). */
  token?: string;
  /** Headers sent with every request (a request's own `headers` win). */
  headers?: Record<string, string>;
}

/**
 * Django's test client: runs the whole pipeline in-process, with no socket, keeping cookies
 * across requests. CSRF checks are off unless `enforceCsrfChecks` (as Django's). Each request
 * method takes the type its `json()` gives; `token` / `credentials()` send an API token with every
 * request (DRF's `APIClient`).
 * @example
 * const client = new Client(app, { token });
 * const response = await client.post<{ id: number }>('/api/polls/', { question: 'Why?' }, { json: true });
 * expect(response.statusCode).toBe(201);
 * const { id } = response.json(); // id: number
 */
export class Client {
  /** Cookies kept across requests, by name. */
  readonly cookies = new Map<string, string>();
  private readonly enforceCsrfChecks: boolean;
  /** Headers of `options.headers`, `token` and `credentials()`, lowercased, sent with every request. */
  private defaultHeaders: Record<string, string>;
  private readonly baseHeaders: Record<string, string>;

  constructor(
    private readonly app: Application,
    options: ClientOptions = {},
  ) {
    this.enforceCsrfChecks = options.enforceCsrfChecks ?? false;
    this.baseHeaders = lowercased(options.headers ?? {});
    this.defaultHeaders = { ...this.baseHeaders };
    if (options.token !== undefined) this.defaultHeaders.authorization = `Token ${options.token}`;
  }

  /**
   * Headers to send with every later request, replacing those of an earlier call and the
   * `token` option (DRF's `APIClient.credentials`); no argument: send none any more.
   * @example
   * client.credentials({ Authorization: `Bearer ${token}` });
   * client.credentials(); // anonymous again
   */
  credentials(headers: Record<string, string> = {}): void {
    this.defaultHeaders = { ...this.baseHeaders, ...lowercased(headers) };
  }

  /** A file for a multipart upload. */
  static file(name: string, content: string | Buffer, contentType = 'application/octet-stream'): ClientFile {
    return new ClientFile(name, typeof content === 'string' ? Buffer.from(content) : content, contentType);
  }

  get<T = any>(path: string, query?: QueryData, options?: ClientRequestOptions): Promise<TestResponse<T>> {
    return this.request('GET', withQuery(path, query), null, null, options);
  }
  head<T = any>(path: string, query?: QueryData, options?: ClientRequestOptions): Promise<TestResponse<T>> {
    return this.request('HEAD', withQuery(path, query), null, null, options);
  }
  options<T = any>(path: string, query?: QueryData, options?: ClientRequestOptions): Promise<TestResponse<T>> {
    return this.request('OPTIONS', withQuery(path, query), null, null, options);
  }
  post<T = any>(path: string, data?: unknown, options?: ClientBodyOptions): Promise<TestResponse<T>> {
    return this.withBody('POST', path, data, options);
  }
  put<T = any>(path: string, data?: unknown, options?: ClientBodyOptions): Promise<TestResponse<T>> {
    return this.withBody('PUT', path, data, options);
  }
  patch<T = any>(path: string, data?: unknown, options?: ClientBodyOptions): Promise<TestResponse<T>> {
    return this.withBody('PATCH', path, data, options);
  }
  delete<T = any>(path: string, data?: unknown, options?: ClientBodyOptions): Promise<TestResponse<T>> {
    return this.withBody('DELETE', path, data, options);
  }

  /** Logs `user` in without credentials: a session holding the user's id, its cookie in the jar. */
  async forceLogin(user: object): Promise<void> {
    const cookie = await forceLogin(this.app, user);
    this.cookies.set(cookie.name, cookie.value);
  }

  /** Ends the session: the server-side record is deleted and the cookies are forgotten. */
  async logout(): Promise<void> {
    const key = this.cookies.get(this.app.settings.sessionCookieName);
    if (key !== undefined) await logoutSession(this.app, key);
    this.cookies.clear();
  }

  private async withBody(method: string, path: string, data: unknown, options: ClientBodyOptions = {}): Promise<TestResponse> {
    const target = withQuery(path, options.query);
    if (data === undefined || data === null) return this.request(method, target, null, null, options);
    if (options.json) return this.request(method, target, Buffer.from(JSON.stringify(data)), 'application/json', options);
    if (typeof data === 'string' || Buffer.isBuffer(data)) {
      return this.request(method, target, Buffer.from(data), options.contentType ?? 'application/octet-stream', options);
    }
    const fields = Object.entries(data as Record<string, FormValue>);
    const hasFile = fields.some(([, v]) => v instanceof ClientFile || (Array.isArray(v) && v.some((x) => x instanceof ClientFile)));
    if (!hasFile) {
      const form = new URLSearchParams();
      for (const [key, value] of fields) for (const item of toArray(value)) form.append(key, String(item));
      return this.request(method, target, Buffer.from(form.toString()), 'application/x-www-form-urlencoded', options);
    }
    // The WHATWG encoder writes the multipart body and its boundary; no hand-written encoder.
    const form = new FormData();
    for (const [key, value] of fields) {
      for (const item of toArray(value)) {
        if (item instanceof ClientFile) form.append(key, new Blob([item.content], { type: item.contentType }), item.name);
        else form.append(key, String(item));
      }
    }
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    return this.request(method, target, body, encoded.headers.get('content-type')!, options);
  }

  private async request(method: string, path: string, body: Buffer | null, contentType: string | null, options: ClientRequestOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { host: 'testserver', ...this.defaultHeaders };
    if (this.cookies.size > 0) {
      headers.cookie = Array.from(this.cookies, ([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    }
    if (body !== null) {
      headers['content-length'] = String(body.length);
      if (contentType !== null) headers['content-type'] = contentType;
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;

    const request = new HttpRequest(fakeIncomingMessage(method, path, headers, body, options.secure ?? false), this.app.settings);
    request.dontEnforceCsrfChecks = !this.enforceCsrfChecks;
    let response: HttpResponse;
    let bytes: Buffer;
    try {
      response = await this.app.dispatch(request);
      bytes = await readBody(response);
      if (this.app.settings.openApiValidateResponses) checkResponse(this.app, request, response, bytes);
    } finally {
      await request.cleanup();
    }
    this.keepCookies(response);
    if (method === 'HEAD') {
      // Django's conditional_content_removal: the server sends no body for HEAD, so neither
      // `content` nor `text` has one here (the headers, Content-Length included, stay).
      bytes = Buffer.alloc(0);
      if (!response.streaming) response.content = bytes;
    }
    return Object.assign(response, {
      body: bytes,
      json<R>(): R {
        return JSON.parse(bytes.toString('utf8')) as R;
      },
    });
  }

  private keepCookies(response: HttpResponse): void {
    for (const [name, cookie] of response.cookies) {
      const expired = cookie.options.maxAge === 0 || (cookie.options.expires !== undefined && Date.parse(cookie.options.expires) <= Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, cookie.value);
    }
  }
}

function lowercased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function toArray<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? value : [value as T];
}

function withQuery(path: string, query: QueryData | undefined): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const item of toArray(value)) params.append(key, String(item));
  const text = params.toString();
  if (text === '') return path;
  return path + (path.includes('?') ? '&' : '?') + text;
}

/** Reads a response's body as a client would: buffered content, or the whole stream. */
async function readBody(response: HttpResponse): Promise<Buffer> {
  if (!response.streaming) return response.content;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of (response as unknown as { streamingContent: AsyncIterable<Buffer> }).streamingContent) chunks.push(chunk);
  } finally {
    response.close();
  }
  return Buffer.concat(chunks);
}

/**
 * What HttpRequest reads from node's IncomingMessage, without a socket: the method, URL, headers
 * (raw and merged as node merges them), the peer address, and the body as a stream.
 */
function fakeIncomingMessage(method: string, url: string, headers: Record<string, string>, body: Buffer | null, secure: boolean) {
  const stream = Readable.from(body === null ? [] : [body]) as Readable & Record<string | symbol, unknown>;
  stream.method = method;
  stream.url = url;
  stream.headers = headers;
  stream.rawHeaders = Object.entries(headers).flat();
  stream.httpVersion = '1.1';
  stream.complete = true;
  stream.socket = { remoteAddress: '127.0.0.1', remotePort: 50000, localPort: secure ? 443 : 80, encrypted: secure };
  stream[FROM_TEST_CLIENT] = true;
  return stream as unknown as import('node:http').IncomingMessage;
}
