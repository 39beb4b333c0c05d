'use strict';
/**
 * `npm run readme` after `npm run bench`: copies the tables of results/latest.md into the
 * "Latest results" section of bench/README.md (between `## Latest results` and
 * `<!-- /results -->`), each replacing the table that follows its lead-in sentence there, the prose
 * around them left as written; and rewrites the short summary in the repository README's
 * Performance section (between its two `performance` comments): what is compared, the headline
 * ratios of this run, the chart and a link. test/docs/performance.test.ts holds both to the
 * committed results.
 */
const fs = require('node:fs');
const path = require('node:path');

const README = path.join(__dirname, '..', 'README.md');
const BENCH_README = path.join(__dirname, 'README.md');
const RESULTS = path.join(__dirname, 'results');

/** [lead-in sentence in bench/README.md, heading in latest.md] of each table to copy. */
const TABLES = [
  ['requests per second.', '## Requests per second (median)'],
  ['p99 latency (ms, median):', '## p99 latency (ms, median)'],
  ['Relative to raw `node:http` and to Fastify:', '## Reinhardt relative to raw node:http and Fastify (req/s)'],
  ['Server CPU per request (µs, median):', '## Server CPU per request (µs, median)'],
  ['Targets of issue 7 in this run:', '## Targets (issue 7)'],
];

const RESULTS_START = '## Latest results';
const RESULTS_END = '<!-- /results -->';
const SUMMARY_START = '<!-- performance: written from bench/results/latest.md by `npm run readme` in bench/ -->';
const SUMMARY_END = '<!-- /performance -->';

/** The headline scenarios: the six request/response ones (S7, the upload, has its own target). */
const HEADLINE = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];

/** The first markdown table after `heading` in `text`, or null. */
function tableAfter(text, heading) {
  const start = text.indexOf(heading);
  if (start === -1) return null;
  const lines = text.slice(start).split('\n').slice(1);
  const first = lines.findIndex((line) => line.startsWith('|'));
  if (first === -1) return null;
  const rows = lines.slice(first);
  const end = rows.findIndex((line) => !line.startsWith('|'));
  return rows.slice(0, end === -1 ? rows.length : end).join('\n');
}

/** `section` with the table after `leadIn` replaced by `table`. */
function replaceTable(section, leadIn, table) {
  const at = section.indexOf(leadIn);
  if (at === -1) throw new Error(`bench/README.md's Latest results section lacks the line "${leadIn}"`);
  const start = section.indexOf('\n|', at) + 1;
  const rows = section.slice(start).split('\n');
  const count = rows.findIndex((line) => !line.startsWith('|'));
  const end = start + rows.slice(0, count).reduce((length, line) => length + line.length + 1, 0);
  return section.slice(0, start) + table + '\n' + section.slice(end);
}

/** `text` with the part from `startMark` to `endMark` (both kept) given to `rewrite`. */
function rewriteBetween(text, startMark, endMark, file, rewrite) {
  const start = text.indexOf(startMark);
  const end = text.indexOf(endMark, start);
  if (start === -1 || end === -1) throw new Error(`${file} has no section from "${startMark}" to "${endMark}"`);
  const from = start + startMark.length;
  return text.slice(0, from) + rewrite(text.slice(from, end)) + text.slice(end);
}

/** bench/README.md with every table of the run and the run's date. */
function updateBenchReadme(text, results, meta) {
  return rewriteBetween(text, RESULTS_START, RESULTS_END, 'bench/README.md', (section) => {
    for (const [leadIn, heading] of TABLES) {
      const table = tableAfter(results, heading);
      if (table === null) throw new Error(`results/latest.md has no table under "${heading}"`);
      section = replaceTable(section, leadIn, table);
    }
    return section.replace(/Latest committed run \([^,]*, Node [^,]*,/, `Latest committed run (${meta.date}, Node ${meta.node},`);
  });
}

/** 'lowest–highest' of a ratio row's headline cells, as the table spells them ('0.91x–1.02x'). */
function ratioRange(ratios, rowName) {
  const lines = ratios.split('\n');
  const columns = lines[0].split('|').map((cell) => cell.trim());
  const row = lines.find((line) => line.startsWith(`| ${rowName} |`));
  if (row === undefined) throw new Error(`results/latest.md's ratio table has no row "${rowName}"`);
  const cells = row.split('|').map((cell) => cell.trim());
  const picked = HEADLINE.map((id) => cells[columns.indexOf(id)]).filter((cell) => /^\d+(\.\d+)?x$/.test(cell));
  if (picked.length !== HEADLINE.length) throw new Error(`row "${rowName}" lacks a ratio for one of ${HEADLINE.join(', ')}`);
  picked.sort((a, b) => parseFloat(a) - parseFloat(b));
  return `${picked[0]}–${picked[picked.length - 1]}`;
}

/** The README's Performance summary for this run (the lines between its two comments). */
function readmeSummary(results, meta) {
  const ratios = tableAfter(results, '## Reinhardt relative to raw node:http and Fastify (req/s)');
  if (ratios === null) throw new Error('results/latest.md has no ratio table');
  const row = (variant, label) =>
    `| ${label} | ${ratioRange(ratios, `Reinhardt (${variant}) ÷ raw node`)} | ${ratioRange(ratios, `Reinhardt (${variant}) ÷ Fastify`)} |`;
  return [
    '`bench/` runs seven scenarios (S1 `GET /hello` to S7 a 20 MiB upload) against raw node:http,',
    'Fastify, Express, NestJS, Hono, Koa, routing-controllers and Reinhardt, bare and with Django\'s',
    'default middleware stack, each server pinned to one core with `wrk` on the other. Requests per',
    `second on ${HEADLINE[0]}–${HEADLINE[HEADLINE.length - 1]} in the latest committed run (${meta.date.slice(0, 10)}, Node ${meta.node}), as a ratio:`,
    '',
    '| Reinhardt | ÷ raw node:http | ÷ Fastify |',
    '|:---|---:|---:|',
    row('bare', 'bare'),
    row('default stack', 'default stack'),
    '',
    '![Requests per second relative to raw node:http](bench/results/latest.svg)',
    '',
    'Every table (p99 latency, memory, CPU per request, the targets), how the numbers are measured,',
    'and what each optimisation bought: [bench/README.md](bench/README.md#latest-results).',
  ].join('\n');
}

/** README.md with the Performance summary of this run. */
function updateReadme(text, results, meta) {
  return rewriteBetween(text, SUMMARY_START, SUMMARY_END, 'README.md', () => `\n${readmeSummary(results, meta)}\n`);
}

function readResults() {
  return {
    results: fs.readFileSync(path.join(RESULTS, 'latest.md'), 'utf8'),
    meta: JSON.parse(fs.readFileSync(path.join(RESULTS, 'latest.json'), 'utf8')).meta,
  };
}

function main() {
  const { results, meta } = readResults();
  fs.writeFileSync(BENCH_README, updateBenchReadme(fs.readFileSync(BENCH_README, 'utf8'), results, meta));
  fs.writeFileSync(README, updateReadme(fs.readFileSync(README, 'utf8'), results, meta));
  process.stdout.write('bench/README.md: tables copied from results/latest.md; README.md: Performance summary rewritten\n');
}

module.exports = { TABLES, tableAfter, readResults, readmeSummary, updateBenchReadme, updateReadme, SUMMARY_START, SUMMARY_END };

if (require.main === module) main();
