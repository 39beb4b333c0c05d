'use strict';
/**
 * Turns the medians into the three outputs: the markdown table (also
 * printed), the targets of issue 7 with met/missed, and a hand-written SVG
 * bar chart of req/s relative to raw node:http.
 */
const MB = 1024 * 1024;
const S1_S6 = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
const DEFAULT_STACK_SCENARIOS = ['S1', 'S2', 'S4', 'S6'];

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const fmtUs = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const fmtMb = (n) => (Number.isFinite(n) ? (n / MB).toFixed(1) : '—');
const fmtX = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '—');

function cellText(summary, format) {
  if (!summary) return '—';
  if (summary.okRuns === 0) return 'FAIL';
  const text = format(summary);
  return summary.failures.length ? `${text} (!${summary.failures.length})` : text;
}

/** Peak RSS of a server: the largest median VmHWM over S1–S6. */
function peakRss(medians, serverId) {
  const values = S1_S6.map((s) => medians[serverId]?.[s]?.peakRss).filter(Number.isFinite);
  return values.length ? Math.max(...values) : NaN;
}

/**
 * Each target of issue 7 item 3, checked on the medians. A target whose
 * numbers are missing (server not run, or every run failed) is "not measured".
 */
function evaluateTargets(medians, routes) {
  const get = (server, scenario, key) => medians[server]?.[scenario]?.[key];
  const targets = [];
  const ratioTarget = (name, server, base, scenarios, min) => {
    const parts = scenarios.map((s) => {
      const r = get(server, s, 'rps') / get(base, s, 'rps');
      return { s, r, ok: r >= min };
    });
    const measured = parts.every((p) => Number.isFinite(p.r));
    targets.push({
      name,
      status: !measured ? 'not measured' : parts.every((p) => p.ok) ? 'met' : 'missed',
      detail: parts.map((p) => `${p.s} ${fmtX(p.r)}${Number.isFinite(p.r) && !p.ok ? ' ✗' : ''}`).join(', '),
    });
  };
  ratioTarget('Reinhardt bare ≥ 1.1x Fastify req/s on S1–S6', 'reinhardt-bare', 'fastify', S1_S6, 1.1);
  ratioTarget('Reinhardt bare ≥ 0.9x raw node:http req/s on S1–S6', 'reinhardt-bare', 'raw-node', S1_S6, 0.9);
  ratioTarget('Reinhardt default stack ≥ 1.0x Fastify req/s on S1, S2, S4, S6', 'reinhardt-default', 'fastify',
    DEFAULT_STACK_SCENARIOS, 1.0);
  // Issue 21: "with GZip on, a 1 KB JSON response costs what @fastify/compress costs or less".
  ratioTarget('Reinhardt + GZipMiddleware ≥ 1.0x Fastify + @fastify/compress req/s on S8', 'reinhardt-gzip', 'fastify-compress', ['S8'], 1.0);

  for (const [server, scenarios] of [['reinhardt-bare', S1_S6], ['reinhardt-default', DEFAULT_STACK_SCENARIOS]]) {
    const parts = scenarios.map((s) => ({ s, mine: get(server, s, 'p99'), theirs: get('fastify', s, 'p99') }));
    const measured = parts.every((p) => Number.isFinite(p.mine) && Number.isFinite(p.theirs));
    targets.push({
      name: `${server === 'reinhardt-bare' ? 'Reinhardt bare' : 'Reinhardt default stack'} p99 ≤ Fastify's on ${scenarios.join(', ')}`,
      status: !measured ? 'not measured' : parts.every((p) => p.mine <= p.theirs) ? 'met' : 'missed',
      detail: parts.map((p) => `${p.s} ${fmtMs(p.mine)} vs ${fmtMs(p.theirs)} ms${p.mine > p.theirs ? ' ✗' : ''}`).join(', '),
    });
  }

  for (const server of ['reinhardt-bare', 'reinhardt-default']) {
    const mine = peakRss(medians, server);
    const theirs = peakRss(medians, 'fastify');
    const r = mine / theirs;
    targets.push({
      name: `${server === 'reinhardt-bare' ? 'Reinhardt bare' : 'Reinhardt default stack'} peak RSS ≤ 1.1x Fastify's (S1–S6)`,
      status: !Number.isFinite(r) ? 'not measured' : r <= 1.1 ? 'met' : 'missed',
      detail: `${fmtMb(mine)} MB vs ${fmtMb(theirs)} MB (${fmtX(r)})`,
    });
  }

  for (const server of ['reinhardt-bare', 'reinhardt-default']) {
    const r = get(server, 'S7', 'rps') / get('busboy-disk', 'S7', 'rps');
    const growth = get(server, 'S7', 'rssGrowth');
    const measured = Number.isFinite(r) && Number.isFinite(growth);
    targets.push({
      name: `${server === 'reinhardt-bare' ? 'Reinhardt bare' : 'Reinhardt default stack'} S7 ≥ 80% of busboy-to-disk, RSS growth < 64 MB`,
      status: !measured ? 'not measured' : r >= 0.8 && growth < 64 * MB ? 'met' : 'missed',
      detail: `${Number.isFinite(r) ? `${(r * 100).toFixed(0)}%` : '—'} of busboy, RSS growth ${fmtMb(growth)} MB`,
    });
  }

  targets.push(routes && Number.isFinite(routes.ratio)
    ? {
      name: 'Route lookup with 1,000 routes within 10% of the cost with 10',
      status: routes.ratio <= 1.1 ? 'met' : 'missed',
      detail: `${routes.nsPer1000.toFixed(0)} ns vs ${routes.nsPer10.toFixed(0)} ns per lookup (${fmtX(routes.ratio)})`,
    }
    : { name: 'Route lookup with 1,000 routes within 10% of the cost with 10', status: 'not measured', detail: routes?.error ?? '' });
  return targets;
}

/** A markdown table; the first column (or every one, for text) left-aligned, numbers right. */
function table(header, rows, textOnly = false) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || textOnly ? ':---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function markdown({ meta, servers, scenarios, medians, targets, checks }) {
  const ids = scenarios.map((s) => s.id);
  const row = (server, format) => [server.label, ...ids.map((s) => cellText(medians[server.id]?.[s], format))];
  const out = [];
  out.push('# Reinhardt benchmark — latest run', '');
  out.push(`${meta.date} · Node ${meta.node} · ${meta.cpu} · ${meta.tool}${meta.pinned ? ', server on CPU 0 and load on CPU 1 (taskset)' : ', NOT pinned (taskset or a second core missing)'} · ` +
    `${meta.runs} run(s) × ${meta.duration} s per cell (+${meta.warmup} s warm-up), ${meta.connections} connections (S7: ${meta.uploadConnections}) · medians of the runs` +
    (meta.extraPairs ? ` · ${meta.extraPairs} server/scenario pairs whose runs disagreed by more than ${meta.spread}x in req/s got ${meta.extraRuns} more run${meta.extraRuns === 1 ? '' : 's'} (their medians are of ${meta.runs + meta.extraRuns})` : ''), '');
  if (meta.foreign) {
    out.push(`Server core (CPU 0) time spent outside the server process during the loads — other processes and the kernel's loopback work: ` +
      `median ${(meta.foreign.median * 100).toFixed(0)}%, max ${(meta.foreign.max * 100).toFixed(0)}%, ${meta.foreign.over10} of ${meta.foreign.cells} cells over 10%.`, '');
  }
  out.push('Scenarios: ' + scenarios.map((s) => `${s.id} ${s.name}`).join(' · '), '');
  out.push('## Requests per second (median)', '');
  out.push(table(['Server', ...ids, 'peak RSS (MB)', 'S7 RSS growth (MB)'],
    servers.map((sv) => [...row(sv, (m) => fmtInt(m.rps)), fmtMb(peakRss(medians, sv.id)), fmtMb(medians[sv.id]?.S7?.rssGrowth)])));
  out.push('', '## p99 latency (ms, median)', '');
  out.push(table(['Server', ...ids], servers.map((sv) => row(sv, (m) => fmtMs(m.p99)))));
  out.push('', '## Server CPU per request (µs, median)', '',
    'User + system time of the server process during the load ÷ requests: less moved by the loopback than req/s.', '');
  out.push(table(['Server', ...ids], servers.map((sv) => row(sv, (m) => fmtUs(m.cpuPerRequest)))));
  const rein = servers.filter((sv) => sv.id.startsWith('reinhardt'));
  if (rein.length) {
    out.push('', '## Reinhardt relative to raw node:http and Fastify (req/s)', '');
    const ratioRow = (sv, base, label) => [`${sv.label} ÷ ${label}`, ...ids.map((s) => fmtX(medians[sv.id]?.[s]?.rps / medians[base]?.[s]?.rps))];
    out.push(table(['Ratio', ...ids], rein.flatMap((sv) => [ratioRow(sv, 'raw-node', 'raw node'), ratioRow(sv, 'fastify', 'Fastify')])));
  }
  out.push('', '## Targets (issue 7)', '');
  out.push(table(['Target', 'Result', 'Numbers'], targets.map((t) => [t.name, t.status === 'met' ? 'met' : `**${t.status}**`, t.detail]), true));
  out.push('', '## Checks', '');
  out.push(checks.length === 0 ? 'All checks ok: every cell answered the right status and body.' : checks.map((c) => `- FAIL ${c}`).join('\n'));
  out.push('');
  return out.join('\n');
}

const COLORS = ['#555555', '#1f77b4', '#2ca02c', '#d62728', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#e6007e', '#a0005a', '#bcbd22'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Grouped bars: one group per scenario, one bar per server, height = req/s ÷ raw node:http's. */
function svgChart({ servers, scenarios, medians, runs, extraRuns = 0 }) {
  const ids = scenarios.map((s) => s.id);
  const ratio = (sv, s) => medians[sv.id]?.[s]?.rps / medians['raw-node']?.[s]?.rps;
  const bar = 10;
  const gap = 26;
  const left = 56;
  const top = 40;
  const plotH = 320;
  const groupW = servers.length * bar + gap;
  const plotW = ids.length * groupW;
  const legendX = left + plotW + 24;
  const width = legendX + 250;
  const height = top + plotH + 60;
  let max = 1.25;
  for (const sv of servers) for (const s of ids) { const r = ratio(sv, s); if (Number.isFinite(r)) max = Math.max(max, Math.ceil(r * 4) / 4); }
  const y = (v) => top + plotH - (v / max) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">req/s relative to raw node:http (median of ${runs} run${runs === 1 ? '' : 's'}${extraRuns ? `, ${runs + extraRuns} where the first ${runs} disagreed` : ''}; 1.0 = raw node:http)</text>`,
  ];
  for (let v = 0; v <= max + 1e-9; v += 0.25) {
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${Math.abs(v - 1) < 1e-9 ? '#000000' : '#dddddd'}" stroke-width="${Math.abs(v - 1) < 1e-9 ? 1.5 : 1}"/>`);
    parts.push(`<text x="${left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  ids.forEach((s, g) => {
    const x0 = left + g * groupW + gap / 2;
    servers.forEach((sv, i) => {
      const r = ratio(sv, s);
      if (!Number.isFinite(r)) return;
      const x = x0 + i * bar;
      parts.push(`<rect x="${x}" y="${y(r).toFixed(1)}" width="${bar - 1}" height="${(y(0) - y(r)).toFixed(1)}" fill="${COLORS[i % COLORS.length]}">` +
        `<title>${esc(sv.label)} ${s}: ${r.toFixed(2)}x (${Math.round(medians[sv.id][s].rps)} req/s)</title></rect>`);
    });
    parts.push(`<text x="${x0 + (servers.length * bar) / 2}" y="${top + plotH + 18}" text-anchor="middle" font-weight="bold">${s}</text>`);
  });
  servers.forEach((sv, i) => {
    const ly = top + i * 20;
    parts.push(`<rect x="${legendX}" y="${ly}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`);
    parts.push(`<text x="${legendX + 18}" y="${ly + 10}">${esc(sv.label)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

module.exports = { evaluateTargets, markdown, svgChart, peakRss };
