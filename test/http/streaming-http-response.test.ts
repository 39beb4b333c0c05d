import { Readable } from 'node:stream';
import { HttpResponse } from '../../src/http/http-response';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';

async function collect(iterable: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

describe('StreamingHttpResponse', () => {
  it('is an HttpResponse with streaming true and the default content type', () => {
    const response = new StreamingHttpResponse(['a']);
    expect(response).toBeInstanceOf(HttpResponse);
    expect(response.streaming).toBe(true);
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('streamingContent gives Buffers, text encoded with the charset', async () => {
    const response = new StreamingHttpResponse(['é', Buffer.from('b'), new Uint8Array([0x63])], { charset: 'latin1' });
    expect(await collect(response.streamingContent)).toEqual([Buffer.from([0xe9]), Buffer.from('b'), Buffer.from('c')]);
  });

  it('reads an async generator lazily, one chunk at a time', async () => {
    const produced: number[] = [];
    async function* rows() {
      for (let i = 0; i < 3; i++) {
        produced.push(i);
        yield `row ${i}\n`;
      }
    }
    const response = new StreamingHttpResponse(rows(), { contentType: 'text/csv' });
    expect(produced).toEqual([]);
    const iterator = response.streamingContent[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual(Buffer.from('row 0\n'));
    expect(produced).toEqual([0]);
  });

  it('a byte Readable is handed over as it is; a text Readable is encoded', async () => {
    const bytes = Readable.from([Buffer.from('x')], { objectMode: false });
    expect(new StreamingHttpResponse(bytes).streamingContent).toBe(bytes);
    const text = Readable.from(['a', 'b']);
    expect(Buffer.concat(await collect(new StreamingHttpResponse(text).streamingContent)).toString()).toBe('ab');
  });

  it('content, text, write and tell throw Django\'s messages', () => {
    const response = new StreamingHttpResponse([]);
    expect(() => response.content).toThrow('This StreamingHttpResponse instance has no `content` attribute. Use `streamingContent` instead.');
    expect(() => { response.content = 'x'; }).toThrow('This StreamingHttpResponse instance has no `content` attribute. Use `streamingContent` instead.');
    expect(() => response.text).toThrow('This StreamingHttpResponse instance has no `text` attribute.');
    expect(() => response.write('x')).toThrow('This StreamingHttpResponse instance is not writable');
    expect(() => response.tell()).toThrow('This StreamingHttpResponse instance cannot tell its position');
    expect(response.writable).toBe(false);
  });

  it('getValue() joins what is left of a synchronous body; a stream or async body cannot be read synchronously', async () => {
    const response = new StreamingHttpResponse(['a', Buffer.from('b'), 'é']);
    expect(response.getValue()).toEqual(Buffer.from('abé'));
    expect(response.getValue()).toEqual(Buffer.alloc(0));
    expect(await collect(response.streamingContent)).toEqual([]);
    async function* later() { yield 'x'; }
    expect(() => new StreamingHttpResponse(later()).getValue()).toThrow(
      'This StreamingHttpResponse instance streams asynchronously: getValue() cannot read it; collect `streamingContent` with for await.',
    );
    expect(() => new StreamingHttpResponse(Readable.from(['x'])).getValue()).toThrow(TypeError);
  });

  it('a list is read once, as an iterator would be (Django iter(value))', async () => {
    const response = new StreamingHttpResponse(['a', 'b']);
    expect(await collect(response.streamingContent)).toEqual([Buffer.from('a'), Buffer.from('b')]);
    expect(await collect(response.streamingContent)).toEqual([]);
  });

  it('streamingContent can be replaced (a middleware wrapping the body)', async () => {
    const response = new StreamingHttpResponse(['a', 'b']);
    const inner = response.streamingContent;
    response.streamingContent = (async function* () {
      for await (const chunk of inner) yield chunk.toString().toUpperCase();
    })();
    expect(Buffer.concat(await collect(response.streamingContent)).toString()).toBe('AB');
  });

  it('close() destroys a Readable source', () => {
    const source = new Readable({ read() {} });
    const response = new StreamingHttpResponse(source);
    response.close();
    expect(source.destroyed).toBe(true);
    expect(response.closed).toBe(true);
  });

  it('close() runs the finally block of a generator that was started', async () => {
    let cleaned = false;
    async function* gen() {
      try {
        yield 'a';
        yield 'b';
      } finally {
        cleaned = true;
      }
    }
    const source = gen();
    const response = new StreamingHttpResponse(source);
    await source.next();
    response.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleaned).toBe(true);
  });

  it('serialize gives only the headers', () => {
    const response = new StreamingHttpResponse(['x'], { headers: { 'X-A': '1' } });
    expect(response.serialize().toString()).toBe('X-A: 1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n');
  });
});
