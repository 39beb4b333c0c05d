/**
 * The benchmark's numbers in the docs are the committed run's: bench/README.md's "Latest results"
 * carries every table of bench/results/latest.md, and README.md's Performance section is the
 * summary `npm run readme` (bench/update-readme.js) writes from it, the chart included.
 */
import { deadLink, readDoc, relativeLinks } from './markdown';

// Plain CommonJS, run by `npm run readme` in bench/; its exported functions are what it writes.
const update = require('../../bench/update-readme.js') as {
  TABLES: [leadIn: string, heading: string][];
  tableAfter(text: string, heading: string): string | null;
  readResults(): { results: string; meta: { date: string; node: string } };
  readmeSummary(results: string, meta: { date: string; node: string }): string;
  SUMMARY_START: string;
  SUMMARY_END: string;
};

const { results, meta } = update.readResults();

describe('bench/README.md', () => {
  const bench = readDoc('bench/README.md');
  const latest = bench.text.slice(bench.text.indexOf('## Latest results'), bench.text.indexOf('<!-- /results -->'));

  test.each(update.TABLES.map(([leadIn, heading]) => [heading, leadIn]))('Latest results shows "%s" after "%s"', (heading, leadIn) => {
    const table = update.tableAfter(results, heading);
    expect(table).not.toBeNull();
    expect(latest).toContain(`${leadIn}\n\n${table}\n`);
  });

  test('Latest results names the run', () => {
    expect(latest).toContain(`Latest committed run (${meta.date}, Node ${meta.node},`);
  });

  test('every relative link leads to a file, and every #anchor to a heading there', () => {
    const links = relativeLinks(bench);
    expect(links.map(({ where, target }) => ({ where, target, dead: deadLink(bench, target) }))).toEqual(
      links.map(({ where, target }) => ({ where, target, dead: null })),
    );
  });
});

describe("README.md's Performance section", () => {
  const readme = readDoc('README.md').text;

  test('is the summary of the committed run, with the chart and a link to every table', () => {
    const start = readme.indexOf(update.SUMMARY_START);
    const end = readme.indexOf(update.SUMMARY_END);
    expect({ start: start !== -1, end: end > start }).toEqual({ start: true, end: true });
    const summary = readme.slice(start + update.SUMMARY_START.length, end);
    expect(summary).toBe(`\n${update.readmeSummary(results, meta)}\n`);
    expect(summary).toContain('![Requests per second relative to raw node:http](bench/results/latest.svg)');
    expect(summary).toContain('](bench/README.md#latest-results)');
  });

  test("the headline ratios are the ratio table's lowest and highest on S1-S6", () => {
    const summary = update.readmeSummary(results, meta);
    const ratios = update.tableAfter(results, '## Reinhardt relative to raw node:http and Fastify (req/s)')!;
    const row = ratios.split('\n').find((line) => line.startsWith('| Reinhardt (bare) ÷ raw node |'))!;
    const cells = row.split('|').slice(2, 8).map((cell) => parseFloat(cell));
    expect(cells).toHaveLength(6);
    expect(summary).toContain(`| bare | ${Math.min(...cells).toFixed(2)}x–${Math.max(...cells).toFixed(2)}x |`);
  });
});
