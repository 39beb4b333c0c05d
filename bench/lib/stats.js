'use strict';
/** Medians over the runs of one cell, leaving out runs that failed a check. */

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Collapses the runs of one (server, scenario) into medians and a check summary. */
function summarise(cells) {
  const ok = cells.filter((c) => !c.fail);
  return {
    runs: cells.length,
    okRuns: ok.length,
    failures: cells.filter((c) => c.fail).map((c) => `run ${c.run + 1}: ${c.fail}`),
    rps: median(ok.map((c) => c.rps)),
    p50: median(ok.map((c) => c.p50)),
    p99: median(ok.map((c) => c.p99)),
    cpuPerRequest: median(ok.map((c) => c.cpuPerRequest)),
    peakRss: median(ok.map((c) => c.peakRss)),
    rssGrowth: median(ok.map((c) => c.rssGrowth)),
  };
}

module.exports = { median, summarise };
