/**
 * Django's deployment checklist (`manage.py check --deploy`), for the settings Reinhardt has:
 * django/core/checks/security/base.py, sessions.py and csrf.py, with the same ids and Django's
 * wording in our setting names. Registered with `deploy: true`: they never run when an app starts,
 * only with `reinhardt check --deploy`.
 */
import { CsrfMiddleware } from '../middleware/csrf';
import { SecurityMiddleware } from '../middleware/security';
import { SessionMiddleware } from '../sessions/session-middleware';
import { SessionStore } from '../sessions/session-store';
import { MemorySessionStore } from '../sessions/memory-session-store';
import { checkError, checkWarning, type CheckMessage } from './check-message';
import { registerCheck, type CheckTarget } from './check-registry';

/** Django's SECRET_KEY_MIN_LENGTH and SECRET_KEY_MIN_UNIQUE_CHARACTERS. */
const SECRET_KEY_MIN_LENGTH = 50;
const SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5;
/** What `reinhardt startproject` puts in `.env.example` (Django's 'django-insecure-'). */
export const SECRET_KEY_INSECURE_PREFIX = 'reinhardt-insecure-';

/** The Referrer-Policy values browsers know (Django's REFERRER_POLICY_VALUES, W3C Referrer Policy §3). */
const REFERRER_POLICY_VALUES = new Set([
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
]);
/** Django's CROSS_ORIGIN_OPENER_POLICY_VALUES. */
const CROSS_ORIGIN_OPENER_POLICY_VALUES = new Set(['same-origin', 'same-origin-allow-popups', 'unsafe-none']);

function uses(target: CheckTarget, middleware: Function): boolean {
  return target.middleware.includes(middleware as never);
}

/** Django's `_check_secret_key`: long, varied, and not a generated placeholder. */
export function isWeakSecretKey(key: unknown): boolean {
  return (
    typeof key !== 'string' ||
    key.length < SECRET_KEY_MIN_LENGTH ||
    new Set(key).size < SECRET_KEY_MIN_UNIQUE_CHARACTERS ||
    key.startsWith(SECRET_KEY_INSECURE_PREFIX)
  );
}

/** security.W001, W004–W008, W021, W022, E023, E024: the headers and redirect of SecurityMiddleware. */
export function checkSecurityMiddleware(target: CheckTarget): CheckMessage[] {
  const s = target.settings;
  if (!uses(target, SecurityMiddleware)) {
    return [
      checkWarning(
        'security.W001',
        'You do not have SecurityMiddleware in your middleware so the secureHstsSeconds, secureContentTypeNosniff, secureReferrerPolicy, secureCrossOriginOpenerPolicy, and secureSslRedirect settings will have no effect.',
      ),
    ];
  }
  const found: CheckMessage[] = [];
  if (!s.secureHstsSeconds) {
    found.push(
      checkWarning(
        'security.W004',
        'You have not set a value for the secureHstsSeconds setting. If your entire site is served only over SSL, you may want to consider setting a value and enabling HTTP Strict Transport Security. Be sure to read the documentation first; enabling HSTS carelessly can cause serious, irreversible problems.',
      ),
    );
  } else {
    if (s.secureHstsIncludeSubdomains !== true) {
      found.push(
        checkWarning(
          'security.W005',
          'You have not set the secureHstsIncludeSubdomains setting to true. Without this, your site is potentially vulnerable to attack via an insecure connection to a subdomain. Only set this to true if you are certain that all subdomains of your domain should be served exclusively via SSL.',
        ),
      );
    }
    if (s.secureHstsPreload !== true) {
      found.push(
        checkWarning(
          'security.W021',
          'You have not set the secureHstsPreload setting to true. Without this, your site cannot be submitted to the browser preload list.',
        ),
      );
    }
  }
  if (s.secureContentTypeNosniff !== true) {
    found.push(
      checkWarning(
        'security.W006',
        "Your secureContentTypeNosniff setting is not set to true, so your pages will not be served with an 'X-Content-Type-Options: nosniff' header. You should consider enabling this header to prevent the browser from identifying content types incorrectly.",
      ),
    );
  }
  if (s.secureSslRedirect !== true) {
    found.push(
      checkWarning(
        'security.W008',
        'Your secureSslRedirect setting is not set to true. Unless your site should be available over both SSL and non-SSL connections, you may want to either set this setting true or configure a load balancer or reverse-proxy server to redirect all connections to HTTPS.',
      ),
    );
  }
  if (s.xFrameOptions === null || String(s.xFrameOptions).toUpperCase() !== 'DENY') {
    found.push(
      checkWarning(
        'security.W019',
        "Your xFrameOptions setting is not 'DENY'. Unless there is a good reason for your site to serve other parts of itself in a frame, you should change it to 'DENY'.",
      ),
    );
  }
  if (s.secureReferrerPolicy === null || s.secureReferrerPolicy === '') {
    found.push(
      checkWarning(
        'security.W022',
        'You have not set the secureReferrerPolicy setting. Without this, your site will not send a Referrer-Policy header. You should consider enabling this header to protect user privacy.',
      ),
    );
  } else if (typeof s.secureReferrerPolicy === 'string' && !s.secureReferrerPolicy.split(',').every((v) => REFERRER_POLICY_VALUES.has(v.trim()))) {
    found.push(
      checkError(
        'security.E023',
        'You have set the secureReferrerPolicy setting to an invalid value.',
        `Valid values are: ${[...REFERRER_POLICY_VALUES].sort().join(', ')}.`,
      ),
    );
  }
  if (s.secureCrossOriginOpenerPolicy !== null && !CROSS_ORIGIN_OPENER_POLICY_VALUES.has(s.secureCrossOriginOpenerPolicy)) {
    found.push(
      checkError(
        'security.E024',
        'You have set the secureCrossOriginOpenerPolicy setting to an invalid value.',
        `Valid values are: ${[...CROSS_ORIGIN_OPENER_POLICY_VALUES].sort().join(', ')}.`,
      ),
    );
  }
  return found;
}

/** security.W009, W018, W020: the secret key, debug and the allowed hosts. */
export function checkCoreSettings(target: CheckTarget): CheckMessage[] {
  const s = target.settings;
  const found: CheckMessage[] = [];
  if (isWeakSecretKey(s.secretKey)) {
    found.push(
      checkWarning(
        'security.W009',
        `Your secretKey has less than ${SECRET_KEY_MIN_LENGTH} characters, less than ${SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it's prefixed with '${SECRET_KEY_INSECURE_PREFIX}' indicating that it was generated automatically by Reinhardt. Please generate a long and random value, otherwise many of Reinhardt's security-critical features will be vulnerable to attack.`,
        `Generate one with: node -e "console.log(require('node:crypto').randomBytes(50).toString('base64url'))"`,
      ),
    );
  }
  if (s.debug) {
    found.push(checkWarning('security.W018', 'You should not have debug set to true in deployment.'));
  }
  if (s.allowedHosts.length === 0) {
    found.push(checkWarning('security.W020', 'allowedHosts must not be empty in deployment.', 'List the host names the site serves, e.g. ALLOWED_HOSTS=example.com,www.example.com.'));
  }
  return found;
}

/** security.W012, W015: the session cookie (Django's sessions.py; W012 is its wording without INSTALLED_APPS). */
export function checkSessionCookie(target: CheckTarget): CheckMessage[] {
  if (!uses(target, SessionMiddleware)) return [];
  const s = target.settings;
  const found: CheckMessage[] = [];
  if (s.sessionCookieSecure !== true) {
    found.push(
      checkWarning(
        'security.W012',
        'sessionCookieSecure is not set to true. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.',
      ),
    );
  }
  if (s.sessionCookieHttpOnly !== true) {
    found.push(
      checkWarning(
        'security.W015',
        'sessionCookieHttpOnly is not set to true. Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.',
      ),
    );
  }
  return found;
}

/**
 * reinhardt.W001: sessions in process memory are lost on restart, and each worker of a cluster or
 * each replica has its own, so a user logged in on one is a stranger to the next.
 */
export function checkSessionStore(target: CheckTarget): CheckMessage[] {
  if (!uses(target, SessionMiddleware) || !target.container.isRegistered(SessionStore, true)) return [];
  if (!(target.container.resolve(SessionStore) instanceof MemorySessionStore)) return [];
  return [
    checkWarning(
      'reinhardt.W001',
      'Sessions are kept in the memory of one process (MemorySessionStore): they are lost on restart and not shared between several workers.',
      'Register RedisSessionStore (or SignedCookieSessionStore, or a store of your own) as the SessionStore.',
    ),
  ];
}

/** security.W003, W016: the CSRF middleware and its cookie (Django's csrf.py). */
export function checkCsrf(target: CheckTarget): CheckMessage[] {
  if (!uses(target, CsrfMiddleware)) {
    return [
      checkWarning(
        'security.W003',
        "You don't appear to be using Reinhardt's built-in cross-site request forgery protection via the middleware (CsrfMiddleware is not in your middleware). Enabling the middleware is the safest approach to ensure you don't leave any holes.",
      ),
    ];
  }
  return target.settings.csrfCookieSecure === true
    ? []
    : [
        checkWarning(
          'security.W016',
          'You have CsrfMiddleware in your middleware, but you have not set csrfCookieSecure to true. Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token.',
        ),
      ];
}

for (const check of [checkSecurityMiddleware, checkCoreSettings, checkSessionCookie, checkSessionStore, checkCsrf]) {
  registerCheck(check, { deploy: true });
}
