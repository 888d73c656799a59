/**
 * Outermost middleware: request id, language, the per-request service container, structured access
 * log and `Server-Timing` with the SQL statements and database round trips the request cost.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { createServiceContext } from "../context";
import { pickLang } from "../lib/i18n";

const REQUEST_ID = /^[\w.-]{8,64}$/;

/**
 * Sets a header on the finished response. `c.header()` after the handler copies the whole Response
 * (Hono cannot know whether its headers are immutable, as a fetched response's are); ours are
 * mutable, so set in place and copy only when they are not.
 */
function setResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  // Before the handler: the response it builds through `c` (and one it returns itself) carries it.
  c.header("X-Request-Id", requestId);
  c.set("lang", pickLang(c.req.header("accept-language")));
  let services: AppEnv["Variables"]["services"] | undefined;
  try {
    services = createServiceContext(c.env, {
      ip: c.req.header("cf-connecting-ip")?.slice(0, 45) ?? null,
      userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
    });
    c.set("services", services);
    await next();
  } finally {
    if (c.res.headers.get("X-Request-Id") !== requestId) setResponseHeader(c, "X-Request-Id", requestId);
    const stats = services?.stats;
    if (stats) setResponseHeader(c, "Server-Timing", `db;dur=${stats.ms};desc="${stats.statements} statements, ${stats.roundTrips} round trips"`);
    // Only when there is something to do after the answer: an HTTP-only request holds nothing open,
    // and a waitUntil per request is not free (the test runtime tracks every one).
    if (services?.hasWorkAfterResponse) {
      const closing = services.close();
      try {
        c.executionCtx.waitUntil(closing);
      } catch {
        await closing; // no execution context (direct app.request in a unit test)
      }
    }
    if (services?.config.LOG_LEVEL === "info") console.log(
      JSON.stringify({
        level: "info",
        msg: "request",
        request_id: requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Date.now() - started,
        db_statements: stats?.statements ?? 0,
        db_round_trips: stats?.roundTrips ?? 0,
      }),
    );
  }
});
