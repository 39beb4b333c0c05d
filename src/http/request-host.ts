/**
 * `request.getHost()`'s check (django/http/request.py, `HttpRequest.get_host`): the Host header
 * (or X-Forwarded-Host, or the PEP 333 reconstruction) against `allowedHosts`, with Django's
 * messages. The rules themselves are in host.ts; this keeps the per-settings memo of the values
 * that passed, so a request with a Host seen before pays one Set lookup.
 */
import type { Settings } from '../core/settings';
import { DisallowedHost } from './errors';
import { DEBUG_ALLOWED_HOSTS, pyRepr, splitDomainPort, validateHost } from './host';

/** Host header values that passed validation, per settings object. */
const knownHosts = new WeakMap<Readonly<Settings>, Set<string>>();
const KNOWN_HOSTS_MAX = 64;

/**
 * `host` when it is well formed and allowed by `settings.allowedHosts` (with `debug` and an empty
 * list: the localhost names), or `testserver` on a request from the test Client.
 * @throws DisallowedHost (400) naming the host and, when it looks valid, what to add.
 * @example validatedHost('example.com:8000', settings, false) // 'example.com:8000'
 */
export function validatedHost(host: string, settings: Readonly<Settings>, fromTestClient: boolean): string {
  let known = knownHosts.get(settings);
  if (known !== undefined && known.has(host)) return host;
  const allowed = settings.debug && settings.allowedHosts.length === 0 ? DEBUG_ALLOWED_HOSTS : settings.allowedHosts;
  const [domain] = splitDomainPort(host);
  if (domain && validateHost(domain, allowed)) {
    // Clients send the same few Host values; remember those that passed (bounded, so a flood
    // of distinct valid names under a wildcard cannot grow it without limit).
    if (known === undefined) knownHosts.set(settings, (known = new Set()));
    if (known.size < KNOWN_HOSTS_MAX) known.add(host);
    return host;
  }
  if (domain === 'testserver' && fromTestClient) return host;
  let message = `Invalid HTTP_HOST header: ${pyRepr(host)}.`;
  if (domain) message += ` You may need to add ${pyRepr(domain)} to allowedHosts.`;
  else message += ' The domain name provided is not valid according to RFC 1034/1035.';
  throw new DisallowedHost(message);
}
