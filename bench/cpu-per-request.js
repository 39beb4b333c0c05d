'use strict';
/**
 * The quieter instrument: CPU time the server process spends per request
 * (user + system, from /proc/<pid>/stat), for comparing two builds or two
 * servers on one scenario. On this kind of shared machine req/s moves by
 * ±20% between cells, because the loopback's kernel work and other tenants
 * land on the server's core; the server's own CPU time per request moves
 * much less. Each measurement: a fresh server on CPU 0, wrk on CPU 1, 1 s of
 * warm-up, then `seconds` of load; rounds alternate the servers so drift
 * hits all alike.
 *
 *   node cpu-per-request.js <servers> <scenarios> [seconds] [rounds]
 *   node cpu-per-request.js raw-node,reinhardt-bare S1,S5 3 3
 *   node cpu-per-request.js raw-node,raw-node-spin:3000 S1 4 3   # raw node + 3 µs of work
 *
 * `raw-node-spin:<ns>` is raw node:http spending <ns> nanoseconds of computation per request
 * (servers/raw-node-spin.ts): what a microsecond of handler work costs under load here.
 * `<server>@<dist>` is a Reinhardt server loading the framework build in <dist> (a `dist` folder
 * with `node_modules` beside it) instead of the repository's (lib/use-dist.js), to compare two
 * commits on the server:
 *
 *   node cpu-per-request.js reinhardt-default@/tmp/before/dist,reinhardt-default S1,S4 4 6
 * Linux only (it reads /proc); needs wrk and taskset. Prints one line per
 * measurement and, per cell, the median over the rounds.
 */
const fs = require('node:fs');
const path = require('node:path');
const { runLoad, which, cleanup } = require('./lib/load');
const { startServer } = require('./lib/server-process');
const { scenarios: allScenarios } = require('./lib/scenarios');
const { median } = require('./lib/stats');
const { cpuMeter } = require('./lib/cpu');

const [serverList, scenarioList, secondsArg, roundsArg] = process.argv.slice(2);
if (!serverList || !scenarioList) {
  process.stderr.write('usage: node cpu-per-request.js <servers> <scenarios> [seconds=3] [rounds=3]\n');
  process.exit(2);
}
if (!which('wrk') || !which('taskset')) {
  process.stderr.write('cpu-per-request.js needs wrk and taskset (apt-get install wrk util-linux)\n');
  process.exit(2);
}
const seconds = Number(secondsArg ?? 3);
const rounds = Number(roundsArg ?? 3);
const port = Number(process.env.BENCH_PORT ?? 3789);
const scenarios = scenarioList.split(',').map((id) => {
  const found = allScenarios.find((s) => s.id === id);
  if (!found) throw new Error(`unknown scenario ${id}`);
  return found;
});
const servers = serverList.split(',').map((name) => {
  const at = name.indexOf('@');
  if (at !== -1) {
    const dist = path.resolve(name.slice(at + 1));
    if (!fs.existsSync(path.join(dist, 'src', 'index.js'))) throw new Error(`${dist} is not a Reinhardt build (no src/index.js)`);
    const env = { REINHARDT_DIST: dist, NODE_OPTIONS: `--require ${path.join(__dirname, 'lib', 'use-dist.js')}` };
    return { id: name.slice(0, at), name, env };
  }
  const [id, spinNs] = name.split(':');
  return spinNs === undefined ? { id, name } : { id, name, env: { SPIN_NS: spinNs } };
});

async function measure(server, scenario) {
  const proc = await startServer({ server, port, taskset: true, cpu: 0 });
  try {
    await runLoad({ tool: 'wrk', taskset: true, cpu: 1, port, scenario, seconds: 1 });
    const meter = cpuMeter(0, proc.pid);
    const load = await runLoad({ tool: 'wrk', taskset: true, cpu: 1, port, scenario, seconds });
    const used = meter().serverMicros;
    if (load.badStatus > 0) throw new Error(`${server.name} answered ${load.badStatus} wrong statuses on ${scenario.id}`);
    return { us: used / load.requests, rps: load.rps };
  } finally {
    await proc.stop();
  }
}

async function main() {
  const results = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const order = round % 2 === 0 ? servers : servers.slice().reverse();
      for (const server of order) {
        const { us, rps } = await measure(server, scenario);
        const key = `${scenario.id} ${server.name}`;
        if (!results.has(key)) results.set(key, []);
        results.get(key).push(us);
        console.log(`round ${round + 1} ${key.padEnd(28)} ${us.toFixed(1).padStart(6)} µs CPU/request  ${Math.round(rps)} req/s`);
      }
    }
  }
  console.log('\nmedian CPU per request (µs):');
  for (const [key, values] of results) console.log(`  ${key.padEnd(28)} ${median(values).toFixed(1).padStart(6)}   (${values.map((v) => v.toFixed(1)).join(', ')})`);
}

main().then(cleanup, (error) => {
  cleanup();
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
