/** Text for the framework's built-in HTML pages (error views, debug pages, the CSRF failure page). */
import type { HttpRequest } from '../http/http-request';

/** The request's path for display; never throws (an undecodable path shows as sent). */
export function safePath(request: HttpRequest): string {
  try {
    return request.path;
  } catch {
    return request.rawPath;
  }
}

/**
 * Escapes text for HTML element content and quoted attributes.
 * @example escapeHtml('<a href="x">') // '&#60;a href=&#34;x&#34;&#62;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
