/**
 * The exception catalogue (Django's django.core.exceptions, django.http and django.urls errors).
 * Every exception a user may catch or throw lives here; src/core/exception-to-response.ts turns
 * them into responses in one place.
 */

/** Base of every Reinhardt exception; `name` is the class name so logs and `instanceof` agree. */
export class ReinhardtError extends Error {
  constructor(message = '') {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Raised by a view for "not found"; becomes the `handler404` view.
 * @example throw new Http404(`No poll ${id}`);
 */
export class Http404 extends ReinhardtError {}

/** The user may not do this; becomes the `handler403` view. */
export class PermissionDenied extends ReinhardtError {}

/** The request is malformed; becomes the `handler400` view. */
export class BadRequest extends ReinhardtError {}

/** The user did something suspicious; becomes the `handler400` view (Django logs it under django.security). */
export class SuspiciousOperation extends ReinhardtError {
  /** HTTP status the default 400 view answers with (413 for the too-big kinds). */
  get statusCode(): number {
    return 400;
  }
}

/** `Host` header not in `allowedHosts`, or malformed. */
export class DisallowedHost extends SuspiciousOperation {}
/** Redirect to an unsafe scheme, or a URL longer than the maximum. */
export class DisallowedRedirect extends SuspiciousOperation {}
/** Body (outside files) over `dataUploadMaxMemorySize`, or whole request over `maxUploadSize`: 413. */
export class RequestDataTooBig extends SuspiciousOperation {
  override get statusCode(): number {
    return 413;
  }
}
/** More fields than `dataUploadMaxNumberFields` (GET and POST together). */
export class TooManyFieldsSent extends SuspiciousOperation {}
/** More files than `dataUploadMaxNumberFiles`. */
export class TooManyFilesSent extends SuspiciousOperation {}
/** A multipart body that cannot be parsed. */
export class MultiPartParserError extends SuspiciousOperation {}
/** A file name or path that tries to leave where it belongs. */
export class SuspiciousFileOperation extends SuspiciousOperation {}

/** A header name or value with CR/LF (header injection), or a non-ASCII header name. */
export class BadHeaderError extends ReinhardtError {}

/** `reverse()` could not build a URL: unknown name, or params missing or refused by a converter. */
export class NoReverseMatch extends ReinhardtError {}

/** Python's KeyError, for code that wants to catch any missing-key error. */
export class KeyError extends ReinhardtError {
  constructor(readonly key: string, message?: string) {
    super(message ?? `'${key}'`);
  }
}

/** `MultiValueDict.getItem` / `pop` on a missing key. */
export class MultiValueDictKeyError extends KeyError {}

/** A mutating call on an immutable QueryDict. */
export class ImmutableQueryDictError extends ReinhardtError {
  constructor(message = 'This QueryDict instance is immutable') {
    super(message);
  }
}

/**
 * Input did not validate. `errors` maps a dotted field path (`address.city`, `items.0.name`) to
 * its messages; the 400 view answers `{"errors": {...}}` (status 422 with
 * `validationErrorStatus: 422`).
 */
export class ValidationError extends ReinhardtError {
  constructor(
    readonly errors: Record<string, string[]>,
    message = 'Validation failed',
    /** Overrides the `validationErrorStatus` setting for this error when set (e.g. `validateDto(..., { status: 422 })`). */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A signed value whose signature does not match (tampered, other key, other salt). */
export class BadSignature extends ReinhardtError {}
/** A signed value older than the `maxAge` asked for. */
export class SignatureExpired extends BadSignature {}

/** The application is misconfigured (bad or missing setting, bad route declaration). */
export class ImproperlyConfigured extends ReinhardtError {}

/** `request.body` read after the body was consumed as a stream (Django's RawPostDataException). */
export class RawPostDataException extends ReinhardtError {}

/**
 * The body could not be read to its end: the client went away, the stream failed or it ended
 * short of its Content-Length (Django's UnreadablePostError, an OSError there). Answered 400.
 * @example
 * try { await request.read(); } catch (error) { if (error instanceof UnreadablePostError) return null; throw error; }
 */
export class UnreadablePostError extends BadRequest {}

/** A backing service (for example the session store) is unreachable; answered with 503. */
export class ServiceUnavailable extends ReinhardtError {}

/**
 * The session was deleted (a logout in a concurrent request, for example) before this request
 * could save it; answered with 400 (Django's SessionInterrupted).
 */
export class SessionInterrupted extends BadRequest {}
