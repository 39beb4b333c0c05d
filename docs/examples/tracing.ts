import 'reflect-metadata';
import diagnosticsChannel from 'node:diagnostics_channel';
import { Controller, Get, HttpRequest, JsonResponse, createApp, type RequestTrace, type SessionStoreTrace } from 'reinhardt';

/** The part of @opentelemetry/api's `Span` these subscribers use. */
export interface Span {
  setAttribute(key: string, value: string | number): void;
  recordException(error: Error): void;
  setStatus(status: { code: number; message?: string }): void;
  end(): void;
}

/** The part of @opentelemetry/api's `Tracer`: pass `trace.getTracer('reinhardt')` in an app. */
export interface Tracer {
  startSpan(name: string, options?: { attributes?: Record<string, string | number> }): Span;
}

/** `SpanStatusCode.ERROR` in @opentelemetry/api. */
const ERROR = 2;

/** @types/node wants a handler for each of the five events. */
const ignore = () => {};

/** Turns Reinhardt's tracing channels into spans; returns the function that stops it. */
export function instrument(tracer: Tracer): () => void {
  const spans = new WeakMap<object, Span>();

  const request = diagnosticsChannel.tracingChannel<unknown, RequestTrace>('reinhardt:request');
  const endRequest = (trace: RequestTrace) => {
    const span = spans.get(trace);
    if (span === undefined || trace.result === undefined) return; // an async dispatch ends at asyncEnd
    span.setAttribute('http.response.status_code', trace.result.statusCode);
    if (trace.result.statusCode >= 500) span.setStatus({ code: ERROR });
    span.end();
  };
  const requestHandlers = {
    start(trace: RequestTrace) {
      const name = trace.route === null ? trace.request.method : `${trace.request.method} ${trace.route}`;
      const attributes: Record<string, string> = { 'http.request.method': trace.request.method };
      if (trace.route !== null) {
        attributes['http.route'] = trace.route;
        attributes['code.function.name'] = `${trace.controller}.${trace.method}`;
      }
      spans.set(trace, tracer.startSpan(name, { attributes }));
    },
    end: endRequest,
    asyncStart: ignore,
    asyncEnd: endRequest,
    error(trace: RequestTrace) {
      spans.get(trace)?.recordException(trace.error as Error);
    },
  };

  const store = diagnosticsChannel.tracingChannel<unknown, SessionStoreTrace>('reinhardt:session-store');
  const storeHandlers = {
    start(trace: SessionStoreTrace) {
      spans.set(trace, tracer.startSpan(`session ${trace.operation}`, { attributes: { 'reinhardt.session_store': trace.store } }));
    },
    end: ignore, // the store's promise is pending: the span ends at asyncEnd
    asyncStart: ignore,
    error(trace: SessionStoreTrace) {
      spans.get(trace)?.recordException(trace.error as Error);
      spans.get(trace)?.setStatus({ code: ERROR });
    },
    asyncEnd(trace: SessionStoreTrace) {
      spans.get(trace)?.end();
    },
  };

  request.subscribe(requestHandlers);
  store.subscribe(storeHandlers);
  return () => {
    request.unsubscribe(requestHandlers);
    store.unsubscribe(storeHandlers);
  };
}

/** A finished span, as a console exporter would print it. */
export interface FinishedSpan {
  name: string;
  attributes: Record<string, string | number>;
  status: number;
  exceptions: string[];
}

/** A tracer that keeps its finished spans: enough to see what the subscribers build. */
export class RecordingTracer implements Tracer {
  readonly finished: FinishedSpan[] = [];

  startSpan(name: string, options: { attributes?: Record<string, string | number> } = {}): Span {
    const span: FinishedSpan = { name, attributes: { ...options.attributes }, status: 0, exceptions: [] };
    const finished = this.finished;
    return {
      setAttribute: (key, value) => void (span.attributes[key] = value),
      recordException: (error) => void span.exceptions.push(error.message),
      setStatus: ({ code }) => void (span.status = code),
      end: () => void finished.push(span),
    };
  }
}

@Controller('/polls')
export class PollController {
  @Get('/<int:id>/vote/')
  vote(request: HttpRequest, id: number) {
    request.session.set('voted', id);
    return new JsonResponse({ id });
  }

  @Get('/broken/')
  broken(): never {
    throw new Error('the poll table is gone');
  }
}

export const app = createApp({ controllers: [PollController], settings: { secretKey: process.env.SECRET_KEY ?? 'dev only' } });
