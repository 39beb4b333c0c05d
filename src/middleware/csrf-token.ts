/**
 * The CSRF secret of a request and the masked tokens made from it (Django's django/middleware/csrf.py
 * `get_token`, `rotate_token` and the mask helpers). Apart from `CsrfMiddleware` so that the
 * template layer (`{% csrf_token %}`) can make a token without importing the middleware, whose
 * failure view renders templates.
 */
import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '../http/http-request';
import { getRandomString, RANDOM_STRING_CHARS } from '../auth/random-string';

// Django's reasons (django/middleware/csrf.py), word for word: clients and tests match on them.
export const REASON_NO_CSRF_COOKIE = 'CSRF cookie not set.';
export const REASON_CSRF_TOKEN_MISSING = 'CSRF token missing.';
const REASON_INCORRECT_LENGTH = 'has incorrect length';
const REASON_INVALID_CHARACTERS = 'has invalid characters';

const CSRF_SECRET_LENGTH = 32;
const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;
/** Python's `string.ascii_letters + string.digits`, the order the mask arithmetic depends on. */
const CSRF_ALLOWED_CHARS = RANDOM_STRING_CHARS;
const INVALID_TOKEN_CHARS = /[^a-zA-Z0-9]/;

/** Django keeps these in `request.META` (CSRF_COOKIE, CSRF_COOKIE_NEEDS_UPDATE); here, beside the request. */
export interface CsrfState {
  secret: string;
  needsUpdate: boolean;
}
export const states = new WeakMap<HttpRequest, CsrfState>();

export class InvalidTokenFormat extends Error {}

/** Django's `_mask_cipher_secret`: a fresh 32-character mask, then the secret shifted by it. */
export function maskCipherSecret(secret: string): string {
  const mask = getRandomString(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS);
  const n = CSRF_ALLOWED_CHARS.length;
  let cipher = '';
  for (let i = 0; i < secret.length; i++) {
    cipher += CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.indexOf(secret[i]!) + CSRF_ALLOWED_CHARS.indexOf(mask[i]!)) % n];
  }
  return mask + cipher;
}

/** Django's `_unmask_cipher_token`: the secret a 64-character masked token carries. */
export function unmaskCipherToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  const n = CSRF_ALLOWED_CHARS.length;
  let secret = '';
  for (let i = 0; i < cipher.length; i++) {
    secret += CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.indexOf(cipher[i]!) - CSRF_ALLOWED_CHARS.indexOf(mask[i]!) + n) % n];
  }
  return secret;
}

/** Django's `_check_token_format`: 32 (a bare secret) or 64 (masked) letters and digits. */
export function checkTokenFormat(token: string): void {
  if (token.length !== CSRF_TOKEN_LENGTH && token.length !== CSRF_SECRET_LENGTH) throw new InvalidTokenFormat(REASON_INCORRECT_LENGTH);
  if (INVALID_TOKEN_CHARS.test(token)) throw new InvalidTokenFormat(REASON_INVALID_CHARACTERS);
}

/** Django's `_does_token_match`, compared in constant time. */
export function doesTokenMatch(token: string, secret: string): boolean {
  const candidate = token.length === CSRF_TOKEN_LENGTH ? unmaskCipherToken(token) : token;
  return candidate.length === secret.length && timingSafeEqual(Buffer.from(candidate), Buffer.from(secret));
}

/** Django's `_add_new_csrf_cookie`: a new secret, to be sent in the cookie. */
export function addNewCsrfCookie(request: HttpRequest): string {
  const secret = getRandomString(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS);
  states.set(request, { secret, needsUpdate: true });
  return secret;
}

/** The secret from the csrftoken cookie (Django's `_get_secret`); throws InvalidTokenFormat. */
export function getSecret(request: HttpRequest): string | null {
  const cookie = request.COOKIES[request.settings.csrfCookieName];
  if (cookie === undefined) return null;
  checkTokenFormat(cookie);
  // Before Django 4.1 the cookie held a masked token; accept it and unmask it.
  return cookie.length === CSRF_TOKEN_LENGTH ? unmaskCipherToken(cookie) : cookie;
}

/**
 * The CSRF token to put in a form (`<input type="hidden" name="csrfmiddlewaretoken">`) or an
 * `X-CSRFToken` header: the request's secret, masked afresh each call so the page never shows
 * the same bytes twice (BREACH). Creates a secret if there is none; either way the response sets
 * the csrftoken cookie (Django's `get_token`).
 * @example return render(request, 'form.html', { csrfToken: csrfToken(request) });
 */
export function csrfToken(request: HttpRequest): string {
  const state = states.get(request);
  let secret: string;
  if (state !== undefined) {
    secret = state.secret;
    // Sent again even if the client has it, to renew its expiry (Django's comment).
    state.needsUpdate = true;
  } else {
    secret = addNewCsrfCookie(request);
  }
  return maskCipherSecret(secret);
}

/** Replaces the CSRF secret, as `login()` does, so a token seen before login is worthless after (Django's `rotate_token`). */
export function rotateToken(request: HttpRequest): void {
  addNewCsrfCookie(request);
}
