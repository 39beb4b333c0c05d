/**
 * Cryptographic signing, Django's django.core.signing and django.utils.crypto.salted_hmac: a layer
 * below src/http and src/core (it needs only the exception classes and the app's secret keys), so
 * requests, responses, sessions and messages all sign through it.
 */
export { constantTimeCompare, saltedHmac, type SigningKey } from './salted-hmac';
export { Signer, type SignerOptions } from './signer';
export { TimestampSigner, type TimestampSignerOptions } from './timestamp-signer';
export { dumps, loads, type DumpsOptions, type LoadsOptions } from './dumps-loads';
export { getCookieSigner, signCookieValue, unsignCookieValue, type CookieSignerOptions } from './cookie-signer';
