/**
 * A diagnostic, not a peer: raw node:http with a fixed amount of pure computation (`SPIN_NS`
 * nanoseconds, no allocation, no memory traffic) in front of every request. It measures what one
 * more microsecond of handler work costs the server under load on this machine: 0.7–2.5 µs of
 * server CPU per request in the cells measured (bench/README.md, "What each change bought"):
 *
 *   node cpu-per-request.js raw-node,raw-node-spin:3000,raw-node-spin:6000 S1,S4 4 3
 */
import http from 'node:http';
import { handle } from './raw-node';

let sink = 0;

/** `iterations` steps of a linear congruential generator: a dependency chain the CPU cannot skip. */
function spin(iterations: number): void {
  let x = sink;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  sink = x;
}

/** Iterations per nanosecond on this core, the best of five timed batches (after a warm-up). */
function calibrate(): number {
  const batch = 2_000_000;
  spin(batch);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    spin(batch);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return batch / best;
}

const spinNs = Number(process.env.SPIN_NS ?? 0);
if (!Number.isFinite(spinNs) || spinNs < 0) throw new Error(`SPIN_NS must be a number of nanoseconds, not ${process.env.SPIN_NS}`);
const iterations = Math.round(spinNs * calibrate());

http
  .createServer((req, res) => {
    spin(iterations);
    handle(req, res);
  })
  .listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
