/**
 * `{{ csrf_token }}` and `{{ csrf_input }}` in a template context, made only when printed (Django's
 * `csrf` context processor wraps `get_token` in `SimpleLazyObject`, and its Jinja2 backend's
 * `csrf_input_lazy`). Making the token is what sets the csrftoken cookie, so a page that never
 * shows a form sets none, as in Django.
 */
import type nunjucksModule from 'nunjucks';
import type { HttpRequest } from '../http/http-request';
import { csrfToken } from '../middleware/csrf-token';

/** Django's `{% csrf_token %}` output (django/template/defaulttags.py `CsrfTokenNode`). */
export function csrfInputHtml(token: string): string {
  // The token is 64 letters and digits (the mask alphabet): nothing in it needs escaping.
  return `<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`;
}

/**
 * The masked token, made on first print and then the same for the whole render (one page, one
 * token, as Django's lazy object). Nunjucks copies the context object, so a getter there would
 * run for every page; an object printed through `toString` runs only when used.
 */
export class LazyCsrfToken {
  private token: string | null = null;

  constructor(private readonly request: HttpRequest) {}

  toString(): string {
    this.token ??= csrfToken(this.request);
    return this.token;
  }
}

/**
 * `{{ csrf_input }}`: the hidden input, printed unescaped. Nunjucks skips escaping only for its
 * own `SafeString`, which is loaded with Nunjucks, so the prototype is attached to it when the
 * first environment is built ({@link LazyCsrfInput.adopt}).
 */
export class LazyCsrfInput {
  constructor(private readonly token: LazyCsrfToken) {}

  /** Makes every LazyCsrfInput an `instanceof SafeString` (once; Nunjucks is one module). */
  static adopt(safeString: typeof nunjucksModule.runtime.SafeString): void {
    if (!(LazyCsrfInput.prototype instanceof safeString)) Object.setPrototypeOf(LazyCsrfInput.prototype, safeString.prototype);
  }

  toString(): string {
    return csrfInputHtml(this.token.toString());
  }

  valueOf(): string {
    return this.toString();
  }
}
