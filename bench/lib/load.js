'use strict';
/**
 * The load generator: wrk (Debian's package) driven by a generated Lua
 * script, or autocannon when wrk is missing. Either way one call returns the
 * same record: requests, req/s, p50/p99 in ms, the count of answers whose
 * status was not the scenario's, and socket errors.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reinhardt-bench-lua-'));

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** Lua long-bracket quoting; the level is raised until the text cannot close it. */
function luaString(text) {
  let level = '=';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}

/**
 * wrk counts only "non-2xx or 3xx" answers, which cannot check S4 (404 is
 * the right answer there) nor catch a stray redirect, so the script's
 * response() hook counts every status that is not the expected one, and
 * done() prints one JSON line with everything run.js needs.
 */
function wrkScript(scenario) {
  const lines = [`wrk.method = "${scenario.method}"`, `wrk.path = ${luaString(scenario.path)}`];
  for (const [name, value] of Object.entries(scenario.headers)) lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  if (scenario.body !== undefined) lines.push(`wrk.body = ${luaString(scenario.body)}`);
  if (scenario.bodyFile) {
    lines.push(`local f = assert(io.open(${luaString(scenario.bodyFile())}, "rb"))`, 'wrk.body = f:read("*a")', 'f:close()');
  }
  lines.push(
    `local expected = ${scenario.status}`,
    'local threads = {}',
    'function setup(thread) table.insert(threads, thread) end',
    'function init(args) bad = 0 end',
    'function response(status, headers, body) if status ~= expected then bad = bad + 1 end end',
    'function done(summary, latency, requests)',
    '  local b = 0',
    '  for _, t in ipairs(threads) do b = b + t:get("bad") end',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\nWRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"badStatus":%d,' +
      '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\\n\',',
    '    summary.requests, summary.duration, summary.bytes, b, e.connect, e.read, e.write, e.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))',
    'end',
  );
  const file = path.join(scriptDir, `${scenario.id}.lua`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function collect(child) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs one load: `seconds` of traffic with the scenario's connection count
 * (64, S7 fewer), the generator pinned to `cpu` when taskset is present.
 */
async function runLoad({ tool, taskset, cpu, port, scenario, seconds }) {
  const connections = scenario.connections ?? 64;
  const prefix = taskset ? ['taskset', '-c', String(cpu)] : [];
  if (tool === 'wrk') {
    const args = [...prefix, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency',
      '-s', wrkScript(scenario), `http://127.0.0.1:${port}${scenario.path}`];
    const { code, stdout, stderr } = await collect(spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }));
    const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${stderr || stdout}`);
    const r = JSON.parse(line.slice(9));
    return {
      requests: r.requests,
      rps: r.requests / (r.durationUs / 1e6),
      p50: r.p50Us / 1000,
      p99: r.p99Us / 1000,
      badStatus: r.badStatus,
      errors: r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
      errorDetail: r.errors,
    };
  }
  const args = [...prefix, process.execPath, path.join(__dirname, 'autocannon-child.js'),
    JSON.stringify({ port, seconds, connections, scenario: { ...scenario, bodyFile: scenario.bodyFile && scenario.bodyFile() } })];
  const { code, stdout, stderr } = await collect(spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }));
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${stderr}`);
  return JSON.parse(stdout);
}

/** Removes the generated Lua scripts (called once the run is over). */
function cleanup() {
  fs.rmSync(scriptDir, { recursive: true, force: true });
}

module.exports = { runLoad, which, cleanup };
