/**
 * The one place configuration is read. Bindings come from wrangler.toml (typed by `wrangler types`);
 * string variables and secrets are validated here so that a missing or malformed one is named in
 * a clear error instead of surfacing later as `undefined`.
 */
import { z } from "zod";

const seconds = z.coerce.number().int().positive();

const serviceAccountSchema = z.object({
  project_id: z.string().min(1),
  client_email: z.string().min(1),
  private_key: z.string().includes("PRIVATE KEY"),
  private_key_id: z.string().optional(),
  token_uri: z.string().url(),
});

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
  /**
   * bKash Tokenized Checkout. Base URL up to the version, e.g. https://tokenized.pay.bka.sh/v1.2.0-beta
   * (sandbox: https://tokenized.sandbox.bka.sh/v1.2.0-beta; locally the sandbox in scripts/sandbox).
   * All five or none: without them `bkash` answers `payment_method_unavailable`.
   */
  BKASH_BASE_URL: z.string().url().optional(),
  BKASH_APP_KEY: z.string().min(1).optional(),
  BKASH_APP_SECRET: z.string().min(1).optional(),
  BKASH_USERNAME: z.string().min(1).optional(),
  BKASH_PASSWORD: z.string().min(1).optional(),
  /** How long one gateway call may take before we treat it as unanswered (and query instead). */
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** Where a browser returning from the gateway is sent (the app's deep link), with ?payment_id=&status=. */
  PAYMENT_RETURN_URL: z.string().url().default("cleancare://payments/result"),
  /**
   * Firebase Cloud Messaging: the service account's JSON key (a secret; locally the stand-in's, see
   * scripts/sandbox/fcm-sandbox.ts). Without it push is off and notifications fall back to SMS.
   */
  FCM_SERVICE_ACCOUNT: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      const parsed = serviceAccountSchema.safeParse((() => { try { return JSON.parse(text); } catch { return null; } })());
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: "must be a service account JSON key with project_id, client_email, private_key and token_uri" });
        return z.NEVER;
      }
      return parsed.data;
    }),
  FCM_API_URL: z.string().url().default("https://fcm.googleapis.com"),
  /** Open311 GeoReport v2: the jurisdiction_id this endpoint serves (a request naming another gets 404). */
  OPEN311_JURISDICTION_ID: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, "letters, digits, dots, dashes").default("dhaka.gov.bd"),
  /** Open311 `agency_responsible` of every request (with its ward when known). */
  OPEN311_AGENCY: z.string().trim().min(1).max(200).default("Dhaka City Corporation"),
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
  const bkash = ["BKASH_BASE_URL", "BKASH_APP_KEY", "BKASH_APP_SECRET", "BKASH_USERNAME", "BKASH_PASSWORD"] as const;
  const bkashMissing = bkash.filter((k) => !config[k]);
  if (bkashMissing.length > 0 && bkashMissing.length < bkash.length) {
    throw new ConfigError(bkashMissing.map((k) => `${k}: required when any BKASH_* setting is present`));
  }
  cache.set(env, config);
  return config;
}
