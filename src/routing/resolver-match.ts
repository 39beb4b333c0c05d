/**
 * What the router knows about the route that matched (Django's ResolverMatch), available to
 * middleware as `request.resolverMatch` before the handler runs.
 */
export interface RouteInfo {
  /** The route's `name` option, for `reverse()`; null when unnamed. */
  readonly routeName: string | null;
  /** The full pattern, prefix included, e.g. `/polls/<int:id>/`. */
  readonly route: string;
  /** The controller class's name and the handler's method name. */
  readonly controllerName: string;
  readonly methodName: string;
  /** Set by `@CsrfExempt()`. */
  readonly csrfExempt: boolean;
  /** The route's controller is an API one (`@Controller(prefix, { api: true })`): its errors answer JSON. */
  readonly api?: boolean;
}

export interface ResolverMatch extends RouteInfo {
  /** The converted path parameters by name. */
  readonly params: Record<string, unknown>;
  /** Django's names for the same two: `url_name` and `kwargs`. */
  readonly urlName: string | null;
  readonly kwargs: Record<string, unknown>;
}
