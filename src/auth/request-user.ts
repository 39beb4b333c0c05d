/**
 * What `request.user` is: the provider's user or an `AnonymousUser`. Any other properties of
 * the application's user class are reachable too (Django's `request.user.username`).
 */
export interface RequestUser {
  readonly isAuthenticated: boolean;
  readonly isAnonymous: boolean;
  [key: string]: any;
}
