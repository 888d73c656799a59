/**
 * How Open311 answers: the format is the path's extension (`.json` or `.xml`), the body the same data
 * in either, and every failure is the spec's error list — `[{code, description}]` in JSON,
 * `<errors><error><code/><description/></error></errors>` in XML — with the HTTP status of its first
 * error. Nothing here answers in the REST API's `{error, code}` envelope.
 */
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { t } from "../../lib/i18n";
import { toApiError } from "../../middleware/errors";
import { toXmlDocument, type XmlValue } from "./open311.xml";

export type Format = "json" | "xml";

export const CONTENT_TYPES: Record<Format, string> = {
  json: "application/json; charset=utf-8",
  xml: "text/xml; charset=utf-8",
};

/** The format a path asks for; anything that is not `.xml` is answered in JSON. */
export function formatOf(path: string): Format {
  return /\.xml$/i.test(path) ? "xml" : "json";
}

/** `name.json` / `name.xml` → [name, format]; null for anything else. */
export function splitFormat(file: string): [string, Format] | null {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  return match ? [match[1]!, match[2] as Format] : null;
}

/** The same value as JSON or as the XML document rooted at `root`. */
export function render(c: Context<AppEnv>, format: Format, root: string, value: XmlValue, status = 200, headers: Record<string, string> = {}): Response {
  const body = format === "json" ? JSON.stringify(value) : toXmlDocument(root, value);
  return c.body(body, status as 200, { "content-type": CONTENT_TYPES[format], ...headers });
}

export interface SpecError {
  code: number;
  description: string;
}

/** A failure in the spec's terms: one or more errors, answered with the first one's status. */
export class Open311Error extends Error {
  constructor(
    readonly errors: SpecError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => `${e.code} ${e.description}`).join("; "));
    this.name = "Open311Error";
  }

  get status(): number {
    return this.errors[0]!.code;
  }

  static of(code: number, description: string, headers?: Record<string, string>): Open311Error {
    return new Open311Error([{ code, description }], headers);
  }
}

/** ApiErrors (validation, body limits, database refusals) in the spec's shape. */
export function fromApiError(err: ApiError): Open311Error {
  if (err.details && Object.keys(err.details).length > 0) {
    const errors = Object.entries(err.details).flatMap(([field, messages]) => messages.map((m) => ({ code: err.status, description: `${field}: ${m}` })));
    return new Open311Error(errors, err.headers);
  }
  return new Open311Error([{ code: err.status, description: t(err.messageKey, "en") }], err.headers);
}

/** The Open311 routers' error handler: every failure as the spec's error list, in the path's format. */
export function handleOpen311Error(err: unknown, c: Context<AppEnv>): Response {
  let failure: Open311Error;
  if (err instanceof Open311Error) failure = err;
  else {
    const known = toApiError(err);
    if (!known) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "unhandled error",
          request_id: c.get("requestId"),
          path: c.req.path,
          error: err instanceof Error ? err.message : String(err),
          stack: err instanceof Error ? err.stack : undefined,
        }),
      );
    }
    failure = fromApiError(known ?? new ApiError("internal_error"));
  }
  return render(c, formatOf(c.req.path), "errors", failure.errors as unknown as XmlValue, failure.status, failure.headers);
}
