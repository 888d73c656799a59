/**
 * The one place configuration is read. Bindings come from wrangler.toml (typed by `wrangler types`);
 * string variables and secrets are validated here so that a missing or malformed one is named in
 * a clear error instead of surfacing later as `undefined`.
 */
import { z } from "zod";

const seconds = z.coerce.number().int().positive();

export const configSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "staging", "production"]),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
  /** Only set locally: a WebSocket→TCP relay (scripts/lib/relay.ts) standing in for Neon's proxy. */
  DB_RELAY_URL: z.string().regex(/^[\w.-]+:\d+$/, "must be host:port").optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters"),
  OTP_HASH_KEY: z.string().min(32, "must be at least 32 characters"),
  ACCESS_TOKEN_TTL_SECONDS: seconds.default(3600),
  REFRESH_TOKEN_TTL_SECONDS: seconds.default(604800),
  CORS_ORIGINS: z.string().default("*"),
  SMS_PROVIDER: z.enum(["outbox", "sslwireless"]),
  SSLWIRELESS_API_URL: z.string().url().optional(),
  SSLWIRELESS_API_TOKEN: z.string().optional(),
  SSLWIRELESS_SID: z.string().optional(),
  /** Absolute origin used in links we hand out (media URLs); defaults to the request's origin. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** `info` logs every request; `warn` only problems. */
  LOG_LEVEL: z.enum(["info", "warn", "error"]).default("info"),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid worker configuration: ${issues.join("; ")}`);
    this.name = "ConfigError";
  }
}

// Parsed once per isolate per env object: env is stable for the life of an isolate.
const cache = new WeakMap<object, AppConfig>();

export function readConfig(env: Env): AppConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  const config = parsed.data;
  if (config.SMS_PROVIDER === "sslwireless") {
    const missing = (["SSLWIRELESS_API_URL", "SSLWIRELESS_API_TOKEN", "SSLWIRELESS_SID"] as const).filter((k) => !config[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when SMS_PROVIDER=sslwireless`));
  }
  cache.set(env, config);
  return config;
}
