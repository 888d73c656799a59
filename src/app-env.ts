import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServiceContext } from "./context";
import type { UserRow } from "./db/types";
import type { Lang } from "./lib/i18n";
import type { AuthUser } from "./lib/tokens";

export type { AuthUser };

/** Hono's environment for this app: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    lang: Lang;
    services: ServiceContext;
    /** Set by `requireAuth`. */
    user: AuthUser;
    /** Set by `requireAuth`: the whole account row, once the user check has run (see currentAccount). */
    account: Promise<UserRow>;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
