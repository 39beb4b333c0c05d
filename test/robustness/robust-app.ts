/**
 * The application the corpus, mutator and abort suites attack: Django's default middleware stack
 * (`createApp` without `middleware`, or the same stack inside one counting layer), small limits,
 * and a temporary upload folder per suite so that a leaked file shows.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { container as rootContainer } from 'tsyringe';
import {
  Controller,
  CsrfExempt,
  DEFAULT_MIDDLEWARE,
  FileResponse,
  Get,
  HttpRequest,
  Post,
  StreamingHttpResponse,
  createApp,
  type Application,
  type Middleware,
  type MiddlewareFunction,
  type Settings,
} from '../../src';

/** What the handlers and the counting middleware report, for the abort suite's "no pending promise". */
export const counters = {
  /** Requests that entered the outermost middleware. */
  dispatched: 0,
  /** Of those, how many came back out (with a response or an error). */
  dispatchSettled: 0,
  /** Handlers that started / reached their `finally`. */
  handlersStarted: 0,
  handlersSettled: 0,
  /** Streaming generators that started / ran their `finally` (the response was stopped or ended). */
  streamsStarted: 0,
  streamsClosed: 0,
  reset(): void {
    this.dispatched = this.dispatchSettled = this.handlersStarted = this.handlersSettled = 0;
    this.streamsStarted = this.streamsClosed = 0;
  },
};

/** The file `GET /file` sends; set by `startRobustApp` when `bigFileSize` is given. */
let bigFile: string | null = null;

async function* endless(): AsyncGenerator<Buffer> {
  counters.streamsStarted++;
  try {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (;;) {
      yield chunk;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    counters.streamsClosed++;
  }
}

@Controller()
export class RobustController {
  @Get('/ok')
  ok(): string {
    return 'ok';
  }

  @Get('/query')
  query(request: HttpRequest): unknown {
    return { keys: Array.from(request.GET.keys()) };
  }

  @Get('/items/<int:id>/')
  item(_request: HttpRequest, id: number): unknown {
    return { id };
  }

  /** What reached META: a header with '_' in its name must not (SPEC §4). */
  @Get('/meta')
  meta(request: HttpRequest): unknown {
    return {
      forwardedHost: request.META.HTTP_X_FORWARDED_HOST ?? null,
      custom: request.META.HTTP_X_CUSTOM ?? null,
      host: request.getHost(),
    };
  }

  @CsrfExempt()
  @Post('/form')
  form(request: HttpRequest): unknown {
    return { fields: request.POST.size, dict: request.POST.dict() };
  }

  @CsrfExempt()
  @Post('/json')
  json(request: HttpRequest): unknown {
    return { value: request.json() };
  }

  @CsrfExempt()
  @Post('/upload')
  async upload(request: HttpRequest): Promise<unknown> {
    counters.handlersStarted++;
    try {
      const files: { field: string; name: string; size: number }[] = [];
      for (const [field, list] of request.FILES.lists()) {
        for (const file of list) files.push({ field, name: file.name, size: file.size });
      }
      return { fields: request.POST.size, files };
    } finally {
      counters.handlersSettled++;
    }
  }

  /** Holds a complete upload for a while, so the client can leave before the answer. */
  @CsrfExempt()
  @Post('/slow-upload')
  async slowUpload(request: HttpRequest): Promise<unknown> {
    counters.handlersStarted++;
    try {
      const sizes = Array.from(request.FILES.values(), (file) => file.size);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { sizes };
    } finally {
      counters.handlersSettled++;
    }
  }

  /** Not CSRF-exempt: the CSRF middleware reads the form body before the handler. */
  @Post('/guarded')
  guarded(request: HttpRequest): unknown {
    return request.POST.dict();
  }

  @Get('/session')
  session(request: HttpRequest): unknown {
    const n = (request.session.get<number>('n') ?? 0) + 1;
    request.session.set('n', n);
    return { n };
  }

  @Get('/stream')
  stream(): StreamingHttpResponse {
    counters.handlersStarted++;
    try {
      return new StreamingHttpResponse(endless(), { contentType: 'application/octet-stream' });
    } finally {
      counters.handlersSettled++;
    }
  }

  @Get('/file')
  file(): FileResponse {
    if (bigFile === null) throw new Error('startRobustApp was not given bigFileSize');
    return new FileResponse(bigFile, { asAttachment: true });
  }
}

/** Counts every request in and out: the outermost layer around Django's default stack. */
const countingMiddleware: MiddlewareFunction = async (request, next) => {
  counters.dispatched++;
  try {
    return await next(request);
  } finally {
    counters.dispatchSettled++;
  }
};

export interface RobustApp {
  app: Application;
  server: Server;
  port: number;
  /** `fileUploadTempDir`: must be empty after every case. */
  tempDir: string;
  /** What the app logged (5xx stacks, security warnings): printed when a case fails. */
  logs: string[];
  close(): Promise<void>;
}

export interface RobustAppOptions {
  settings?: Partial<Settings>;
  /** Wrap the default stack in the counting middleware (the abort suite). */
  counting?: boolean;
  /** Create a file of this many bytes for `GET /file`. */
  bigFileSize?: number;
}

export const BASE_SETTINGS: Partial<Settings> = {
  secretKey: 'robustness-suite-secret-key-not-for-production',
  allowedHosts: ['testserver', 'localhost', '127.0.0.1'],
  // A stalled client is answered 408 well inside the 5 s every case is allowed.
  headersTimeout: 2000,
  requestTimeout: 3000,
  shutdownTimeout: 2000,
};

/** Starts the app on a free port, with its own container and temporary upload folder. */
export async function startRobustApp(options: RobustAppOptions = {}): Promise<RobustApp> {
  const tempDir = mkdtempSync(path.join(tmpdir(), 'reinhardt-robust-'));
  if (options.bigFileSize !== undefined) {
    bigFile = path.join(tempDir, '..', `${path.basename(tempDir)}-big.bin`);
    writeFileSync(bigFile, Buffer.alloc(options.bigFileSize, 'r'));
  }
  // Each record as one line: its message, then its error's stack.
  const logger = new CapturingLogger();
  const lines = (): string[] => logger.records.map((r) => `${r.msg ?? ''} ${r.err instanceof Error ? r.err.stack : String(r.err ?? '')}`);
  const middleware: Middleware[] | undefined = options.counting ? [countingMiddleware, ...DEFAULT_MIDDLEWARE] : undefined;
  const app = createApp({
    controllers: [RobustController],
    ...(middleware ? { middleware } : {}),
    container: rootContainer.createChildContainer(),
    settings: { ...BASE_SETTINGS, fileUploadTempDir: tempDir, ...options.settings },
    logger,
  });
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  const port = (server.address() as AddressInfo).port;
  const file = bigFile;
  return {
    app,
    server,
    port,
    tempDir,
    get logs() {
      return lines();
    },
    async close() {
      await app.close();
      rmSync(tempDir, { recursive: true, force: true });
      if (file !== null) rmSync(file, { force: true });
    },
  };
}
