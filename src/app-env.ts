import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServiceContext } from "./context";
import type { UserRow } from "./db/types";
import type { Lang } from "./lib/i18n";

/** Hono's environment for this app: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    lang: Lang;
    services: ServiceContext;
    /** Set by `requireAuth`. */
    user: UserRow;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
