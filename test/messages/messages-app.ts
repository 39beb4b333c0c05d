/**
 * The app the messages tests run through: SessionMiddleware then MessageMiddleware (Django's
 * order), and one route that runs whatever the test gives it, so each test drives a real request
 * through the middleware and asserts what the Client sees.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import type { Settings } from '../../src/core/settings';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { MessageMiddleware } from '../../src/messages/message-middleware';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { SessionMiddleware } from '../../src/sessions/session-middleware';
import { SessionStore } from '../../src/sessions/session-store';
import { Client } from '../../src/testing/client';

type Step = (request: HttpRequest) => unknown;
let step: Step = () => null;

@Controller('/m')
class MessagesController {
  @Get('/run/')
  run(request: HttpRequest) {
    const result = step(request);
    return result instanceof HttpResponse ? result : new HttpResponse(JSON.stringify(result ?? null), { contentType: 'application/json' });
  }

  @Post('/run/')
  runPost(request: HttpRequest) {
    return this.run(request);
  }
}

export const SECRET = 'messages-test-secret';

/** A templates folder holding `files`, for the template tests. */
export function templatesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-messages-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function messagesApp(settings: Partial<Settings> = {}, middleware: Middleware[] = [SessionMiddleware, MessageMiddleware]) {
  const container = root.createChildContainer();
  const store = new MemorySessionStore();
  container.register(SessionStore, { useValue: store });
  const app = createApp({
    controllers: [MessagesController],
    settings: { secretKey: SECRET, ...settings },
    middleware,
    container,
    logger: new CapturingLogger(),
  });
  return { app, store, client: new Client(app) };
}

/** One request whose handler is `fn`; its JSON answer (or the response it returned). */
export async function run(client: Client, fn: Step, method: 'GET' | 'POST' = 'GET') {
  step = fn;
  try {
    return method === 'GET' ? await client.get('/m/run/') : await client.post('/m/run/');
  } finally {
    step = () => null;
  }
}
