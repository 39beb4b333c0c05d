/**
 * Parsing of Django path patterns (`/polls/<int:id>/`), after django/urls/resolvers.py
 * (`_PATH_PARAMETER_COMPONENT_RE`, `_route_to_regex`). A pattern is compiled once, when its route
 * is added; the router builds its matching structure from the pieces produced here.
 */
import { ImproperlyConfigured } from '../http/errors';
import { getConverter, type PathConverter } from './converters';

/** One `<converter:name>` of a pattern. */
export interface PatternParameter {
  readonly name: string;
  readonly converterName: string;
  readonly converter: PathConverter;
  /** `^(?:regex)$` of the converter, for `reverse()` to check the text `toUrl` produced. */
  readonly fullMatch: RegExp;
}

/** A text run or a parameter, in pattern order. */
export type PatternPart = string | PatternParameter;

/** The result of `compilePattern`. */
export interface CompiledPattern {
  /** The pattern as written. */
  readonly pattern: string;
  /** Text runs and parameters in order; joining them back gives the pattern. */
  readonly parts: readonly PatternPart[];
  /** The parameters in pattern order (the order handlers receive them). */
  readonly params: readonly PatternParameter[];
  /** True when the pattern has no parameter: it matches exactly one path. */
  readonly isStatic: boolean;
  /** The whole pattern as one anchored regex; group `p<i>` holds parameter i. */
  readonly regex: RegExp;
}

// Django: r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>"
const PARAMETER_COMPONENT = /<(?:([^>:]+):)?([^>]+)>/g;
// Python's str.isidentifier(): XID_Start or '_', then XID_Continue.
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
const WHITESPACE = /\s/;
// The syntax characters, the only identity escapes a `u`-flag regex allows.
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** Escape text for a `u`-flag regex (Python's re.escape). */
export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/**
 * Parse a Django path pattern. Throws ImproperlyConfigured naming the pattern for whitespace in
 * angle brackets, a parameter name that is not an identifier, an unknown converter, or the same
 * parameter name twice.
 *
 * @example
 * const compiled = compilePattern('/articles/<int:year>/<slug:title>/');
 * compiled.params.map((p) => p.name);            // ['year', 'title']
 * compiled.regex.test('/articles/2003/my-post/'); // true
 */
export function compilePattern(pattern: string): CompiledPattern {
  const parts: PatternPart[] = [];
  const params: PatternParameter[] = [];
  let source = '^';
  let previousEnd = 0;
  for (const match of pattern.matchAll(PARAMETER_COMPONENT)) {
    if (WHITESPACE.test(match[0])) {
      throw new ImproperlyConfigured(`URL route '${pattern}' cannot contain whitespace in angle brackets <…>.`);
    }
    // `<x>` defaults to the str converter, as Django's `match.groups(default="str")`.
    const converterName = match[1] ?? 'str';
    const name = match[2];
    if (!IDENTIFIER.test(name)) {
      throw new ImproperlyConfigured(`URL route '${pattern}' uses parameter name '${name}' which isn't a valid identifier.`);
    }
    const converter = getConverter(converterName);
    if (converter === undefined) {
      throw new ImproperlyConfigured(`URL route '${pattern}' uses invalid converter '${converterName}'.`);
    }
    if (params.some((p) => p.name === name)) {
      // Django fails here too, through re's "redefinition of group name".
      throw new ImproperlyConfigured(`URL route '${pattern}' uses parameter name '${name}' more than once.`);
    }
    const text = pattern.slice(previousEnd, match.index);
    if (text !== '') parts.push(text);
    previousEnd = match.index + match[0].length;
    const parameter: PatternParameter = {
      name,
      converterName,
      converter,
      fullMatch: new RegExp(`^(?:${converter.regex})$`, 'u'),
    };
    parts.push(parameter);
    source += `${escapeRegex(text)}(?<p${params.length}>${converter.regex})`;
    params.push(parameter);
  }
  const tail = pattern.slice(previousEnd);
  if (tail !== '') parts.push(tail);
  source += `${escapeRegex(tail)}$`;
  return { pattern, parts, params, isStatic: params.length === 0, regex: new RegExp(source, 'u') };
}
