import { connect } from 'node:net';

/** What the server wrote, byte for byte: the head as text, its status and headers parsed, the body as sent. */
export interface RawResponse {
  /** The status line and header lines, without the blank line. */
  head: string;
  status: number;
  /** By lowercased name (the last of a repeated one). */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One HTTP/1.1 request written by hand to 127.0.0.1:`port` (`Connection: close`, so the server
 * ends the socket), read until the end: what a client sees, no decoding of the body (a test of
 * `Content-Encoding` or `Content-Length` sees the bytes themselves).
 * @example rawRequest(port, 'GET', '/static/site.css', { Host: 'localhost', Range: 'bytes=0-9' })
 */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string>): Promise<RawResponse> {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return sendRaw(port, `${method} ${target} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`);
}

/**
 * Writes `text` (a whole request, head and body, as the test spells it) to 127.0.0.1:`port` and
 * reads the answer until the server ends the socket.
 * @example sendRaw(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
 */
export function sendRaw(port: number, text: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, split).toString('latin1');
      const [statusLine, ...lines] = head.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ head, status: Number(statusLine.split(' ')[1]), headers: parsed, body: raw.subarray(split + 4) });
    });
    socket.write(text);
  });
}
