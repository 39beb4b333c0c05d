/**
 * Messages in a signed cookie (Django's django/contrib/messages/storage/cookie.py CookieStorage).
 *
 * The cookie is `messages`, its value Django's: the JSON list of encoded messages, zlib-compressed
 * when that is shorter, base64url, and signed by the cookie signer with the salt
 * 'django.contrib.messages' (so it verifies under `secretKey` or a `secretKeyFallbacks` key, and
 * no other signed cookie or value can be passed off as messages). A value that does not verify or
 * decode is ignored and the cookie cleared, as Django does.
 *
 * A cookie value is kept to 2048 bytes (Django's `max_cookie_size`, well inside the 4096 a browser
 * keeps per RFC 6265 §6.1): messages that do not fit are dropped (the oldest by default) and the
 * list ends with the marker '__messagesnotfinished__', so a reader knows more were left elsewhere.
 */
import { inflateSync, deflateSync } from 'node:zlib';
import type { HttpResponse } from '../http/http-response';
import { BadSignature } from '../http/errors';
import { getCookieSigner, type TimestampSigner } from '../signing';
import { BaseStorage, type StoredMessages } from './base-storage';
import { encodeMessage, pythonJson, reviveMessages } from './message-encoding';
import { Message } from './message';

const NOT_FINISHED = '__messagesnotfinished__';
const NOT_FINISHED_JSON = pythonJson(NOT_FINISHED);

/**
 * Stores the messages in the `messages` cookie; the session is not needed.
 * @example createApp({ controllers, middleware: [MessageMiddleware], settings: { secretKey, messageStorage: 'CookieStorage' } });
 */
export class CookieStorage extends BaseStorage {
  static readonly cookieName = 'messages';
  /** Largest cookie value in bytes (Django's `max_cookie_size`). */
  static readonly maxCookieSize = 2048;
  /** The signer's salt: Django's `key_salt`. */
  static readonly keySalt = 'django.contrib.messages';
  static readonly notFinished = NOT_FINISHED;

  private signerCache: TimestampSigner | null = null;

  private get signer(): TimestampSigner {
    return (this.signerCache ??= getCookieSigner(this.settings.secretKey, CookieStorage.keySalt, {
      fallbackSecrets: this.settings.secretKeyFallbacks,
    }));
  }

  get(): StoredMessages {
    const data = this.request.COOKIES[CookieStorage.cookieName];
    const decoded = this.decode(data);
    if (decoded === null) return { messages: null, allRetrieved: true };
    const allRetrieved = !(decoded.length > 0 && decoded[decoded.length - 1] === NOT_FINISHED);
    if (!allRetrieved) decoded.pop();
    return { messages: decoded as Message[], allRetrieved };
  }

  store(messages: Message[], response: HttpResponse, removeOldest = true): Message[] {
    const parts = messages.map(encodeMessage);
    let unstored: Message[] = [];
    let encoded = this.encodeParts(parts);
    if (tooLarge(encoded)) {
      const withMarker = (kept: string[]) => this.encodeParts([...kept, NOT_FINISHED_JSON], true);
      if (removeOldest) {
        // The fewest oldest messages to drop so the rest (and the marker) fit.
        const from = firstFitting(parts.length, (i) => !tooLarge(withMarker(parts.slice(i))));
        unstored = messages.slice(0, from);
        encoded = withMarker(parts.slice(from));
      } else {
        // Keep the oldest: the newest go on to the next storage (FallbackStorage's session).
        const upTo = lastFitting(parts.length, (i) => !tooLarge(withMarker(parts.slice(0, i))));
        unstored = messages.slice(upTo);
        encoded = withMarker(parts.slice(0, upTo));
      }
    }
    this.updateCookie(encoded, response);
    return unstored;
  }

  /** Sets the cookie, or deletes it when there is nothing left to keep. */
  private updateCookie(encoded: string | null, response: HttpResponse): void {
    const settings = this.settings;
    if (encoded !== null) {
      // Django's cookie storage borrows the session cookie's attributes, without Max-Age.
      response.setCookie(CookieStorage.cookieName, encoded, {
        domain: settings.sessionCookieDomain,
        secure: settings.sessionCookieSecure,
        httpOnly: settings.sessionCookieHttpOnly,
        sameSite: settings.sessionCookieSameSite,
      });
    } else {
      // As Django: cleared whenever the read messages leave nothing to keep.
      response.deleteCookie(CookieStorage.cookieName, { domain: settings.sessionCookieDomain, sameSite: settings.sessionCookieSameSite });
    }
  }

  /**
   * Django's `_encode_parts`: signObject over the already-encoded messages ('.' and zlib when
   * that saves more than a byte, exactly as `sign_object(compress=True)`); null for no messages.
   */
  encodeParts(parts: readonly string[], encodeEmpty = false): string | null {
    if (parts.length === 0 && !encodeEmpty) return null;
    let data = Buffer.from(`[${parts.join(',')}]`, 'latin1');
    let prefix = '';
    const compressed = deflateSync(data);
    if (compressed.length < data.length - 1) {
      data = compressed;
      prefix = '.';
    }
    return this.signer.sign(prefix + data.toString('base64url'));
  }

  /** The messages of `messages` as a cookie value (Django's `_encode`, used by tests and tools). */
  encode(messages: readonly Message[], encodeEmpty = false): string | null {
    return this.encodeParts(messages.map(encodeMessage), encodeEmpty);
  }

  /**
   * The list signed in `data`, or null when it is absent, tampered with, or not a message list
   * (then the storage counts as used, so the bad cookie is cleared on the way out).
   */
  decode(data: string | undefined): unknown[] | null {
    if (data === undefined || data === '') return null;
    try {
      const payload = this.signer.unsign(data);
      const compressed = payload.startsWith('.');
      let bytes = Buffer.from(compressed ? payload.slice(1) : payload, 'base64url');
      if (compressed) bytes = inflateSync(bytes);
      const value = reviveMessages(JSON.parse(bytes.toString('utf8')), this.levelTags);
      if (Array.isArray(value) && value.every((m) => m instanceof Message || m === NOT_FINISHED)) return value;
    } catch (error) {
      if (!(error instanceof BadSignature || error instanceof SyntaxError || isZlibError(error))) throw error;
    }
    this.used = true;
    return null;
  }
}

/** Django compares the cookie's encoded value (SimpleCookie.value_encode) to the cap; ours is ASCII with no character that needs quoting. */
function tooLarge(encoded: string | null): boolean {
  return encoded !== null && encoded.length > CookieStorage.maxCookieSize;
}

/** Django's `bisect_keep_right`: the smallest i in [0, n] with `fits(i)` (fits is monotone). */
function firstFitting(n: number, fits: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Django's `bisect_keep_left`: the largest i in [0, n] with `fits(i)`. */
function lastFitting(n: number, fits: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}
