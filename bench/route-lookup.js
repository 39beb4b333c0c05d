'use strict';
/**
 * Issue 7's last target: route lookup with 1,000 registered routes within
 * 10% of the cost with 10. A micro-benchmark, not a test: it builds
 * Reinhardt's Router twice, times the same probe paths against both
 * (several rounds, alternating, median), and prints the ratio and met/missed.
 *
 * Both routers hold the 10 probe routes; the big one adds 990 more — half
 * declared before them, half after, many sharing their prefixes — so a
 * router that scanned patterns in order, or whose trie nodes grew costly
 * with siblings, would show it. Misses (404) and a 405 are probed too.
 *
 * `npm run bench:routes`; `node route-lookup.js --json` prints one
 * ROUTES_JSON line for run.js.
 */
let Router;
try {
  ({ Router } = require('reinhardt'));
} catch {
  ({ Router } = require('../dist/src/routing/router.js'));
}
if (typeof Router !== 'function') ({ Router } = require('../dist/src/routing/router.js'));

const PROBE_ROUTES = [
  ['GET', '/hello'],
  ['GET', '/about/'],
  ['GET', '/users/<int:id>/'],
  ['GET', '/users/<int:id>/posts/<int:post>/'],
  ['POST', '/users/<int:id>/posts/'],
  ['GET', '/articles/<int:year>/<slug:slug>/'],
  ['GET', '/tags/<str:tag>/'],
  ['GET', '/orders/<uuid:order>/'],
  ['GET', '/files/<path:rest>'],
  ['PUT', '/settings/'],
];

const PROBES = [
  ['GET', '/hello'],
  ['GET', '/about/'],
  ['GET', '/users/42/'],
  ['GET', '/users/42/posts/7/'],
  ['POST', '/users/42/posts/'],
  ['GET', '/articles/2024/django-reinhardt/'],
  ['GET', '/tags/typescript/'],
  ['GET', '/orders/123e4567-e89b-42d3-a456-426614174000/'],
  ['GET', '/files/docs/2024/report.pdf'],
  ['GET', '/settings/'], // 405: the path exists for PUT only
  ['GET', '/nowhere/at/all/'], // 404
  ['GET', '/users/abc/'], // 404: the converter refuses it
];

/** The 990 extra routes: statics, and dynamics that share the probes' prefixes. */
function extraRoutes(count) {
  const routes = [];
  for (let k = 0; routes.length < count; k++) {
    routes.push(['GET', `/section${k}/`]);
    routes.push(['GET', `/section${k}/<int:id>/`]);
    routes.push(['GET', `/users/<int:id>/extra${k}/`]);
    routes.push(['POST', `/api/v1/things${k}/<slug:slug>/`]);
    routes.push(['GET', `/articles/<int:year>/k${k}/<slug:slug>/`]);
    routes.push(['GET', `/tags/<str:tag>/more${k}/`]);
  }
  return routes.slice(0, count);
}

function build(total) {
  const router = new Router();
  const extras = extraRoutes(total - PROBE_ROUTES.length);
  const half = extras.length >> 1;
  let n = 0;
  const add = ([method, pattern]) => router.add(method, pattern, `route-${n++}`);
  extras.slice(0, half).forEach(add);
  PROBE_ROUTES.forEach(add);
  extras.slice(half).forEach(add);
  router.compile();
  return router;
}

/** ns per lookup over `iterations` passes of every probe. */
function time(router, iterations) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    for (let p = 0; p < PROBES.length; p++) {
      const match = router.match(PROBES[p][0], PROBES[p][1]);
      if (match !== null) sink += match.allowed.length;
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink === -1) console.log(sink);
  return ns / (iterations * PROBES.length);
}

function candidateChecks(router) {
  if (typeof router.lastCandidateChecks !== 'number') return NaN;
  let total = 0;
  for (const [method, path] of PROBES) {
    router.match(method, path);
    total += router.lastCandidateChecks;
  }
  return total / PROBES.length;
}

function median(values) {
  const v = values.slice().sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function main() {
  const small = build(10);
  const large = build(1000);
  // Both must give the same answers (the probe routes are the same routes).
  for (const [method, path] of PROBES) {
    const a = small.match(method, path);
    const b = large.match(method, path);
    const key = (m) => (m === null ? 'null' : JSON.stringify([m.value === null ? null : 'hit', m.params, m.allowed]));
    if (key(a) !== key(b)) throw new Error(`routers disagree on ${method} ${path}: ${key(a)} vs ${key(b)}`);
  }
  const iterations = Number(process.env.ROUTES_ITERATIONS ?? 5000);
  const rounds = Number(process.env.ROUTES_ROUNDS ?? 41);
  for (let w = 0; w < 3; w++) { time(small, iterations); time(large, iterations); }
  const s = [];
  const l = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first so that drift and GC hit both alike.
    if (r % 2) { l.push(time(large, iterations)); s.push(time(small, iterations)); } else { s.push(time(small, iterations)); l.push(time(large, iterations)); }
  }
  // The minimum over rounds is the cost with the least interference (another process, a GC
  // pause): on a shared machine noise only ever adds time. The medians are reported beside it.
  const result = {
    nsPer10: Math.min(...s),
    nsPer1000: Math.min(...l),
    ratio: Math.min(...l) / Math.min(...s),
    medianNsPer10: median(s),
    medianNsPer1000: median(l),
    medianRatio: median(l) / median(s),
    checksPer10: candidateChecks(small),
    checksPer1000: candidateChecks(large),
    probes: PROBES.length,
    iterations,
    rounds,
  };
  result.met = result.ratio <= 1.1;
  if (process.argv.includes('--json')) {
    process.stdout.write(`ROUTES_JSON ${JSON.stringify(result)}\n`);
    return;
  }
  console.log(`Route lookup, ${PROBES.length} probe paths (hits, a 405 and two 404s), ${rounds} rounds × ${iterations} passes, best round (median):`);
  console.log(`  10 routes:    ${result.nsPer10.toFixed(1)} ns (${result.medianNsPer10.toFixed(1)}) per lookup, ${result.checksPer10.toFixed(2)} regex checks per lookup`);
  console.log(`  1,000 routes: ${result.nsPer1000.toFixed(1)} ns (${result.medianNsPer1000.toFixed(1)}) per lookup, ${result.checksPer1000.toFixed(2)} regex checks per lookup`);
  console.log(`  ratio ${result.ratio.toFixed(3)}x (${result.medianRatio.toFixed(3)}x) — target ≤ 1.10x: ${result.met ? 'met' : 'MISSED'}`);
}

if (require.main === module) main();

module.exports = { Router, PROBES, build, time, median };
