/**
 * Reading the documentation as the tests hold it to the code: README.md and every guide under
 * docs/, their fenced blocks, their `<!-- example: path -->` markers, their headings' anchors (as
 * GitHub renders them) and their relative links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const ROOT = join(__dirname, '../..');

export interface Doc {
  /** Path from the repository root, `README.md` or `docs/requests.md`. */
  path: string;
  text: string;
  lines: string[];
}

export interface Fence {
  lang: string;
  /** Line index of the opening fence. */
  start: number;
  /** The block's text, each line ending with '\n'. */
  body: string;
}

export function readDoc(path: string): Doc {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return { path, text, lines: text.split('\n') };
}

/** Every file under `dir` (from the root) ending in `ext`, as paths from the root. */
export function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return filesUnder(path, ext);
    return path.endsWith(ext) ? [path] : [];
  });
}

/** README.md, then every docs/*.md guide (whoever wrote it), in name order. */
export function userDocs(): Doc[] {
  const guides = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => readDoc(`docs/${name}`));
  return [readDoc('README.md'), ...guides];
}

export function fences(doc: Doc): Fence[] {
  const found: Fence[] = [];
  const { lines } = doc;
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (open === null) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end === lines.length) throw new Error(`${doc.path} line ${i + 1}: a fence is never closed`);
    found.push({ lang: open[1], start: i, body: lines.slice(i + 1, end).map((line) => `${line}\n`).join('') });
    i = end;
  }
  return found;
}

/** Indexes of the lines inside fences (the fence lines included). */
function fencedLines(doc: Doc): Set<number> {
  const inside = new Set<number>();
  for (const fence of fences(doc)) {
    const count = fence.body === '' ? 0 : fence.body.split('\n').length - 1;
    for (let i = fence.start; i <= fence.start + count + 1; i++) inside.add(i);
  }
  return inside;
}

const MARKER = /^<!-- example: (\S+) -->$/;

/** The `<!-- example: docs/examples/x.ts -->` markers: the example's path from the root, and the marker's line. */
export function markers(doc: Doc): { path: string; line: number }[] {
  return doc.lines.flatMap((line, i) => {
    const m = MARKER.exec(line);
    return m === null ? [] : [{ path: m[1], line: i }];
  });
}

/**
 * GitHub's anchor for a heading (github-slugger): lower case, everything but letters, marks,
 * numbers, connector punctuation, spaces and hyphens dropped, spaces to hyphens; a repeated
 * anchor gets `-1`, `-2`, ...
 */
export function headingAnchors(doc: Doc): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const inside = fencedLines(doc);
  doc.lines.forEach((line, i) => {
    const heading = /^#{1,6} (.+?)\s*#*$/.exec(line);
    if (heading === null || inside.has(i)) return;
    const text = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    let anchor = base;
    let n = seen.get(base) ?? 0;
    while (anchors.has(anchor)) anchor = `${base}-${++n}`;
    seen.set(base, n);
    anchors.add(anchor);
  });
  for (const m of doc.text.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

export interface Link {
  /** Where the link is: `docs/requests.md:12`. */
  where: string;
  target: string;
}

/** The relative links of a doc (inline, images and reference definitions), outside fences and code spans. */
export function relativeLinks(doc: Doc): Link[] {
  const inside = fencedLines(doc);
  const links: Link[] = [];
  doc.lines.forEach((line, i) => {
    if (inside.has(i)) return;
    const prose = line.replace(/`[^`]*`/g, '``');
    const targets = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
    const definition = /^\s*\[[^\]]+\]:\s+(\S+)/.exec(prose);
    if (definition !== null) targets.push(definition[1]);
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links.push({ where: `${doc.path}:${i + 1}`, target });
    }
  });
  return links;
}

/** Why a relative link from `doc` is dead, or null when its file (and heading) exist. */
export function deadLink(doc: Doc, target: string): string | null {
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? doc.path : relative(ROOT, join(ROOT, dirname(doc.path), path));
  if (file.startsWith('..')) return `${file} is outside the repository`;
  if (!existsSync(join(ROOT, file))) return `${file} does not exist`;
  if (anchor === null) return null;
  if (!file.endsWith('.md')) return `#${anchor} on ${file}, which is not a markdown file`;
  return headingAnchors(readDoc(file)).has(anchor) ? null : `${file} has no heading #${anchor}`;
}
