'use strict';
/**
 * One fresh server process per cell: started pinned to the server core,
 * awaited on its port, checked once with fetch, measured from /proc, killed.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');

const distDir = path.join(__dirname, '..', 'dist', 'servers');

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** VmRSS and VmHWM (peak resident set) of a live process, in bytes. */
function memory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) ?? [0, NaN])[1]) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** `server.env`: extra environment for the server process (a diagnostic's parameter). */
async function startServer({ server, port, taskset, cpu }) {
  const file = path.join(distDir, `${server.id}.js`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing (npm run build)`);
  const command = taskset ? ['taskset', '-c', String(cpu), process.execPath, file] : [process.execPath, file];
  // A private temporary directory per server: uploads cut off when the load stops (and the
  // server is killed) leave partial files behind, which stop() removes with the directory.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `reinhardt-bench-${server.id}-`));
  // taskset execs node, so the child's pid is the server's pid (for /proc).
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, ...server.env, PORT: String(port), NODE_ENV: 'production', TMPDIR: tmp },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const deadline = Date.now() + 20000;
  while (!(await portOpen(port))) {
    if (exited) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`${server.id} exited (${exited.code ?? exited.signal}) before listening: ${stderr.trim()}`);
    }
    if (Date.now() > deadline) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`${server.id} did not listen on ${port} within 20 s`);
    }
    await sleep(25);
  }
  return {
    pid: child.pid,
    startRss: memory(child.pid).rss,
    memory: () => memory(child.pid),
    stderr: () => stderr,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Sends the scenario once and compares status and the exact JSON body (and
 * that a JSON body is labelled as JSON). Returns null when right, else why not.
 */
async function verify(port, scenario) {
  const body = scenario.bodyFile ? fs.readFileSync(scenario.bodyFile()) : scenario.body;
  let response;
  try {
    response = await fetch(`http://127.0.0.1:${port}${scenario.path}`, {
      method: scenario.method, headers: scenario.headers, body, signal: AbortSignal.timeout(30000),
    });
  } catch (error) {
    return `request failed: ${error.cause?.message ?? error.message}`;
  }
  const text = await response.text();
  if (response.status !== scenario.status) return `status ${response.status}, expected ${scenario.status}: ${text.slice(0, 200)}`;
  // fetch decodes the body; the header still says how it came.
  const encoding = response.headers.get('content-encoding');
  if (scenario.contentEncoding !== undefined && encoding !== scenario.contentEncoding) {
    return `content-encoding ${JSON.stringify(encoding)}, expected ${JSON.stringify(scenario.contentEncoding)}`;
  }
  if (scenario.json === undefined) return null;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return `content-type ${JSON.stringify(type)}, expected JSON`;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return `body is not JSON: ${text.slice(0, 200)}`;
  }
  if (!isDeepStrictEqual(value, scenario.json)) return `body ${text.slice(0, 200)}, expected ${JSON.stringify(scenario.json).slice(0, 200)}`;
  return null;
}

module.exports = { startServer, verify, sleep };
