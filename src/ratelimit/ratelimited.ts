import { ReinhardtError } from '../http/errors';

/**
 * Raised when a request goes over a rate limit (django-ratelimit's `Ratelimited`); the app
 * answers it with its `handler429` view, adding `Retry-After` if the view did not.
 * @example throw new Ratelimited(30); // 429, Retry-After: 30
 */
export class Ratelimited extends ReinhardtError {
  constructor(
    /** Seconds until the client may try again (at least 1). */
    readonly retryAfter: number,
    message = 'Too Many Requests',
  ) {
    super(message);
  }
}
