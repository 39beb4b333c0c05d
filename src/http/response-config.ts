/**
 * Process-wide defaults responses need but cannot read from the app, because a response is
 * built by user code that holds no settings object (Django reads `settings.DEFAULT_CHARSET` and
 * `settings.SECRET_KEY` from its global settings module the same way). The application calls
 * `configureResponses` once at start with its resolved settings. `Signer`, `dumps` and `loads`
 * read their default keys here too, as Django's signing reads SECRET_KEY and
 * SECRET_KEY_FALLBACKS.
 */
export interface ResponseConfig {
  /** Charset of responses without an explicit one (Django's DEFAULT_CHARSET). Default 'utf-8'. */
  defaultCharset: string;
  /** Key `setSignedCookie` signs with when no `secretKey` option is given. Default ''. */
  secretKey: string;
  /** Older keys a signer without an explicit key still accepts (never signs with). Default []. */
  secretKeyFallbacks: readonly string[];
}

/** The current defaults; read on each use, so `configureResponses` takes effect at once. */
export const responseConfig: ResponseConfig = {
  defaultCharset: 'utf-8',
  secretKey: '',
  secretKeyFallbacks: [],
};

/**
 * Sets the defaults every response uses. Called by the application at start.
 * @example configureResponses({ defaultCharset: settings.defaultCharset, secretKey: settings.secretKey });
 */
export function configureResponses(options: Partial<ResponseConfig>): void {
  if (options.defaultCharset !== undefined) responseConfig.defaultCharset = options.defaultCharset;
  if (options.secretKey !== undefined) responseConfig.secretKey = options.secretKey;
  if (options.secretKeyFallbacks !== undefined) responseConfig.secretKeyFallbacks = options.secretKeyFallbacks;
}
