/**
 * The one error module: every failure a client can see is an ApiError with a machine code; the code
 * decides the HTTP status, and the envelope `{error, code, details?}` is built in one place.
 */
import type { Lang, MessageKey } from "./i18n";
import { t } from "./i18n";

export const statusByCode = {
  validation_error: 400,
  invalid_json: 400,
  unauthorized: 401,
  token_expired: 401,
  forbidden: 403,
  not_verified: 403,
  account_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** A plain GET reached the WebSocket endpoint. */
  upgrade_required: 426,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A Range request outside the object (answered with a Content-Range of the whole size). */
  range_not_satisfiable: 416,
  /** A well-formed request for a payment method that has no configured gateway (yet). */
  payment_method_unavailable: 422,
  /** The payment gateway refused the request (create or refund) for a reason of its own. */
  payment_declined: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof statusByCode;
export type ErrorDetails = Record<string, string[]>;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** A message key for a more specific human message than the code's default. */
    readonly messageKey: MessageKey = code as MessageKey,
    readonly details?: ErrorDetails,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(code);
    this.name = "ApiError";
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export const notFound = () => new ApiError("not_found");
export const forbidden = () => new ApiError("forbidden");
export const validationError = (details: ErrorDetails, messageKey: MessageKey = "validation_error") =>
  new ApiError("validation_error", messageKey, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError("rate_limited", "rate_limited", undefined, { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) });

export interface ErrorBody {
  error: string;
  code: string;
  details?: ErrorDetails;
}

export function errorBody(err: ApiError, lang: Lang): ErrorBody {
  const body: ErrorBody = { error: t(err.messageKey, lang), code: err.code };
  if (err.details) body.details = err.details;
  return body;
}
