'use strict';
/**
 * A diagnostic for the route-lookup target (not part of `npm run bench`): the cost of each probe
 * of route-lookup.js on its own, 10 routes against 1,000, each probe looked up alone in a tight
 * loop (best of 15 rounds, the two routers alternating). Where the extra cost of the big router
 * is the same with the probe alone as in route-lookup.js's mixed loop, it is work that probe's
 * lookup does, not the mix evicting the big router's Maps from the cache.
 *
 * `node route-lookup-probes.js` (after `npm run build`), pinned for steadier numbers:
 * `taskset -c 0 node route-lookup-probes.js`.
 */
const { PROBES, build } = require('./route-lookup.js');

/** ns per lookup of one probe, `n` times in a row. */
function timeOne(router, [method, path], n) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const match = router.match(method, path);
    if (match !== null) sink += match.allowed.length;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink === -1) console.log(sink);
  return ns / n;
}

function main() {
  const small = build(10);
  const large = build(1000);
  const n = 20000;
  console.log(`Each probe alone, best of 15 rounds × ${n} lookups (ns per lookup):`);
  for (const probe of PROBES) {
    for (let w = 0; w < 3; w++) { timeOne(small, probe, n); timeOne(large, probe, n); }
    let s = Infinity;
    let l = Infinity;
    for (let round = 0; round < 15; round++) {
      s = Math.min(s, timeOne(small, probe, n));
      l = Math.min(l, timeOne(large, probe, n));
    }
    const label = `${probe[0]} ${probe[1]}`;
    console.log(`  ${label.padEnd(52)} 10 routes ${s.toFixed(1).padStart(6)}   1,000 routes ${l.toFixed(1).padStart(6)}   ${l - s >= 0 ? '+' : ''}${(l - s).toFixed(1)}`);
  }
}

main();
