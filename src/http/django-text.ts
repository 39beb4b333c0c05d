/**
 * Text helpers that reproduce Python and Django behaviour exactly, shared by the request and
 * the response: Python's repr() for error messages and Django's iri_to_uri.
 */

/**
 * Python's `repr()` of a string, so error messages read exactly like Django's
 * ("Invalid HTTP_HOST header: 'x'."). Control characters are escaped, so a hostile header cannot
 * forge log lines.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += '\\' + quote;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += char;
  }
  return out + quote;
}

const IRI_SAFE = /^[A-Za-z0-9/#%[\]=:;$&()+,!?*@'~_.\-]*$/;

/**
 * Django's `iri_to_uri` (RFC 3987 §3.1): percent-encode what may not appear in a URI, leaving
 * reserved characters and existing `%XX` escapes alone.
 * @example iriToUri('/blog/for/Jürgen Münster/') // '/blog/for/J%C3%BCrgen%20M%C3%BCnster/'
 */
export function iriToUri(iri: string): string {
  if (IRI_SAFE.test(iri)) return iri;
  // encodeURI keeps all of Django's safe set except '%', '[' and ']'; put those back. Every '%'
  // in its output starts an escape, so the left-to-right replacement cannot misread one.
  return encodeURI(iri).replace(/%25|%5B|%5D/g, (escape) => (escape === '%25' ? '%' : escape === '%5B' ? '[' : ']'));
}

/** Python's `quote(text, safe='')`: UTF-8 percent-encoding of everything but `A-Za-z0-9_.-~`. */
export function pythonQuote(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
