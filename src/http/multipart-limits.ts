/**
 * Django's upload limits for a multipart body (SPEC §6; django/http/multipartparser.py and
 * django/http/request.py): DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_NUMBER_FILES and
 * DATA_UPLOAD_MAX_MEMORY_SIZE, plus our `maxUploadSize` on the whole body. The counts busboy can
 * keep itself are handed to it as its `limits`; the byte counts are kept here as the body flows.
 */
import type { Limits } from 'busboy';
import type { Settings } from '../core/settings';
import { RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent } from './errors';

/** Django's messages, with our setting names. */
export const TOO_MANY_FIELDS = 'The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.';
export const TOO_MANY_FILES = 'The number of files exceeded settings.dataUploadMaxNumberFiles.';
export const FIELDS_TOO_BIG = 'Request body exceeded settings.dataUploadMaxMemorySize.';
export const BODY_TOO_BIG = 'Request body exceeded settings.maxUploadSize.';

/**
 * The limits of one multipart body, and the bytes counted against them so far.
 *
 * @example
 * const limits = new UploadLimits(settings, request.GET.size);
 * busboy({ headers, limits: limits.forBusboy() });
 * limits.countBody(chunk.length); // RequestDataTooBig once over maxUploadSize
 */
export class UploadLimits {
  private readonly settings: Readonly<Settings>;
  private readonly fieldsLeft: number;
  private bodyBytes: number;
  private fieldBytes: number;

  /** @throws TooManyFieldsSent when the query string alone already used up the field count. */
  constructor(settings: Readonly<Settings>, fieldsAlreadyCounted: number) {
    this.settings = settings;
    const maxFields = settings.dataUploadMaxNumberFields;
    this.fieldsLeft = maxFields === null ? Infinity : maxFields - fieldsAlreadyCounted;
    if (this.fieldsLeft < 0) throw new TooManyFieldsSent(TOO_MANY_FIELDS);
    this.bodyBytes = 0;
    this.fieldBytes = 0;
  }

  /** busboy's own counters, set so that it stops one part past each of Django's limits. */
  forBusboy(): Limits {
    const filesLeft = this.settings.dataUploadMaxNumberFiles ?? Infinity;
    const maxMemory = this.settings.dataUploadMaxMemorySize;
    return {
      // One byte over the memory limit marks a field that is too big on its own.
      fieldSize: maxMemory === null ? Infinity : maxMemory + 1,
      fields: this.fieldsLeft,
      files: filesLeft,
      // Parts that are neither field nor file (Django's RAW items) count as fields, with Django's
      // slack of two (`DATA_UPLOAD_MAX_NUMBER_FIELDS + 2`, for the empty items around the last
      // boundary), plus busboy's count of the closing boundary.
      parts: this.fieldsLeft + filesLeft + 3,
      fileSize: Infinity,
    };
  }

  /** Count `bytes` more of the request body; the error when that is over `maxUploadSize`. */
  countBody(bytes: number): RequestDataTooBig | null {
    this.bodyBytes += bytes;
    const max = this.settings.maxUploadSize;
    return max !== null && this.bodyBytes > max ? new RequestDataTooBig(BODY_TOO_BIG) : null;
  }

  /**
   * Count a field of `valueBytes` (as sent, before any base64 decoding) named `name`, as Django
   * does: plus 2, as the urlencoded check counts '&' and '='. The error when over
   * `dataUploadMaxMemorySize`.
   */
  countField(name: string, valueBytes: number): RequestDataTooBig | null {
    this.fieldBytes += valueBytes + name.length + 2;
    const max = this.settings.dataUploadMaxMemorySize;
    return max !== null && this.fieldBytes > max ? new RequestDataTooBig(FIELDS_TOO_BIG) : null;
  }

  /** The error for a field busboy cut at `forBusboy().fieldSize`: too big on its own. */
  fieldTooBig(): RequestDataTooBig {
    return new RequestDataTooBig(FIELDS_TOO_BIG);
  }

  /** busboy's `fieldsLimit` and `partsLimit` events. */
  tooManyFields(): TooManyFieldsSent {
    return new TooManyFieldsSent(TOO_MANY_FIELDS);
  }

  /** busboy's `filesLimit` event. */
  tooManyFiles(): TooManyFilesSent {
    return new TooManyFilesSent(TOO_MANY_FILES);
  }
}
