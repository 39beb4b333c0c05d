/**
 * Reinhardt's public names, listed on purpose (Django's django/http/__init__.py, Hono's index):
 * what is not here is internal.
 */
import 'reflect-metadata';

// -- Decorators --
export { Controller, type ControllerOptions } from '../decorators/controller';
export { Route, Get, Post, Put, Patch, Delete, Head, Options, type RouteOptions } from '../decorators/route';
export { Param, Body, Query } from '../decorators/params';
import { User as UserDecorator, Session as SessionDecorator } from '../decorators/params';
import type { Session as SessionObject } from './sessions/session';
import type { RequestUser } from './auth/request-user';
/** `@Session()` puts `request.session` in a handler argument; as a type, it is the session object. */
export const Session = SessionDecorator;
export type Session = SessionObject;
/** `@User()` puts `request.user` in a handler argument; as a type, it is what `request.user` holds. */
export const User = UserDecorator;
export type User = RequestUser;
export { LoginRequired, PermissionRequired, CsrfExempt } from '../decorators/guards';
export { UseGuards, UseMiddleware, type ClassOrMethodDecorator } from '../decorators/use';
export { CspOverride, CspReportOnlyOverride, CspExempt } from '../decorators/csp';
export { Cors, CorsExempt } from '../decorators/cors';
export { GzipPage } from '../decorators/gzip';
export { Condition, ETag, LastModified, type ConditionOptions } from '../decorators/conditional';
export { CacheControl, NeverCache, VaryOnHeaders, VaryOnCookie, type ResponsePatchDecorator } from '../decorators/cache';
export type { EtagFunction, LastModifiedFunction } from './core/view-conditions';

// -- Application --
export { createApp, Application, DEFAULT_MIDDLEWARE, type AppOptions } from './core/application';
export { resolveSettings, DEFAULT_SETTINGS, type Settings } from './core/settings';
export type { Middleware, MiddlewareClass, MiddlewareFunction, NextHandler } from './core/middleware';
export type { ErrorView } from './core/error-views';
export type { RouteGuard, RouteGuardClass, Guard } from './core/route-guards';
export { render, templateEnvironment } from './core/templates';
export type { TemplateConfigurator } from './templates/template-settings';
export { defaultCsrfFailureView, type CsrfFailureView } from './templates/csrf-failure-view';
export { TemplateDoesNotExist, type TemplateAttempt } from './templates/template-does-not-exist';
export { serve } from './core/serve';
export { escapeLogText } from './core/log-text';
export { LOGGER, type Logger, type LogFields, type LogMethod } from './logging/logger';
export { LineLogger, defaultLogger, type LineLoggerOptions, type LogDestination } from './logging/default-logger';
export type { LogLevel } from './logging/log-levels';
export { generateRequestId, isValidRequestId } from './logging/request-id';
export { currentRequest } from './di/current-request';

// -- Settings from the environment --
export { env, EnvReader, loadDotEnv, type EnvSource } from './env/env-reader';
export { settingsFromEnv, envVarName, type SettingsFromEnvOptions } from './env/settings-from-env';

// -- System checks --
export { CheckMessage, CheckLevel, checkError, checkWarning } from './checks/check-message';
export { registerCheck, type SystemCheck, type CheckTarget, type CheckOptions } from './checks/check-registry';
export { formatCheckReport, SystemCheckError } from './checks/check-report';
export { runChecks } from './checks/system-checks';

// -- Command line --
export { callCommand, type CallCommandOptions } from './cli/call-command';

// -- Routing --
export { reverse, type RouteNames } from './routing/reverse';
export { registerConverter, type PathConverter } from './routing/converters';
export { Router } from './routing/router';
export type { ResolverMatch, RouteInfo } from './routing/resolver-match';
export { isApiRequest } from './http/content-negotiation';

// -- Request --
export { HttpRequest } from './http/http-request';
export { HttpHeaders } from './http/request-headers';
export { MultiValueDict } from './http/multi-value-dict';
export { QueryDict } from './http/query-dict';
export { UploadedFile, InMemoryUploadedFile, TemporaryUploadedFile } from './http/uploaded-file';

// -- Responses --
export { HttpResponse, type HttpResponseInit } from './http/http-response';
export { ResponseHeaders } from './http/response-headers';
export type { CookieOptions, DeleteCookieOptions, ResponseCookie } from './http/response-cookies';
export * from './http/response-subclasses';
export { JsonResponse, type JsonResponseInit } from './http/json-response';
export { StreamingHttpResponse } from './http/streaming-http-response';
export { FileResponse } from './http/file-response';
export { urlHasAllowedHostAndScheme, type UrlHasAllowedHostAndSchemeOptions } from './http/url-has-allowed-host-and-scheme';
export { escapeLeadingSlashes } from './http/escape-leading-slashes';
export {
  patchCacheControl,
  getMaxAge,
  patchResponseHeaders,
  addNeverCacheHeaders,
  patchVaryHeaders,
  hasVaryHeader,
  setResponseEtag,
  type CacheControlOptions,
} from './http/cache-headers';

// -- Errors --
export {
  Http404,
  PermissionDenied,
  BadRequest,
  SuspiciousOperation,
  DisallowedHost,
  DisallowedRedirect,
  RequestDataTooBig,
  TooManyFieldsSent,
  TooManyFilesSent,
  MultiPartParserError,
  SuspiciousFileOperation,
  BadHeaderError,
  NoReverseMatch,
  KeyError,
  MultiValueDictKeyError,
  ImmutableQueryDictError,
  ValidationError,
  BadSignature,
  SignatureExpired,
  ImproperlyConfigured,
  RawPostDataException,
  UnreadablePostError,
  ServiceUnavailable,
} from './http/errors';

// -- Signing --
export { Signer, TimestampSigner, dumps, loads, saltedHmac, getCookieSigner } from './signing';

// -- Validation --
export { validateDto } from './validation/validate';
export {
  validateSchema,
  isStandardSchema,
  type StandardSchemaV1,
  type StandardSchemaIssue,
  type StandardSchemaResult,
  type InferSchemaOutput,
} from './validation/standard-schema';
export type { DtoClass, Validator, Validated } from './validation/validator';

// -- Sessions --
export { Session as SessionBase } from './sessions/session';
export { SessionStore, SessionDataTooLarge, SuspiciousSession, CreateError, UpdateError, decodeSessionData, type SessionData, type SaveMode } from './sessions/session-store';
export { MemorySessionStore } from './sessions/memory-session-store';
export { SignedCookieSessionStore } from './sessions/signed-cookie-session-store';

// -- Messages (django.contrib.messages) --
export * as messages from './messages/messages';
export { MessageMiddleware } from './messages/message-middleware';
export { Message } from './messages/message';
export { BaseStorage, type StoredMessages } from './messages/base-storage';
export { CookieStorage } from './messages/cookie-storage';
export { SessionStorage } from './messages/session-storage';
export { FallbackStorage } from './messages/fallback-storage';
export { MessageFailure, type AddMessageOptions } from './messages/api';
export type { MessageStorageName } from './messages/message-settings';
export { RedisSessionStore } from './sessions/redis-session-store';
export { SessionMiddleware } from './sessions/session-middleware';
export {
  requestChannel,
  middlewareChannel,
  sessionStoreChannel,
  type RequestTrace,
  type MiddlewareTrace,
  type SessionStoreTrace,
  type SessionStoreOperation,
} from './tracing/channels';

// -- Auth --
export type { RequestUser } from './auth/request-user';
export { AnonymousUser, AbstractBaseUser } from './auth/anonymous-user';
export { UserProvider } from './auth/user-provider';
export { AuthenticationBackend } from './auth/authentication-backend';
export { authenticate } from './auth/backends';
export { login, logout } from './auth/login';
export { redirectToLogin } from './auth/guards';
export { AuthenticationMiddleware } from './auth/authentication-middleware';
export { Authentication } from '../decorators/authentication';
export type { RequestAuthenticator } from './auth/authentication-backend';
export type { AuthenticatorSpec } from './auth/route-authentication';
export { TokenAuthentication, BearerAuthentication } from './auth/token-authentication';
export { SessionAuthentication } from './auth/session-authentication';
export { TokenStore, issueToken, findToken, revokeToken, type StoredToken } from './auth/token-store';
export { MemoryTokenStore } from './auth/memory-token-store';
export { NotAuthenticated, AuthenticationFailed } from './auth/not-authenticated';
export { makePassword, checkPassword, mustUpdate, isPasswordUsable } from './auth/password-hashers';

// -- Middleware --
export { CsrfMiddleware, csrfToken, rotateToken, enforceCsrf } from './middleware/csrf';
export { SecurityMiddleware } from './middleware/security';
export { ConditionalGetMiddleware } from './middleware/conditional-get';
export { ContentSecurityPolicyMiddleware } from './middleware/content-security-policy';
export { CorsMiddleware } from './middleware/cors';
export { GZipMiddleware, type GZipOptions } from './middleware/gzip';
export { selectEncoding, type ContentCoding } from './http/accept-encoding';
export { type CorsOptions } from './middleware/cors-policy';
export { CSP, buildPolicy, type CspConfig, type CspDirectiveValue } from './http/csp';

// -- Static files --
export { StaticFilesMiddleware } from './staticfiles/static-files-middleware';
export { staticUrl } from './staticfiles/static-url';
export { safeJoin } from './staticfiles/safe-join';
export { collectStatic, type CollectOptions, type CollectResult } from './staticfiles/collect';

// -- Cache --
export { Cache, CacheKeyMissing, defaultKeyFunc, type CacheOptions, type CacheTimeout, type CacheKeyFunction } from './cache/cache';
export { MemoryCache, type MemoryCacheOptions } from './cache/memory-cache';
export { RedisCache, type RedisCacheOptions } from './cache/redis-cache';
export { CacheHandler, cachesFor } from './cache/cache-handler';
export type { CacheConfig, CachesSetting } from './cache/cache-config';
export { learnCacheKey, getCacheKey } from './cache/cache-keys';
export { CachePage, type CachePageOptions } from '../decorators/cache-page';

// -- Rate limiting --
export { RateLimit } from '../decorators/rate-limit';
export { RateLimiter, type RateLimitOptions, type RateLimitKey, type RateLimitUsage } from './ratelimit/rate-limiter';
export { RateLimitMiddleware } from './ratelimit/rate-limit-middleware';
export { Ratelimited } from './ratelimit/ratelimited';
export { parseRate, type Rate } from './ratelimit/rate';
export { clientIp, networkOf } from './ratelimit/client-ip';

// -- OpenAPI --
export { Returns, ApiOperation, ApiExclude, type ApiOperationOptions, type ApiSchemaType } from '../decorators/openapi';
export { openApiController, type OpenApiControllerOptions } from './openapi/openapi-views';
export type { OpenApiDocument, OpenApiInfo, SchemaObject } from './openapi/openapi-types';
export { OpenApiResponseMismatch } from './openapi/response-check';

// -- Health checks and metrics --
export { healthController, type HealthControllerOptions } from './health/health-controller';
export { HealthCheckError, type HealthCheck, type HealthCheckResult, type HealthReport } from './health/health-check';
export { MetricsMiddleware } from './metrics/metrics-middleware';
export { metricsController, type MetricsControllerOptions } from './metrics/metrics-controller';
export { RequestMetrics } from './metrics/request-metrics';

// -- Testing --
export { Client, ClientFile, type TestResponse, type ClientOptions } from './testing/client';
export { CapturingLogger, type LogRecord } from './testing/capturing-logger';
