'use strict';
/**
 * The access log's cost (issue 23): Reinhardt bare with its access log on against Fastify with
 * `logger: true`, on S1 and S2, both writing JSON lines to stdout, which the bench points at
 * /dev/null (pino's default destination writes synchronously, and so does Node to a file). Beside
 * them, each without logging, and Reinhardt writing its access log through pino itself:
 *
 *   fastify               logger: false (as in the main run)
 *   fastify-logger        logger: true: pino, "incoming request" + "request completed" per request
 *   reinhardt-bare        accessLog off (the default)
 *   reinhardt-access-log  accessLog: true, the default JSON logger (LineLogger) to stdout
 *   reinhardt-pino        accessLog: true, createApp({ logger: pino() })
 *
 * One run on one machine, the servers alternating: for each round, for each scenario, every
 * server in turn, the order reversed every other round; a fresh server process per cell, pinned
 * with taskset to BENCH_SERVER_CPU (default 1), wrk pinned to the other core. Per cell: req/s
 * (wrk, 64 connections) and the server's CPU time per request (/proc, the quieter instrument:
 * see cpu-per-request.js); a cell whose server core lost more than BENCH_NOISY (0.2) of its time
 * to other processes is measured again, at most BENCH_RETRIES (2) times. Prints each cell, the
 * medians, and the ratios.
 *
 *   npm run build && node access-log.js [seconds=5] [rounds=5] [scenarios=S1,S2]
 *
 * Linux only (it reads /proc); needs wrk and taskset.
 */
const { runLoad, which, cleanup } = require('./lib/load');
const { startServer, verify } = require('./lib/server-process');
const { scenarios: allScenarios } = require('./lib/scenarios');
const { median } = require('./lib/stats');
const { cpuMeter, waitQuiet } = require('./lib/cpu');

const SERVERS = ['fastify', 'fastify-logger', 'reinhardt-bare', 'reinhardt-access-log', 'reinhardt-pino'];

const [secondsArg, roundsArg, scenarioArg] = process.argv.slice(2);
if (!which('wrk') || !which('taskset')) {
  process.stderr.write('access-log.js needs wrk and taskset (apt-get install wrk util-linux)\n');
  process.exit(2);
}
const seconds = Number(secondsArg ?? 5);
const rounds = Number(roundsArg ?? 5);
const port = Number(process.env.BENCH_PORT ?? 3789);
const serverCpu = Number(process.env.BENCH_SERVER_CPU ?? 1);
const loadCpu = serverCpu === 0 ? 1 : 0;
const scenarios = (scenarioArg ?? 'S1,S2').split(',').map((id) => {
  const found = allScenarios.find((s) => s.id === id);
  if (!found) throw new Error(`unknown scenario ${id}`);
  return found;
});

/** A cell whose server core lost more than this share to other processes is measured again (as run.js does). */
const noisy = Number(process.env.BENCH_NOISY ?? 0.2);
const retries = Number(process.env.BENCH_RETRIES ?? 2);

/** One cell, measured again (at most `retries` times) while others took too much of the server core. */
async function measure(id, scenario) {
  let result = await measureOnce(id, scenario);
  for (let attempt = 0; attempt < retries && result.foreign > noisy; attempt++) {
    console.log(`  (${id} on ${scenario.id}: ${(result.foreign * 100).toFixed(1)}% of the server core went to others; measuring again)`);
    result = await measureOnce(id, scenario);
  }
  return result;
}

async function measureOnce(id, scenario) {
  await waitQuiet(0.1, 15000);
  const proc = await startServer({ server: { id }, port, taskset: true, cpu: serverCpu });
  try {
    const wrong = await verify(port, scenario);
    if (wrong !== null) throw new Error(`${id} on ${scenario.id}: ${wrong}`);
    await runLoad({ tool: 'wrk', taskset: true, cpu: loadCpu, port, scenario, seconds: 1 });
    const meter = cpuMeter(serverCpu, proc.pid);
    const load = await runLoad({ tool: 'wrk', taskset: true, cpu: loadCpu, port, scenario, seconds });
    const { serverMicros, foreign } = meter();
    if (load.badStatus > 0 || load.errors > 0) throw new Error(`${id} on ${scenario.id}: ${load.badStatus} wrong statuses, ${load.errors} socket errors`);
    return { rps: load.rps, us: serverMicros / load.requests, foreign };
  } finally {
    await proc.stop();
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main() {
  const cells = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const order = round % 2 === 0 ? SERVERS : SERVERS.slice().reverse();
      for (const id of order) {
        const result = await measure(id, scenario);
        const key = `${scenario.id} ${id}`;
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(result);
        console.log(`round ${round + 1} ${key.padEnd(26)} ${fmt(result.rps).padStart(7)} req/s  ${result.us.toFixed(1).padStart(5)} µs CPU/request  (foreign ${(result.foreign * 100).toFixed(1)}% of the server core)`);
      }
    }
  }
  const med = (scenario, id, field) => median(cells.get(`${scenario.id} ${id}`).map((cell) => cell[field]));
  console.log(`\nMedians of ${rounds} rounds, ${seconds} s each (server on CPU ${serverCpu}, wrk on CPU ${loadCpu}):\n`);
  console.log(`| Server | ${scenarios.map((s) => `${s.id} req/s | ${s.id} µs CPU/req`).join(' | ')} |`);
  console.log(`|:---|${scenarios.map(() => '---:|---:').join('|')}|`);
  for (const id of SERVERS) {
    console.log(`| ${id} | ${scenarios.map((s) => `${fmt(med(s, id, 'rps'))} | ${med(s, id, 'us').toFixed(1)}`).join(' | ')} |`);
  }
  const ratios = [
    ['Reinhardt access log ÷ Fastify logger: true', 'reinhardt-access-log', 'fastify-logger'],
    ['Reinhardt + pino ÷ Fastify logger: true', 'reinhardt-pino', 'fastify-logger'],
    ['Reinhardt access log ÷ Reinhardt without', 'reinhardt-access-log', 'reinhardt-bare'],
    ['Fastify logger: true ÷ Fastify without', 'fastify-logger', 'fastify'],
  ];
  console.log(`\n| Ratio (req/s; CPU per request) | ${scenarios.map((s) => s.id).join(' | ')} |`);
  console.log(`|:---|${scenarios.map(() => '---:').join('|')}|`);
  for (const [label, a, b] of ratios) {
    console.log(`| ${label} | ${scenarios.map((s) => `${(med(s, a, 'rps') / med(s, b, 'rps')).toFixed(2)}x; ${(med(s, a, 'us') / med(s, b, 'us')).toFixed(2)}x`).join(' | ')} |`);
  }
}

main().then(cleanup, (error) => {
  cleanup();
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
