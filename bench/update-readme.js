'use strict';
/**
 * Copies the tables of results/latest.md into the README's Performance
 * section (between `## Performance` and `<!-- /performance -->`), with the
 * run's date: `npm run readme` after `npm run bench`. Each table replaces the
 * one that follows its lead-in sentence in the README; the prose around them
 * is left as written. test/docs/readme.test.ts checks they match.
 */
const fs = require('node:fs');
const path = require('node:path');

const README = path.join(__dirname, '..', 'README.md');
const RESULTS = path.join(__dirname, 'results');

/** [lead-in sentence in the README, heading in latest.md] of each table to copy. */
const TABLES = [
  ['requests per second.', '## Requests per second (median)'],
  ['Relative to raw `node:http` and to Fastify:', '## Reinhardt relative to raw node:http and Fastify (req/s)'],
  ['Server CPU per request (µs, median):', '## Server CPU per request (µs, median)'],
  ['Targets of issue 7 in this run:', '## Targets (issue 7)'],
];

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
  if (at === -1) throw new Error(`README's Performance section lacks the line "${leadIn}"`);
  const start = section.indexOf('\n|', at) + 1;
  const rows = section.slice(start).split('\n');
  const count = rows.findIndex((line) => !line.startsWith('|'));
  const end = start + rows.slice(0, count).reduce((length, line) => length + line.length + 1, 0);
  return section.slice(0, start) + table + '\n' + section.slice(end);
}

function main() {
  const results = fs.readFileSync(path.join(RESULTS, 'latest.md'), 'utf8');
  const { meta } = JSON.parse(fs.readFileSync(path.join(RESULTS, 'latest.json'), 'utf8'));
  const readme = fs.readFileSync(README, 'utf8');
  const start = readme.indexOf('## Performance');
  const end = readme.indexOf('<!-- /performance -->');
  if (start === -1 || end === -1) throw new Error('README has no Performance section ending in <!-- /performance -->');
  let section = readme.slice(start, end);
  for (const [leadIn, heading] of TABLES) {
    const table = tableAfter(results, heading);
    if (table === null) throw new Error(`results/latest.md has no table under "${heading}"`);
    section = replaceTable(section, leadIn, table);
  }
  section = section.replace(/Latest committed run \([^,]*, Node [^,]*,/, `Latest committed run (${meta.date}, Node ${meta.node},`);
  fs.writeFileSync(README, readme.slice(0, start) + section + readme.slice(end));
  process.stdout.write('README.md: Performance tables copied from results/latest.md\n');
}

main();
