'use strict';
/**
 * The fallback load generator, run as its own (pinned) process so that it
 * never shares a core with run.js. Prints the same record as the wrk path.
 */
const fs = require('node:fs');
const autocannon = require('autocannon');

const { port, seconds, connections, scenario } = JSON.parse(process.argv[2]);
const body = scenario.bodyFile ? fs.readFileSync(scenario.bodyFile) : scenario.body;

autocannon(
  {
    url: `http://127.0.0.1:${port}${scenario.path}`,
    method: scenario.method,
    headers: scenario.headers,
    body,
    connections,
    duration: seconds,
    timeout: 10,
  },
  (error, result) => {
    if (error) throw error;
    let bad = 0;
    for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
      if (Number(status) !== scenario.status) bad += count;
    }
    process.stdout.write(JSON.stringify({
      requests: result.requests.total,
      rps: result.requests.total / (result.duration || seconds),
      p50: result.latency.p50,
      p99: result.latency.p99,
      badStatus: bad,
      errors: result.errors + result.timeouts,
      errorDetail: { errors: result.errors, timeouts: result.timeouts },
    }));
  },
);
