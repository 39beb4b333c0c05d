/**
 * Raw-socket tools for the robustness suites: send arbitrary bytes to a listening app, read back
 * every response (or the closed socket), and hold the server to the invariants of issue 8 —
 * a 4xx or a closed socket within 5 s, never a 5xx, never a crash, never a hang.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import * as vm from 'node:vm';

/** Every case must be over within this (issue 8: "within 5 s"). */
export const CASE_DEADLINE_MS = 5000;

/** One piece of what the client writes: bytes, or a pause in milliseconds. */
export type Piece = string | Buffer | { pause: number };

export interface RawOptions {
  /** Half-close (send FIN) after the last piece, as a client that has nothing more to say. */
  halfClose?: boolean;
  /** Give up after this many ms (the outcome then has `timedOut`). Default 5000. */
  deadlineMs?: number;
  /** Resolve once this many complete final (non-1xx) responses arrived, even if the socket stays open. */
  responses?: number;
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawOutcome {
  /** Status of the first final (non-1xx) response, or null when none arrived. */
  status: number | null;
  /** Statuses of every complete response, in order. */
  statuses: number[];
  responses: ParsedResponse[];
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Nothing conclusive happened before the deadline. */
  timedOut: boolean;
  /** Milliseconds from connect to the outcome. */
  ms: number;
  /** Every byte the server sent. */
  raw: Buffer;
  /** A partial response was left when the socket closed (e.g. a stream cut mid-body). */
  truncated: boolean;
}

/**
 * Writes `pieces` to a new connection on 127.0.0.1:`port` and collects what comes back.
 * Resolves (never rejects) when the server closes the socket, when a complete 4xx/5xx response
 * arrived, when `responses` complete responses arrived, or at the deadline.
 * @example const outcome = await sendRaw(port, ['GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n']);
 */
export function sendRaw(port: number, pieces: Piece | Piece[], options: RawOptions = {}): Promise<RawOutcome> {
  const list = Array.isArray(pieces) ? pieces : [pieces];
  const deadlineMs = options.deadlineMs ?? CASE_DEADLINE_MS;
  const started = Date.now();
  return new Promise<RawOutcome>((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    let closed = false;
    const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const { responses, rest } = parseResponses(raw, closed);
      socket.destroy();
      resolve({
        status: responses.find((r) => r.status >= 200)?.status ?? null,
        statuses: responses.map((r) => r.status),
        responses,
        closed,
        timedOut,
        ms: Date.now() - started,
        raw,
        truncated: rest.length > 0,
      });
    };
    const timer = setTimeout(() => finish(true), deadlineMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const { responses } = parseResponses(Buffer.concat(chunks), false);
      if (responses.some((r) => r.status >= 400)) finish(false);
      else if (options.responses !== undefined && responses.filter((r) => r.status >= 200).length >= options.responses) finish(false);
    });
    // The server ending its side, or resetting, or our write failing on a socket it closed.
    socket.on('end', () => {
      closed = true;
      finish(false);
    });
    socket.on('close', () => {
      closed = true;
      finish(false);
    });
    socket.on('error', () => {
      closed = true;
      finish(false);
    });
    socket.once('connect', () => {
      void (async () => {
        for (const piece of list) {
          if (done || socket.destroyed) return;
          if (typeof piece === 'object' && !Buffer.isBuffer(piece)) {
            await sleep(piece.pause);
          } else {
            await new Promise<void>((ok) => socket.write(piece, () => ok()));
          }
        }
        if (options.halfClose && !done && !socket.destroyed) socket.end();
      })().catch(() => undefined);
    });
  });
}

/**
 * Splits what a server sent into complete HTTP/1.1 responses (Content-Length, chunked, or
 * close-delimited when `closed`). `rest` is whatever did not make a complete response.
 */
export function parseResponses(raw: Buffer, closed: boolean): { responses: ParsedResponse[]; rest: Buffer } {
  const responses: ParsedResponse[] = [];
  let offset = 0;
  for (;;) {
    const headEnd = raw.indexOf('\r\n\r\n', offset, 'latin1');
    if (headEnd === -1) break;
    const lines = raw.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (match === null) break;
    const status = Number(match[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
      }
    }
    let cursor = headEnd + 4;
    const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
    let body: Buffer;
    if (noBody) {
      body = Buffer.alloc(0);
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      let complete = false;
      for (;;) {
        const lineEnd = raw.indexOf('\r\n', cursor, 'latin1');
        if (lineEnd === -1) break;
        const size = parseInt(raw.subarray(cursor, lineEnd).toString('latin1'), 16);
        if (Number.isNaN(size)) break;
        if (size === 0) {
          const trailerEnd = raw.indexOf('\r\n\r\n', lineEnd, 'latin1');
          if (trailerEnd === -1) break;
          cursor = trailerEnd + 4;
          complete = true;
          break;
        }
        if (raw.length < lineEnd + 2 + size + 2) break;
        parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
        cursor = lineEnd + 2 + size + 2;
      }
      if (!complete) break;
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (raw.length < cursor + length) break;
      body = raw.subarray(cursor, cursor + length);
      cursor += length;
    } else {
      if (!closed) break;
      body = raw.subarray(cursor);
      cursor = raw.length;
    }
    responses.push({ status, headers, body });
    offset = cursor;
  }
  return { responses, rest: raw.subarray(offset) };
}

/**
 * What the corpus holds every malformed request to: null when the outcome is acceptable, else
 * a sentence saying what went wrong (so a failure names the broken invariant).
 */
export function rejectionProblem(outcome: RawOutcome): string | null {
  const serverErrors = outcome.statuses.filter((s) => s >= 500);
  if (serverErrors.length > 0) return `answered ${serverErrors.join(', ')} (a 5xx)`;
  if (outcome.timedOut) return `hung: no 4xx and no close within ${CASE_DEADLINE_MS} ms (statuses so far: [${outcome.statuses.join(', ')}])`;
  if (outcome.ms > CASE_DEADLINE_MS) return `took ${outcome.ms} ms`;
  if (!outcome.statuses.some((s) => s >= 400 && s < 500) && !outcome.closed) {
    return `neither a 4xx nor a closed socket (statuses: [${outcome.statuses.join(', ')}])`;
  }
  return null;
}

/** The invariant of the mutator: whatever the status, never a 5xx and never a hang. */
export function mutantProblem(outcome: RawOutcome): string | null {
  const serverErrors = outcome.statuses.filter((s) => s >= 500);
  if (serverErrors.length > 0) return `answered ${serverErrors.join(', ')} (a 5xx)`;
  if (outcome.timedOut) return `hung: no close within ${CASE_DEADLINE_MS} ms (statuses so far: [${outcome.statuses.join(', ')}])`;
  return null;
}

/** A plain, valid request line + headers (+ body), as bytes. */
export function httpRequest(method: string, target: string, headers: [string, string][] = [], body?: string | Buffer): Buffer {
  const head = [`${method} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`)].join('\r\n') + '\r\n\r\n';
  return body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
}

/** A fresh connection's `GET /ok`: the server must still answer 200 after every case. */
export async function healthStatus(port: number, path = '/ok'): Promise<number | null> {
  const outcome = await sendRaw(port, httpRequest('GET', path, [['Host', 'localhost'], ['Connection', 'close']]), { halfClose: true });
  return outcome.status;
}

/**
 * Listens on the real process (not jest's sandboxed copy of it, whose listeners never hear
 * anything) for 'uncaughtException' and 'unhandledRejection'; `errors` lists what fired.
 */
export function watchProcessErrors(): { errors: string[]; dispose(): void } {
  const real = vm.runInThisContext('process') as NodeJS.Process;
  const errors: string[] = [];
  const onException = (error: unknown): void => {
    errors.push(`uncaughtException: ${error instanceof Error ? error.stack : String(error)}`);
  };
  const onRejection = (reason: unknown): void => {
    errors.push(`unhandledRejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
  };
  real.on('uncaughtException', onException);
  real.on('unhandledRejection', onRejection);
  return {
    errors,
    dispose() {
      real.off('uncaughtException', onException);
      real.off('unhandledRejection', onRejection);
    },
  };
}

/** mulberry32: a tiny seeded PRNG, so a failing mutant can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Open file descriptors of this process (Linux). */
export function countFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/**
 * Waits up to `withinMs` for `probe()` to return `expected` (descriptors and files are released
 * asynchronously after a socket closes); returns the last value seen.
 */
export async function settle<T>(probe: () => T, expected: T, withinMs = 2000): Promise<T> {
  const until = Date.now() + withinMs;
  let value = probe();
  while (value !== expected && Date.now() < until) {
    await sleep(25);
    value = probe();
  }
  return value;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
