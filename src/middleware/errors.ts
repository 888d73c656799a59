/**
 * Turns every failure into the contract's envelope `{error, code, details?}`. The validator hook
 * covers schema errors; `handleError` covers everything thrown (ours, Hono's, Postgres', bugs).
 */
import type { Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { AppEnv } from "../app-env";
import { ConfigError } from "../env";
import { describeDbError } from "../db/errors";
import { ApiError, errorBody, type ErrorCode, type ErrorDetails } from "../lib/errors";
import { pickLang } from "../lib/i18n";

export function zodDetails(error: ZodError): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "non_field_errors";
    (details[field] ??= []).push(issue.message);
  }
  return details;
}

/** Validator hook for every route: a bad path parameter (e.g. a non-UUID id) is a 404, the rest 400. */
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  if (result.target === "param") throw new ApiError("not_found");
  throw new ApiError("validation_error", "validation_error", zodDetails(result.error));
};

const statusToCode: Record<number, ErrorCode> = {
  400: "validation_error",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "service_unavailable",
};

/** Postgres SQLSTATEs that mean the client sent something we should have refused politely. */
function fromPostgres(err: unknown): ApiError | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  // Raised by the request's user check (migrations/0004_authenticated_user.sql).
  if (code === "CC401") return new ApiError("unauthorized", "token_invalid");
  if (code === "CC403") return new ApiError("unauthorized", "account_disabled");
  // Raised by require_city_wide() (migrations/0018_staff_guard.sql): the batch it guarded did nothing.
  if (code === "CCPRM") return new ApiError("forbidden");
  if (code === "23505") return new ApiError("conflict");
  if (code === "23502" || code === "23503" || code === "23514" || code.startsWith("22")) return new ApiError("validation_error", "validation_error", {});
  return undefined;
}

/**
 * The Neon driver reports an unreachable database as "Error connecting to database" (HTTP path),
 * as a 5xx from the SQL endpoint, or (WebSocket path) as an Error or an ErrorEvent from the socket.
 */
function isDatabaseUnreachable(err: unknown): boolean {
  const message = typeof (err as { message?: unknown })?.message === "string" ? (err as { message: string }).message : String(err);
  return /Error connecting to database|Server error \(HTTP status 5\d\d\)|WebSocket|ECONNREFUSED|connection (terminated|timeout)|Connection terminated|timeout exceeded when trying to connect|Network connection lost/i.test(message);
}

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400 && /Malformed JSON/i.test(err.message)) return new ApiError("invalid_json");
    const code = statusToCode[err.status];
    return code ? new ApiError(code) : undefined;
  }
  const pg = fromPostgres(err) ?? fromPostgres((err as { cause?: unknown })?.cause);
  if (pg) return pg;
  if (isDatabaseUnreachable(err) || isDatabaseUnreachable((err as { cause?: unknown })?.cause)) return new ApiError("service_unavailable");
  return undefined;
}

export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const lang = c.get("lang") ?? pickLang(c.req.header("accept-language"));
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  const known = toApiError(err);
  const apiError = known ?? new ApiError("internal_error");
  if (!known) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: err instanceof ConfigError ? "configuration error" : "unhandled error",
        request_id: requestId,
        path: c.req.path,
        error: err instanceof Error ? err.message : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      }),
    );
  } else if (apiError.status >= 500) {
    // An expected outage (database or gateway down): worth a warning, not a stack trace.
    console.warn(JSON.stringify({ level: "warn", msg: apiError.code, request_id: requestId, path: c.req.path, error: describeDbError(err) }));
  }
  const headers: Record<string, string> = { "X-Request-Id": requestId, ...apiError.headers };
  return c.json(errorBody(apiError, lang), apiError.status as 400, headers);
}
