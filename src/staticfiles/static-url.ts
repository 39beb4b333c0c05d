/**
 * `staticUrl('css/site.css', request)`, Django's `static()`: the URL of a static file (Django's django/templatetags/static.py,
 * through ManifestStaticFilesStorage.url): the hashed name from `collectstatic`'s manifest, so
 * the URL changes whenever the file does and can be cached for a year. Not named `static`:
 * that is a reserved word in strict-mode code, so no module could import it by that name.
 * Templates call it as `{{ static('css/site.css') }}` (the Nunjucks global).
 */
import type { Settings } from '../core/settings';
import { staticStorage } from './static-storage';

/** What carries the settings: the settings themselves, an app, or a request. */
export type SettingsSource = Readonly<Settings> | { readonly settings: Readonly<Settings> };

/**
 * The URL of the static file `name` (a `/`-separated path under the static folders), percent-
 * encoded as Django's `filepath_to_uri`:
 * - with `debug`, or with no manifest in `staticRoot` (collectstatic has not run):
 *   `staticUrl + name`;
 * - otherwise the manifest's hashed name, `staticUrl + 'css/site.55e7cbb9ba48.css'`; a name the
 *   manifest lacks throws (Django's `manifest_strict`), so a typo fails loudly instead of
 *   answering 404 in production.
 * @example
 * staticUrl('css/site.css', request)      // '/static/css/site.55e7cbb9ba48.css'
 * staticUrl('img/logo.png', app.settings) // '/static/img/logo.png' with debug on
 */
export function staticUrl(name: string, from: SettingsSource): string {
  const settings = 'settings' in from ? from.settings : from;
  const clean = name.replace(/^\/+/, '');
  let stored = clean;
  if (!settings.debug) {
    const manifest = staticStorage(settings).manifest;
    if (manifest !== null) {
      const hashed = manifest.get(clean);
      if (hashed === undefined) throw new Error(`Missing staticfiles manifest entry for '${clean}'`);
      stored = hashed;
    }
  }
  return settings.staticUrl + stored.split('/').map(encodeURIComponent).join('/');
}
