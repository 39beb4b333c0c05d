import type { TracingChannel } from 'node:diagnostics_channel';

/** What every Reinhardt trace context carries besides its own fields (Node's tracing contexts). */
interface Outcome {
  result?: unknown;
  error?: unknown;
}

/**
 * Runs `fn(arg)` inside `channel`'s events, keeping a synchronous answer synchronous: `start`
 * (through `start.runStores`, so an AsyncLocalStorage bound with `bindStore` — an OpenTelemetry
 * context — is active for the whole operation), then `end` once `fn` returned; when it returned a
 * promise, `asyncStart` and `asyncEnd` when it settles; `error` when it threw or rejected. The
 * order is Node's `tracePromise`/`traceSync` (lib/diagnostics_channel.js), which cannot be used
 * as they are: `tracePromise` turns a plain value into a promise, `traceSync` misses the
 * promise's settling. Called only when the channel has subscribers.
 */
export function traced<C extends Outcome, A, R>(channel: TracingChannel<unknown, C>, context: C, fn: (arg: A) => R | Promise<R>, arg: A): R | Promise<R> {
  return channel.start.runStores(context, publishAround, undefined, channel, context, fn, arg) as R | Promise<R>;
}

function publishAround<C extends Outcome, A, R>(channel: TracingChannel<unknown, C>, context: C, fn: (arg: A) => R | Promise<R>, arg: A): R | Promise<R> {
  let result: R | Promise<R>;
  try {
    result = fn(arg);
  } catch (error) {
    context.error = error;
    channel.error.publish(context);
    channel.end.publish(context);
    throw error;
  }
  if (result instanceof Promise) {
    channel.end.publish(context);
    return settle(channel, context, result);
  }
  context.result = result;
  channel.end.publish(context);
  return result;
}

async function settle<C extends Outcome, R>(channel: TracingChannel<unknown, C>, context: C, pending: Promise<R>): Promise<R> {
  let result: R;
  try {
    result = await pending;
  } catch (error) {
    context.error = error;
    channel.error.publish(context);
    channel.asyncStart.publish(context);
    channel.asyncEnd.publish(context);
    throw error;
  }
  context.result = result;
  channel.asyncStart.publish(context);
  channel.asyncEnd.publish(context);
  return result;
}
