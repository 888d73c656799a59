/**
 * Builds the Hono app: middleware, the routers of every module under /api/v1 (the /api alias and
 * optional trailing slashes are handled in `normalizeRequest`), the OpenAPI document and docs page.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { AppEnv } from "./app-env";
import { readConfig } from "./env";
import { ApiError } from "./lib/errors";
import { bodySizeLimit } from "./middleware/body-limit";
import { handleError } from "./middleware/errors";
import { createRouter } from "./router";
import { requestContext } from "./middleware/request-context";
import { authRouter } from "./modules/auth/auth.index";
import { chatDevRouter, chatRouter, chatSocketRouter } from "./modules/chat/chat.index";
import { complaintsRouter } from "./modules/complaints/complaints.index";
import { devRouter } from "./modules/dev/dev.index";
import { docsRouter } from "./modules/docs/docs.index";
import { healthRouter } from "./modules/health/health.index";
import { donationsRouter } from "./modules/donations/donations.index";
import { metaRouter } from "./modules/meta/meta.index";
import { noticesRouter } from "./modules/notices/notices.index";
import { calendarRouter } from "./modules/calendar/calendar.index";
import { galleryRouter } from "./modules/gallery/gallery.index";
import { paymentsRouter } from "./modules/payments/payments.index";
import { mediaRouter, usersRouter } from "./modules/users/users.index";
import { adminUsersRouter } from "./modules/admin-users/admin-users.index";
import { dashboardRouter } from "./modules/dashboard/dashboard.index";
import { emergencyDeskRouter, emergencyRouter } from "./modules/emergency/emergency.index";
import { notificationsDevRouter, notificationsRouter } from "./modules/notifications/notifications.index";
import { handleOpen311Error } from "./modules/open311/open311.format";
import { open311AdminRouter, open311Router } from "./modules/open311/open311.index";
import { wasteRouter } from "./modules/waste/waste.index";

export const API_PREFIX = "/api/v1";

export function createApp(): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.use("*", requestContext);
  app.use(
    "*",
    cors({
      origin: (origin, c) => {
        const allowed = readConfig(c.env).CORS_ORIGINS.split(",").map((o) => o.trim());
        if (allowed.includes("*")) return origin || "*";
        return allowed.includes(origin) ? origin : null;
      },
      allowHeaders: ["Authorization", "Content-Type", "Accept-Language", "X-Request-Id"],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: ["X-Request-Id", "Retry-After", "Server-Timing"],
      maxAge: 600,
    }),
  );
  app.use("*", bodySizeLimit);

  app.route("/", healthRouter);
  app.route(API_PREFIX, healthRouter);
  app.route(API_PREFIX, metaRouter);
  app.route(API_PREFIX, authRouter);
  app.route(API_PREFIX, usersRouter);
  app.route(API_PREFIX, mediaRouter);
  app.route(API_PREFIX, complaintsRouter);
  app.route(API_PREFIX, paymentsRouter);
  app.route(API_PREFIX, donationsRouter);
  app.route(API_PREFIX, chatRouter);
  app.route(API_PREFIX, adminUsersRouter);
  app.route(API_PREFIX, dashboardRouter);
  app.route(API_PREFIX, emergencyRouter);
  app.route(API_PREFIX, noticesRouter);
  app.route(API_PREFIX, notificationsRouter);
  app.route(API_PREFIX, open311AdminRouter);
  app.route(API_PREFIX, calendarRouter);
  app.route(API_PREFIX, galleryRouter);
  app.route(API_PREFIX, wasteRouter);
  app.route("/", chatSocketRouter); // GET /ws/chat/{room_id}: outside /api/v1 per the contract
  app.route("/", emergencyDeskRouter); // GET /ws/emergency
  app.route("/", open311Router); // GeoReport v2 at /open311/v2, outside /api/v1 (its own error shape)
  app.route(API_PREFIX, devRouter);
  app.route(API_PREFIX, chatDevRouter);
  app.route(API_PREFIX, notificationsDevRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31(`${API_PREFIX}/openapi.json`, (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Clean Care Bangladesh API",
      version: "1.0.0",
      description:
        "Edge API of the Clean Care Bangladesh smart-city app. Every route is also served under `/api` and with an optional trailing slash. Errors use `{error, code, details?}`; messages are Bengali with `Accept-Language: bn`.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.route(API_PREFIX, docsRouter);

  app.notFound(() => {
    throw new ApiError("not_found");
  });
  // Open311 answers every failure in its specification's shape, also those of app-wide middleware (413).
  app.onError((err, c) => (c.req.path.startsWith("/open311/") ? handleOpen311Error(err, c) : handleError(err, c)));
  return app;
}

/**
 * `/api/...` is an alias of `/api/v1/...` (the seed clients call `/api/auth/login/`), and a trailing
 * slash is optional everywhere. Both are resolved before routing so no route is declared twice.
 */
export function normalizeRequest(request: Request): Request {
  const url = new URL(request.url);
  let path = url.pathname;
  if (path.length > 1 && path.endsWith("/")) path = path.replace(/\/+$/, "") || "/";
  if (path === "/api" || (path.startsWith("/api/") && !path.startsWith("/api/v1/") && path !== "/api/v1")) {
    path = API_PREFIX + path.slice("/api".length);
  }
  if (path === url.pathname) return request;
  url.pathname = path;
  return new Request(url.toString(), request);
}
