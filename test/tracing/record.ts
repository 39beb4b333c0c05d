import diagnosticsChannel from 'node:diagnostics_channel';

/** A tracing channel's events, in order, each with the context fields the test names. */
export function record<C extends object>(name: string, fields: (context: C) => Record<string, unknown>) {
  const events: [string, Record<string, unknown>][] = [];
  const channel = diagnosticsChannel.tracingChannel<unknown, C>(name);
  const on = (event: string) => (context: C) => events.push([event, fields(context)]);
  const handlers = { start: on('start'), end: on('end'), asyncStart: on('asyncStart'), asyncEnd: on('asyncEnd'), error: on('error') };
  channel.subscribe(handlers);
  return { events, stop: () => channel.unsubscribe(handlers) };
}
