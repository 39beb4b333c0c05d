'use strict';
/**
 * CPU accounting from /proc, so a run on a shared machine can tell how much
 * of the server core something else took: before a cell the run waits for
 * the machine to go quiet, and during the load it measures the share of
 * CPU 0 spent outside the server process ("foreign" time: other processes,
 * plus the kernel's softirq work for the loopback traffic).
 */
const fs = require('node:fs');
const { sleep } = require('./server-process');

/** busy and total jiffies per CPU line of /proc/stat ('cpu' is all of them). */
function readStat() {
  const out = {};
  try {
    for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
      if (!line.startsWith('cpu')) continue;
      const [name, ...fields] = line.trim().split(/\s+/);
      const v = fields.map(Number);
      const idle = v[3] + (v[4] || 0);
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
      out[name] = { busy: total - idle, total };
    }
  } catch {
    // Not Linux: no accounting.
  }
  return out;
}

/** Microseconds per clock tick, the unit of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const MICROS_PER_TICK = 10000;

/** utime + stime of a process (all its threads), in clock ticks; NaN once it is gone. */
function processTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

/** Busy share of all CPUs over `ms`. */
async function busyShare(ms) {
  const a = readStat().cpu;
  await sleep(ms);
  const b = readStat().cpu;
  if (!a || !b || b.total === a.total) return 0;
  return (b.busy - a.busy) / (b.total - a.total);
}

/**
 * Waits until the whole machine is below `threshold` busy over a 300 ms
 * window, at most `maxMs`. Returns the share last seen.
 */
async function waitQuiet(threshold, maxMs) {
  const deadline = Date.now() + maxMs;
  let share = await busyShare(300);
  while (share > threshold && Date.now() < deadline) share = await busyShare(300);
  return share;
}

/**
 * Starts measuring CPU `cpu` and the server `pid`; the returned function gives, since then, the
 * foreign share of that CPU and the microseconds of CPU the server used (NaN when unknown).
 */
function cpuMeter(cpu, pid) {
  const name = `cpu${cpu}`;
  const s0 = readStat()[name];
  const p0 = processTime(pid);
  return () => {
    const s1 = readStat()[name];
    const p1 = processTime(pid);
    const serverMicros = (p1 - p0) * MICROS_PER_TICK;
    if (!s0 || !s1 || !Number.isFinite(serverMicros) || s1.total === s0.total) return { foreign: NaN, serverMicros };
    return { foreign: Math.max(0, (s1.busy - s0.busy - (p1 - p0)) / (s1.total - s0.total)), serverMicros };
  };
}

module.exports = { waitQuiet, cpuMeter };
