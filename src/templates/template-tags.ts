/**
 * Reinhardt's template tags and globals, registered in one place when the Nunjucks environment is
 * built (as Django's django/template/defaulttags.py registers `url` and `csrf_token` on one
 * Library, and django/templatetags/static.py `static`):
 *
 * - `{% url 'poll-detail' id=poll.id %}` / `{{ url('poll-detail', { id: poll.id }) }}`: `reverse()`.
 * - `{% csrf_token %}`: the hidden `csrfmiddlewaretoken` input.
 * - `{% static 'css/site.css' %}` / `{{ static('css/site.css') }}`: `staticUrl()`.
 *
 * Block tags are Nunjucks extensions, since a tag that reads Django's space-separated arguments
 * (`'name' id=1`) needs its own parser; everything else is a global.
 */
import type nunjucksModule from 'nunjucks';
import type { HttpRequest } from '../http/http-request';
import { reverse as typedReverse, type Reverser, type ReverseQuery } from '../routing/reverse';
import { staticUrl } from '../staticfiles/static-url';
import { csrfInputHtml, LazyCsrfInput } from './lazy-csrf';

/**
 * `reverse()` without the app's `RouteNames` typing: a template's route name is text read at run
 * time, checked by reverse() itself (NoReverseMatch), not by the compiler.
 */
const reverse = typedReverse as Reverser['reverse'];

/** What Nunjucks passes a global as `this`, and an extension's `run` as its first argument. */
interface TemplateContext {
  ctx: Record<string, unknown>;
}

/** Nunjucks' keyword arguments (`f(a, id=1)`): an object flagged `__keywords`, always last. */
type Keywords = Record<string, unknown> & { __keywords: true };

/** Registers every tag and global on a new environment (called once per environment). */
export function registerTemplateTags(env: nunjucksModule.Environment, nunjucks: typeof nunjucksModule): void {
  LazyCsrfInput.adopt(nunjucks.runtime.SafeString);
  env.addGlobal('url', urlGlobal);
  env.addGlobal('static', staticGlobal);
  env.addExtension('UrlTag', new SimpleTag('url', urlTag));
  env.addExtension('StaticTag', new SimpleTag('static', staticTag));
  env.addExtension('CsrfTokenTag', new SimpleTag('csrf_token', (context) => csrfTokenTag(context, nunjucks)));
}

function requestOf(context: TemplateContext, what: string): HttpRequest {
  const request = context.ctx.request as HttpRequest | undefined;
  if (request?.settings === undefined) throw new Error(`${what} needs the request in the template context (render() puts it there).`);
  return request;
}

function isKeywords(value: unknown): value is Keywords {
  return typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true;
}

function withoutKeywordsFlag(keywords: Keywords): Record<string, unknown> {
  const { __keywords: _flag, ...params } = keywords;
  return params;
}

/**
 * `reverse(name, params)` from a tag's or a call's arguments: keyword arguments (`id=poll.id`)
 * are the route's named parameters, positional ones its parameters in pattern order. Django's
 * `{% url %}` refuses a mix of the two, and so does this.
 */
function reverseFromArguments(name: unknown, args: unknown[], query?: ReverseQuery): string {
  if (typeof name !== 'string') throw new Error(`url: the route name must be a string, got ${typeof name}.`);
  const last = args[args.length - 1];
  if (isKeywords(last)) {
    if (args.length > 1) throw new Error(`url '${name}': don't mix positional and keyword arguments.`);
    return reverse(name, withoutKeywordsFlag(last), query);
  }
  return reverse(name, args.length === 0 ? undefined : args, query);
}

/**
 * `{{ url('poll-detail', { id: poll.id }) }}`, `{{ url('poll-detail', id=poll.id) }}` or
 * `{{ url('polls', {}, { page: 2 }) }}` (a query as `reverse()` takes it).
 */
function urlGlobal(name: unknown, params?: unknown, query?: ReverseQuery): string {
  if (params === undefined || params === null) return reverseFromArguments(name, [], query);
  if (isKeywords(params)) return reverseFromArguments(name, [params]);
  if (Array.isArray(params)) return reverseFromArguments(name, params, query);
  if (typeof params === 'object') return reverse(name as string, params as Record<string, unknown>, query);
  return reverseFromArguments(name, [params]);
}

function urlTag(_context: TemplateContext, name: unknown, ...args: unknown[]): string {
  return reverseFromArguments(name, args);
}

/** `{{ static('css/site.css') }}`: `staticUrl` with the settings of the request in the context. */
function staticGlobal(this: TemplateContext, name: string): string {
  return staticUrl(name, requestOf(this, `static('${name}')`));
}

function staticTag(context: TemplateContext, name: unknown): string {
  if (typeof name !== 'string') throw new Error(`static: the file name must be a string, got ${typeof name}.`);
  return staticUrl(name, requestOf(context, `{% static '${name}' %}`));
}

/**
 * Django's `CsrfTokenNode`: the hidden input with the render's token, which is what creates the
 * CSRF secret (and so the cookie). Without a request in the context (a template rendered outside
 * `render()`) it prints nothing, as Django's tag does without `csrf_token` in the context.
 */
function csrfTokenTag(context: TemplateContext, nunjucks: typeof nunjucksModule): nunjucksModule.runtime.SafeString | string {
  const token = context.ctx.csrf_token;
  if (token === undefined || token === null) return '';
  return new nunjucks.runtime.SafeString(csrfInputHtml(String(token)));
}

type TagRun = (context: TemplateContext, ...args: unknown[]) => unknown;

/**
 * A tag with Django's argument syntax and no body: `{% tag 'a' b.c key=value %}`, arguments
 * separated by spaces (or commas), each `key=value` a keyword argument.
 */
class SimpleTag {
  readonly tags: string[];

  constructor(
    tag: string,
    readonly run: TagRun,
  ) {
    this.tags = [tag];
  }

  parse(parser: NunjucksParser, nodes: NunjucksNodes): unknown {
    const start = parser.nextToken();
    const args = new nodes.NodeList(start.lineno, start.colno);
    const keywords = new nodes.KeywordArgs(start.lineno, start.colno);
    // The lexer's token types, read from the token that ends the tag rather than imported.
    while (parser.peekToken().type !== 'block-end') {
      parser.skip('comma');
      const value = parser.parseExpression();
      if (parser.skipValue('operator', '=')) {
        keywords.addChild(new nodes.Pair(value.lineno, value.colno, value, parser.parseExpression()));
      } else {
        if (keywords.children.length > 0) parser.fail(`${start.value}: a positional argument after a keyword argument`, value.lineno, value.colno);
        args.addChild(value);
      }
    }
    if (keywords.children.length > 0) args.addChild(keywords);
    parser.advanceAfterBlockEnd(start.value);
    return new nodes.CallExtension(this, 'run', args, []);
  }
}

/** The parts of Nunjucks' parser and nodes a tag uses (its typings do not describe them). */
interface NunjucksNode {
  lineno: number;
  colno: number;
  children: NunjucksNode[];
  addChild(node: NunjucksNode): void;
}
interface NunjucksParser {
  nextToken(): { value: string; lineno: number; colno: number };
  peekToken(): { type: string };
  skip(type: string): boolean;
  skipValue(type: string, value: string): boolean;
  parseExpression(): NunjucksNode;
  advanceAfterBlockEnd(name: string): void;
  fail(message: string, lineno?: number, colno?: number): never;
}
type NodeClass = new (lineno: number, colno: number, ...rest: unknown[]) => NunjucksNode;
interface NunjucksNodes {
  NodeList: NodeClass;
  KeywordArgs: NodeClass;
  Pair: NodeClass;
  CallExtension: new (ext: unknown, method: string, args: NunjucksNode, contentArgs: unknown[]) => unknown;
}
