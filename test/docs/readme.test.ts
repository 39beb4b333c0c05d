/**
 * README.md is the landing page (issue 20): what Reinhardt is, the install line, `reinhardt
 * startproject`, a first controller, the guides, the security list, a performance summary and the
 * two commands for working on the framework. The rules every doc shares (examples verbatim, shell
 * lines, links) are in guides.test.ts; these are the README's own promises.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Doc, ROOT, fences, readDoc } from './markdown';

const README = readDoc('README.md');

/** The text of the `## title` section, up to the next `## ` heading. */
function section(doc: Doc, title: string): string {
  const start = doc.lines.indexOf(`## ${title}`);
  expect({ doc: doc.path, section: title, found: start !== -1 }).toEqual({ doc: doc.path, section: title, found: true });
  const end = doc.lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return doc.lines.slice(start, end === -1 ? undefined : end).join('\n');
}

function bashBlocksOf(title: string): string[] {
  const text = section(README, title);
  return fences({ path: `README.md#${title}`, text, lines: text.split('\n') })
    .filter((f) => f.lang === 'bash')
    .map((f) => f.body);
}

const guides = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md') && name !== 'README.md')
  .sort();

describe('README.md, the landing page', () => {
  test('the install line is reinhardt with the runtime peers package.json declares', () => {
    const peers = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).peerDependencies).filter((name) => !name.startsWith('@types/'));
    const [block] = bashBlocksOf('Install');
    expect(block).toMatch(/^npm install reinhardt( [@a-z0-9/.-]+)+\n$/);
    expect(block.trim().split(' ').slice(3).sort()).toEqual(peers.sort());
  });

  test('it says which compilers cannot emit decorator metadata, and what to use instead', () => {
    const install = section(README, 'Install');
    expect(install).toContain('**tsx and esbuild (and the tools built on esbuild) cannot\nemit decorator metadata**');
    expect(install).toContain('`tsc` does, and so does swc with `jsc.transform.legacyDecorator` and\n`jsc.transform.decoratorMetadata`');
  });

  test('a project starts with reinhardt startproject', () => {
    expect(bashBlocksOf('Start a project')).toEqual(['npx reinhardt startproject mysite   # then: cd mysite, npm install && npm start, npm test\n']);
  });

  test('the quickstart is a tested example', () => {
    expect(section(README, 'A first controller')).toContain('<!-- example: docs/examples/quickstart.ts -->');
  });

  test('working on the framework takes the two commands of a fresh clone', () => {
    expect(bashBlocksOf('Working on Reinhardt')).toEqual([
      'npm install && npm start   # installs and starts the sample polls site on http://localhost:8000\n' +
        'npm test                   # runs every test (unit, in-process, real sockets, Redis, headless Chromium)\n',
    ]);
  });

  test('the guide list links every guide in docs/, and docs/README.md does too', () => {
    const linked = (text: string, prefix: string) =>
      [...text.matchAll(/\]\(([^)#]+\.md)\)/g)].map((m) => m[1])
        .filter((path) => path.startsWith(prefix) && !path.includes('/', prefix.length))
        .map((path) => path.slice(prefix.length))
        .filter((name) => name !== 'README.md');
    expect(linked(section(README, 'Guides'), 'docs/').sort()).toEqual(guides);
    expect(linked(readDoc('docs/README.md').text, '').sort()).toEqual(guides);
  });

  test('the Security section lists every defence of docs/security.md, one line each (issue 19)', () => {
    const security = readDoc('docs/security.md');
    const defences = security.lines.filter((line) => line.startsWith('## ')).map((line) => line.slice(3));
    expect(defences.length).toBeGreaterThan(10);
    const lines = section(README, 'Security').split('\n').filter((line) => line.startsWith('- '));
    expect(lines.map((line) => /^- \*\*\[([^\]]+)\]\(docs\/security\.md#[^)]+\)\*\*: \S/.exec(line)?.[1])).toEqual(defences);
  });
});
