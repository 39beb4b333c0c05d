'use strict';
/**
 * A diagnostic for the route-lookup target (not part of `npm run bench`): where does the
 * 1,000-route router's extra cost per lookup go?
 *
 * Both routers answer the probes through the same path: the static-path Map (a miss for a
 * dynamic path), then, per non-empty static segment, one lookup in its trie node's Map for
 * keys of that length. In the big router several of those Maps hold more keys than the small
 * router's (up to 90 instead of at most 4). This script times the big router as
 * built, then again with every one of those Maps cut down to the keys the small router has (the
 * probes' answers stay the same — it checks), alternating as route-lookup.js does. If the extra
 * cost is in the size of the hash maps, the cut router costs what the small one does.
 *
 * It reaches into the Router's private fields (`staticPaths`, `root`, trie nodes' `empty`,
 * `statics` and `dynamics`); after a change to the router's internals it says so and stops.
 *
 * `node route-lookup-maps.js` (after `npm run build`, or with the framework's dist built).
 */
const { PROBES, build, time } = require('./route-lookup.js');

function answers(router) {
  return PROBES.map(([method, path]) => {
    const m = router.match(method, path);
    return m === null ? 'null' : JSON.stringify([m.value === null ? null : 'hit', m.params, m.allowed]);
  }).join('\n');
}

/** Keep in `big`'s trie Maps only the keys `small`'s matching node has, recursively. */
function cut(small, big) {
  if (big.empty !== undefined) {
    if (small.empty === undefined) big.empty = undefined;
    else cut(small.empty, big.empty);
  }
  if (big.statics !== null) {
    if (small.statics === null) {
      big.statics = null;
    } else {
      // One Map per segment length; keep the lengths and keys the small router has.
      big.statics = big.statics.map((byText, length) => {
        const twin = small.statics[length];
        if (byText === undefined || twin === undefined) return undefined;
        const kept = new Map([...byText].filter(([key]) => twin.has(key)));
        for (const [key, child] of kept) cut(twin.get(key), child);
        return kept.size > 0 ? kept : undefined;
      });
    }
  }
  for (const child of big.dynamics) {
    const twin = small.dynamics.find((d) => d.regex.source === child.regex.source);
    if (twin !== undefined && twin.node !== null && child.node !== null) cut(twin.node, child.node);
  }
}

function best(router, rounds, iterations) {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) min = Math.min(min, time(router, iterations));
  return min;
}

function main() {
  const small = build(10);
  const large = build(1000);
  const trimmed = build(1000);
  const root = trimmed.root;
  if (!(trimmed.staticPaths instanceof Map) || root === undefined || !('empty' in root) || !(root.statics === null || Array.isArray(root.statics))) {
    console.error("route-lookup-maps.js: the Router's internals changed (no staticPaths Map, or trie nodes without `empty` and per-length `statics`); update this diagnostic.");
    process.exit(1);
  }
  trimmed.staticPaths = new Map([...trimmed.staticPaths].filter(([path]) => small.staticPaths.has(path)));
  cut(small.root, trimmed.root);
  if (answers(trimmed) !== answers(small) || answers(large) !== answers(small)) throw new Error('the routers disagree on a probe');
  const iterations = 5000;
  const rounds = 41;
  const routers = [['10 routes', small], ['1,000 routes', large], ['1,000 routes, Maps cut to the 10 routes\' keys', trimmed]];
  for (let w = 0; w < 3; w++) for (const [, r] of routers) time(r, iterations);
  const results = routers.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so that drift hits all three alike.
    for (let k = 0; k < routers.length; k++) {
      const i = (k + r) % routers.length;
      results[i] = Math.min(results[i], time(routers[i][1], iterations));
    }
  }
  console.log(`Route lookup, ${PROBES.length} probes, best of ${rounds} rounds × ${iterations} passes (ns per lookup):`);
  routers.forEach(([name], i) => console.log(`  ${name.padEnd(48)} ${results[i].toFixed(1)}  (${(results[i] / results[0]).toFixed(3)}x)`));
}

main();
