/**
 * The pieces the technical 404 and 500 pages share: the style (Django's technical_500.html
 * palette, light and dark), the table of one request section, and the footer that says why the
 * page is shown. Every value put in a page goes through `escapeHtml`: the request's query,
 * body, cookies and headers are the attacker's text.
 */
import { escapeHtml } from '../core/page-text';

export const STYLE = `<style>
html *{padding:0;margin:0}body *{padding:10px 20px}body * *{padding:0}
body{font-family:sans-serif;background:light-dark(#fff,#121212);color:light-dark(#000,#e0e0e0);color-scheme:light dark}
body>header,body>main,body>footer{border-bottom:1px solid light-dark(#ddd,#444)}
h1{font-weight:normal}h1 small{font-size:60%;color:light-dark(#666,#aaa)}h2{margin-bottom:.8em}h3{margin:1em 0 .5em 0}
code,pre{font-size:100%;white-space:pre-wrap;word-break:break-word}summary{cursor:pointer}
table{border:1px solid light-dark(#ccc,#444);border-collapse:collapse;width:100%}
td,th{vertical-align:top;padding:2px 3px;text-align:left}
table.meta{border:none}table.meta th{width:12em;text-align:right;color:light-dark(#666,#aaa);padding-right:.5em}
table.req td{font-family:monospace}table.req td.code{width:100%}
#summary{background:light-dark(#ffc,#2b2b2b)}pre.exception_value{font-family:sans-serif;color:light-dark(#575757,#e0e0e0);font-size:1.5rem;margin:10px 0}
#info{padding:0}#info>*{padding:10px 20px}#info ol.patterns{margin:.5em 4em}#info ol.patterns li{font-family:monospace}
#template-not-exist{background:light-dark(#f6f6f6,#1e1e1e)}#template-not-exist ul{margin:0 0 10px 20px}
#traceback{background:light-dark(#eee,#121212)}ul.traceback{list-style-type:none}
ul.traceback li.frame{padding-bottom:1em;color:light-dark(#4f4f4f,#bbb)}
ul.traceback li.user{background:light-dark(#e0e0e0,#2a2a2a);color:light-dark(#000,#e0e0e0)}
ul.traceback li.cause{word-break:break-word}ul.traceback details.library{margin:0 0 1em 0;color:light-dark(#666,#aaa)}
div.context{padding:10px 0;overflow:hidden}div.context ol{padding-left:30px;margin:0 10px;list-style-position:inside}
div.context ol li{font-family:monospace;white-space:pre;color:light-dark(#777,#bbb)}
div.context ol.context-line li{color:light-dark(#464646,#fff);background:light-dark(#dfdfdf,#333)}
.user div.context ol.context-line li{background:light-dark(#bbb,#444);color:light-dark(#000,#fff)}
#pastebinTraceback textarea{width:100%;font-family:monospace}
#requestinfo{background:light-dark(#f6f6f6,#1e1e1e)}#explanation{background:light-dark(#eee,#1f1f1f)}
</style>`;

/** One request section's rows: a name and the text shown for it (escaped here). */
export type Rows = readonly (readonly [string, string])[];

/**
 * A section of "Request information" (Django's `<h3 id="get-info">GET</h3>` and its table), or
 * its `empty` line ("No GET data"). A section whose rows throw (the request itself may be what
 * failed: an undecodable query, too many fields) shows the `empty` line; the page goes on.
 */
export function requestSection(id: string, title: string, empty: string, rows: () => Rows): string {
  let body = '';
  try {
    body = rows()
      .map(([name, value]) => `<tr><td>${escapeHtml(name)}</td><td class="code"><pre>${escapeHtml(value)}</pre></td></tr>`)
      .join('\n');
  } catch {
    body = '';
  }
  if (body === '') return `<h3 id="${id}">${title}</h3>\n<p>${empty}</p>\n`;
  return `<h3 id="${id}">${title}</h3>\n<table class="req"><thead><tr><th scope="col">Variable</th><th scope="col">Value</th></tr></thead>\n<tbody>\n${body}\n</tbody></table>\n`;
}

/** A row of the summary table (`Request Method:`, `Raised by:`), the value escaped. */
export function metaRow(name: string, value: string): string {
  return `<tr><th scope="row">${name}:</th><td>${escapeHtml(value)}</td></tr>\n`;
}

/** Django's footer, with Reinhardt's setting name. */
export function explanation(standardPage: string): string {
  return (
    `<footer id="explanation"><p>You're seeing this error because you have <code>debug: true</code> in your settings. ` +
    `Change that to <code>false</code>, and Reinhardt will display ${standardPage}.</p></footer>\n`
  );
}
