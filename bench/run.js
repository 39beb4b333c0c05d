'use strict';
/**
 * `npm run bench`: every scenario against every server, a fresh server
 * process per cell, the server pinned to CPU 0 and the load generator to
 * CPU 1, the server order rotated per scenario and run so that drift hits
 * all alike, the servers the targets compare measured one after another.
 * Writes results/latest.{json,md,svg} and prints the table.
 *
 * Environment: BENCH_DURATION (s per cell, 5), BENCH_WARMUP (s, 1),
 * BENCH_RUNS (3), BENCH_SERVERS / BENCH_SCENARIOS (comma lists),
 * BENCH_PORT (3789), BENCH_ROUTES=0 to skip the route-lookup micro-benchmark,
 * BENCH_QUIET (busy share of the machine to wait below before a cell, 0.1;
 * 1 disables the wait), BENCH_NOISY (share of CPU 0 taken by others during
 * a load above which the cell is measured again, 0.2), BENCH_RETRIES (2),
 * BENCH_SPREAD (when a server's runs on a scenario disagree by more than
 * this ratio of fastest to slowest req/s, it gets more runs; 1.2),
 * BENCH_EXTRA_RUNS (how many more, 2; 0 disables),
 * BENCH_TOOL=autocannon to use the fallback even where wrk exists.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { cpuMeter, waitQuiet } = require('./lib/cpu');
const { cleanup, runLoad, which } = require('./lib/load');
const { evaluateTargets, markdown, svgChart } = require('./lib/report');
const { scenarios: allScenarios } = require('./lib/scenarios');
const { servers: allServers } = require('./lib/servers');
const { startServer, verify, sleep } = require('./lib/server-process');
const { summarise } = require('./lib/stats');

const env = process.env;
const duration = Number(env.BENCH_DURATION ?? 5);
const warmup = Number(env.BENCH_WARMUP ?? 1);
const runs = Number(env.BENCH_RUNS ?? 3);
const port = Number(env.BENCH_PORT ?? 3789);
const quiet = Number(env.BENCH_QUIET ?? 0.1);
const noisy = Number(env.BENCH_NOISY ?? 0.2);
const retries = Number(env.BENCH_RETRIES ?? 2);
const spread = Number(env.BENCH_SPREAD ?? 1.2);
const extraRuns = Number(env.BENCH_EXTRA_RUNS ?? 2);
const pick = (list, filter) => (filter ? list.filter((x) => filter.split(',').map((s) => s.trim()).includes(x.id)) : list);
const servers = pick(allServers, env.BENCH_SERVERS);
/** The servers the targets compare with each other, measured next to each other. */
const COMPARED = new Set(['raw-node', 'fastify', 'reinhardt-bare', 'reinhardt-default', 'busboy-disk', 'fastify-compress', 'reinhardt-gzip']);
const scenarios = pick(allScenarios, env.BENCH_SCENARIOS);
const resultsDir = path.join(__dirname, 'results');

function log(line) {
  process.stderr.write(`${line}\n`);
}

function toolchain() {
  const wrk = env.BENCH_TOOL === 'autocannon' ? null : which('wrk');
  const taskset = which('taskset') !== null && os.cpus().length >= 2;
  const wrkVersion = wrk ? (spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0] || 'wrk').trim() : null;
  if (!wrk) log('wrk not found (apt-get install wrk): using autocannon instead; numbers are not comparable with wrk runs.');
  if (!taskset) log('taskset or a second core missing: server and load generator are NOT pinned.');
  return { tool: wrk ? 'wrk' : 'autocannon', toolLabel: wrk ? wrkVersion.split(' Copyright')[0] : 'autocannon (wrk missing)', taskset };
}

/** One cell: fresh server, one checked request, warm-up, measured load, peak RSS, kill. */
async function runCell({ server, scenario, run, tool, taskset }) {
  const cell = { server: server.id, scenario: scenario.id, run, rps: NaN, p50: NaN, p99: NaN, peakRss: NaN, startRss: NaN, rssGrowth: NaN, badStatus: 0, errors: 0, foreign: NaN, cpuPerRequest: NaN, busyBefore: NaN, fail: null };
  let proc;
  try {
    // Something else busy on the machine (a build, a test run) would land on one server's cells only.
    cell.busyBefore = quiet < 1 ? await waitQuiet(quiet, 15000) : NaN;
    proc = await startServer({ server, port, taskset, cpu: 0 });
    cell.startRss = proc.startRss;
    const wrong = await verify(port, scenario);
    if (wrong) throw new Error(`wrong answer: ${wrong}`);
    const load = { tool, taskset, cpu: 1, port, scenario };
    const warm = warmup > 0 ? await runLoad({ ...load, seconds: warmup }) : { badStatus: 0, errors: 0 };
    const meter = cpuMeter(0, proc.pid);
    const result = await runLoad({ ...load, seconds: duration });
    const cpu = meter();
    cell.foreign = cpu.foreign;
    cell.cpuPerRequest = cpu.serverMicros / result.requests;
    const mem = proc.memory();
    Object.assign(cell, {
      rps: result.rps, p50: result.p50, p99: result.p99, requests: result.requests,
      badStatus: result.badStatus + warm.badStatus, errors: result.errors + warm.errors, errorDetail: result.errorDetail,
      peakRss: mem.hwm, rssGrowth: mem.hwm - cell.startRss,
    });
    if (cell.badStatus > 0) cell.fail = `${cell.badStatus} response(s) with a status other than ${scenario.status}`;
    else if (cell.errors > 0) cell.fail = `${cell.errors} socket error(s) ${JSON.stringify(result.errorDetail)}`;
    else if (!(result.requests > 0)) cell.fail = 'no completed request';
  } catch (error) {
    cell.fail = error.message.split('\n')[0].slice(0, 300);
  } finally {
    if (proc) await proc.stop();
  }
  return cell;
}

/** How much of the server core went elsewhere during the loads (see lib/cpu.js). */
function foreignSummary(cells) {
  const shares = cells.map((c) => c.foreign).filter(Number.isFinite).sort((a, b) => a - b);
  if (shares.length === 0) return null;
  return { median: shares[shares.length >> 1], max: shares[shares.length - 1], over10: shares.filter((x) => x > 0.1).length, cells: shares.length };
}

function routeLookup() {
  if (env.BENCH_ROUTES === '0') return null;
  const command = [process.execPath, path.join(__dirname, 'route-lookup.js'), '--json'];
  const pinned = which('taskset') !== null && os.cpus().length >= 2 ? ['taskset', '-c', '0', ...command] : command;
  const child = spawnSync(pinned[0], pinned.slice(1), { encoding: 'utf8' });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('ROUTES_JSON '));
  if (child.status !== 0 || !line) return { error: (child.stderr || child.stdout || 'route-lookup.js failed').trim().split('\n')[0] };
  return JSON.parse(line.slice(12));
}

/**
 * The extra runs for the pairs whose runs disagree by more than `spread` (fastest ÷ slowest
 * req/s). When one of the compared servers needs them on a scenario, all the compared servers
 * get them there, so that a target's two sides keep the same number of runs, measured together.
 */
function extraPlan(cells, plan) {
  if (!(extraRuns > 0)) return [];
  const disagree = (step) => {
    const rps = cells.filter((c) => c.server === step.server.id && c.scenario === step.scenario.id && !c.fail).map((c) => c.rps);
    return rps.length > 1 && Math.max(...rps) > spread * Math.min(...rps);
  };
  const first = plan.filter((step) => step.run === 0);
  const comparedNeed = new Set(first.filter((step) => COMPARED.has(step.server.id) && disagree(step)).map((step) => step.scenario.id));
  const pairs = first.filter((step) => (COMPARED.has(step.server.id) ? comparedNeed.has(step.scenario.id) : disagree(step)));
  const steps = [];
  for (let e = 0; e < extraRuns; e += 1) {
    // Scenario by scenario, in the main runs' order for the run they continue.
    scenarios.forEach((scenario, si) => {
      const mine = pairs.filter((step) => step.scenario === scenario).map((step) => step.server);
      for (const server of serverOrder(mine, (runs + e) * scenarios.length + si)) steps.push({ server, scenario, run: runs + e });
    });
  }
  return steps;
}

/** `list` rotated left by `shift`. */
function rotate(list, shift) {
  if (list.length === 0) return list;
  const k = shift % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * One run's order of servers on a scenario: the servers the targets compare (raw node:http,
 * Fastify, both Reinhardts, the busboy reference) one after another, so that a slow spell of the
 * machine (about a minute, longer than four cells) falls on both sides of a target alike; the
 * others before or after them, alternately. Both groups rotate per scenario and run.
 */
function serverOrder(eligible, step) {
  const group = rotate(eligible.filter((sv) => COMPARED.has(sv.id)), step);
  const others = rotate(eligible.filter((sv) => !COMPARED.has(sv.id)), step);
  return step % 2 === 0 ? [...group, ...others] : [...others, ...group];
}

async function main() {
  const { tool, toolLabel, taskset } = toolchain();
  const plan = [];
  for (let run = 0; run < runs; run += 1) {
    scenarios.forEach((scenario, si) => {
      const eligible = servers.filter((sv) => (!sv.scenarios || sv.scenarios.includes(scenario.id)) && (!scenario.only || scenario.only.includes(sv.id)));
      for (const server of serverOrder(eligible, run * scenarios.length + si)) plan.push({ server, scenario, run });
    });
  }
  log(`${plan.length} cells, about ${Math.ceil((plan.length * (duration + warmup + 1.5)) / 60)} min (${tool}${taskset ? ', pinned' : ''})`);

  const cells = [];
  let n = 0;
  let total = plan.length;
  const measure = async (step) => {
    n += 1;
    let cell = await runCell({ ...step, tool, taskset });
    // A load that lost much of the server core to something else measures that something:
    // run the cell again (the discarded attempts stay in latest.json).
    const discarded = [];
    while (!cell.fail && cell.foreign > noisy && discarded.length < retries) {
      log(`  run ${step.run + 1} ${step.scenario.id} ${step.server.id}: ${(cell.foreign * 100).toFixed(0)}% of CPU 0 went elsewhere, measuring again`);
      discarded.push(cell);
      cell = await runCell({ ...step, tool, taskset });
    }
    if (discarded.length) cell.discarded = discarded;
    cells.push(cell);
    log(`[${n}/${total}] run ${step.run + 1} ${step.scenario.id} ${step.server.id.padEnd(20)} ` +
      (cell.fail ? `FAIL ${cell.fail}` : `${Math.round(cell.rps)} req/s p99 ${cell.p99.toFixed(2)} ms peak ${(cell.peakRss / 1048576).toFixed(1)} MB` +
        ` (CPU 0 foreign ${(cell.foreign * 100).toFixed(0)}%)`));
    await sleep(200);
  };
  for (const step of plan) await measure(step);

  // A slow spell of this shared machine (invisible as foreign CPU: the core itself runs slower)
  // lasts about a minute and lands on the few cells measured in it. Where a server's runs on a
  // scenario disagree by more than `spread`, it gets `extraRuns` more, interleaved with the
  // others that need them, and its medians are over all its runs. Whatever the server.
  const extra = extraPlan(cells, plan);
  if (extra.length) {
    total += extra.length;
    log(`${extra.length / extraRuns} server/scenario pairs disagree by more than ${spread}x between runs: ${extraRuns} more runs each`);
    for (const step of extra) await measure(step);
  }

  const medians = {};
  for (const server of servers) {
    medians[server.id] = {};
    for (const scenario of scenarios) {
      const mine = cells.filter((c) => c.server === server.id && c.scenario === scenario.id);
      if (mine.length) medians[server.id][scenario.id] = summarise(mine);
    }
  }
  const routes = routeLookup();
  const targets = evaluateTargets(medians, routes);
  const checks = cells.filter((c) => c.fail).map((c) => `${c.server} ${c.scenario} run ${c.run + 1}: ${c.fail}`);
  const meta = {
    date: new Date().toISOString(), node: process.version, cpu: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
    tool: toolLabel, pinned: taskset, runs, duration, warmup, connections: 64, spread, extraRuns,
    extraPairs: extra.length / Math.max(1, extraRuns),
    uploadConnections: allScenarios.find((s) => s.id === 'S7').connections,
    foreign: foreignSummary(cells),
  };
  const md = markdown({ meta, servers, scenarios, medians, targets, checks });
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ meta, scenarios: scenarios.map(({ id, name, method, path: p, status }) => ({ id, name, method, path: p, status })), servers, cells, medians, routes, targets, checks }, null, 2)}\n`);
  fs.writeFileSync(path.join(resultsDir, 'latest.md'), md);
  fs.writeFileSync(path.join(resultsDir, 'latest.svg'), svgChart({ servers, scenarios, medians, runs, extraRuns: extra.length ? extraRuns : 0 }));
  process.stdout.write(`${md}\nWrote results/latest.json, results/latest.md, results/latest.svg\n`);
  process.exitCode = checks.length ? 1 : 0;
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 2;
  })
  .finally(cleanup);
