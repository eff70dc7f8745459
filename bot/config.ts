// Configuration from the environment, validated once at start with a clear message per wrong variable.
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z.object({
  BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456:ABC... (from @BotFather)")
    .optional(),
  BOT_API_ROOT: z.url("must be a URL, e.g. https://api.telegram.org").default("https://api.telegram.org"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
    .optional(),
  PGLITE_DIR: z.string().default(".data/pglite"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  REDIS_PREFIX: z.string().default("fsms:"),
  WEBHOOK_URL: z.url("must be the public https URL Telegram posts updates to").optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "16-256 characters A-Z a-z 0-9 _ -")
    .optional(),
  /**
   * Webhook: how long an instance's "processing" claim on an update holds. Telegram's retry of an update whose
   * instance died is handled once it runs out; longer than any update takes (default 30 s).
   */
  WEBHOOK_CLAIM_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SANDBOX_HOST: z.string().min(1).default("127.0.0.1"),
  FILES_DIR: z.string().default(".data/files"),
  /** Where the bytes of files live: the local disk, or PostgreSQL (shared by every instance). */
  FILES_BACKEND: z.enum(["disk", "postgres"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEMO_DATA: bool.optional(),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  OUTBOX_GLOBAL_RATE: z.coerce.number().min(1).max(1000).default(30),
  OUTBOX_CHAT_RATE: z.coerce.number().min(0.01).max(100).default(1),
  REMINDER_CHECK_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
});

export type AppConfig = z.output<typeof schema> & {
  /** No token: the bot talks to the local sandbox Bot API. */
  sandbox: boolean;
  mode: "sandbox" | "polling" | "webhook";
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.WEBHOOK_URL && !c.BOT_TOKEN) problems.push("WEBHOOK_URL: needs BOT_TOKEN as well");
  if (c.WEBHOOK_URL && !c.WEBHOOK_SECRET) problems.push("WEBHOOK_SECRET: required in webhook mode");
  if (problems.length) throw new ConfigError(problems);
  const mode = c.WEBHOOK_URL ? "webhook" : c.BOT_TOKEN ? "polling" : "sandbox";
  // Several instances must serve each other's files: with a database server the bytes go there by default.
  const filesBackend = c.FILES_BACKEND ?? (c.DATABASE_URL ? "postgres" : "disk");
  return { ...c, FILES_BACKEND: filesBackend, sandbox: mode === "sandbox", mode };
}
