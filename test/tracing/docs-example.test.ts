/**
 * docs/tracing.md's example: subscribers on Reinhardt's tracing channels build one span per
 * request, named and attributed as OpenTelemetry's HTTP conventions ask, and one per session
 * store call; a handler's exception is recorded on its request's span.
 */
import '../logging/root-logger';
import { Client } from 'reinhardt';
import { RecordingTracer, app, instrument } from '../../docs/examples/tracing';


describe('docs/examples/tracing.ts', () => {
  test('spans for a vote and its session save, a 500 and a 404 each after loading that session, with their attributes', async () => {
    const tracer = new RecordingTracer();
    const stop = instrument(tracer);
    try {
      const client = new Client(app);
      expect((await client.get('/polls/3/vote/')).statusCode).toBe(200);
      expect((await client.get('/polls/broken/')).statusCode).toBe(500);
      expect((await client.get('/nowhere/')).statusCode).toBe(404);
    } finally {
      stop();
    }
    expect(tracer.finished).toEqual([
      { name: 'session save', attributes: { 'reinhardt.session_store': 'MemorySessionStore' }, status: 0, exceptions: [] },
      {
        name: 'GET /polls/<int:id>/vote/',
        attributes: { 'http.request.method': 'GET', 'http.route': '/polls/<int:id>/vote/', 'code.function.name': 'PollController.vote', 'http.response.status_code': 200 },
        status: 0,
        exceptions: [],
      },
      { name: 'session load', attributes: { 'reinhardt.session_store': 'MemorySessionStore' }, status: 0, exceptions: [] },
      {
        name: 'GET /polls/broken/',
        attributes: { 'http.request.method': 'GET', 'http.route': '/polls/broken/', 'code.function.name': 'PollController.broken', 'http.response.status_code': 500 },
        status: 2,
        exceptions: ['the poll table is gone'],
      },
      { name: 'session load', attributes: { 'reinhardt.session_store': 'MemorySessionStore' }, status: 0, exceptions: [] },
      { name: 'GET', attributes: { 'http.request.method': 'GET', 'http.response.status_code': 404 }, status: 0, exceptions: [] },
    ]);
  });

  test('stopped, it builds no span', async () => {
    const tracer = new RecordingTracer();
    instrument(tracer)();
    await new Client(app).get('/polls/3/vote/');
    expect(tracer.finished).toEqual([]);
  });
});
