import { z } from 'zod';
import { CalendarDate } from '../shared/schemas/common.schema.ts';

// The only reader of process.env. Every setting is declared once here with its default and why;
// the README's configuration table is written from this file.

/** "1"/"true"/"yes"/"on" → true, "0"/"false"/"no"/"off"/"" → false: env vars are strings. */
const Flag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v, ctx) => {
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: `expected 1/0/true/false, got "${v}"` });
    return z.NEVER;
  });

const EnvSchema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Interface to bind. 127.0.0.1 by default so a fresh install is not exposed to the network by
   * accident; set 0.0.0.0 behind a reverse proxy or in a container.
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** A SQLite file path (embedded default, `:memory:` allowed) or a `postgres://…` URL for PostgreSQL. */
  DATABASE_URL: z.string().min(1).default('./data/luoshi.db'),
  /** 1: on an empty database, load the demo plan (samples/), its organisations and demo accounts at start-up. */
  LUOSHI_DEMO: Flag.default(true),
  /**
   * With LUOSHI_DEMO=0, the password of the first `admin` account, created at start-up on an
   * empty database. Unset: a random password is generated and printed once in the log.
   */
  LUOSHI_ADMIN_PASSWORD: z.string().min(10).max(200).optional(),
  /** 1: session cookie gets `Secure` (serve over HTTPS). Off by default so http://localhost works. */
  COOKIE_SECURE: Flag.default(false),
  /** Session lifetime in hours from login (the contract fixes 12). */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /** Pino log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where uploaded documents (plan .docx/.txt, evidence) are stored. */
  UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  /**
   * The installation's district boundaries (GeoJSON FeatureCollection, GCJ-02, a `name` property
   * per district): the project map draws it and a project's location must lie inside it.
   */
  LUOSHI_GEO_BOUNDARY: z.string().min(1).default('./samples/geo/hebi-districts.geojson'),
  /** Built web app (Vite output) served at `/`; the API still runs when it is missing. */
  WEB_DIR: z.string().min(1).default('./dist/web'),
  /**
   * Sign-in requests allowed per client address per minute, successes included, before 429: it
   * bounds the argon2 work a flood can cost. 120, not less: a bureau behind one NAT address is
   * one client, and its staff arrive in the same minutes. Guessing is held back by the failure
   * throttle (modules/auth/login-throttle.service.ts), not by this.
   */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /**
   * Requests per minute and client address to the public portal (/api/public/*, /public): generous,
   * because anonymous readers and a proxy in front of many of them are expected; limited, so one
   * client cannot monopolise the server.
   */
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  /**
   * 1: trust X-Forwarded-For from a reverse proxy / load balancer, so rate limits and logs see the
   * client's address instead of the proxy's. Only enable when a proxy is really in front.
   */
  TRUST_PROXY: Flag.default(false),
  /**
   * A fixed "today" (YYYY-MM-DD) for demos and tests: the ledger computes overdue rows and due
   * windows for this date instead of today in Asia/Shanghai, so the 2018 demo plan shows a live
   * mix of statuses. Unset in production.
   */
  /**
   * 1: run the scheduled jobs inside the server — open/close reporting periods by their schedule
   * (hourly) and generate due-soon/late reminders (hourly; each reminder is created once). 0 when
   * cron runs `luoshi periods tick` / `luoshi reminders tick` instead, or for a read-only replica.
   */
  LUOSHI_JOBS: Flag.default(true),
  LUOSHI_TODAY: CalendarDate.optional(),
  /**
   * The audit chain's HMAC key(s), hex or base64 (32+ bytes), comma-separated with the active key
   * last. Kept out of the database so a database writer cannot re-hash an edited chain. When set,
   * AUDIT_KEY_FILE is not read.
   */
  AUDIT_KEY: z.string().min(1).optional(),
  /**
   * The key file used when AUDIT_KEY is unset: one key per line, last active; generated (0600) by
   * the first writer if absent. Outside ./data so a copy of the data directory does not carry it.
   */
  AUDIT_KEY_FILE: z.string().min(1).default('./keys/audit.key'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  demo: boolean;
  adminPassword: string | undefined;
  cookieSecure: boolean;
  sessionTtlHours: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  uploadDir: string;
  /** LUOSHI_GEO_BOUNDARY: path of the district boundary GeoJSON (GCJ-02). */
  geoBoundaryFile: string;
  webDir: string;
  loginRateLimitPerMinute: number;
  publicRateLimitPerMinute: number;
  trustProxy: boolean;
  /** LUOSHI_TODAY: fixed "today" for demos/tests; undefined = today in Asia/Shanghai. */
  today: string | undefined;
  /** LUOSHI_JOBS: run the period and reminder jobs in this process. */
  jobs: boolean;
  /** AUDIT_KEY: audit HMAC key(s), comma-separated, last active. */
  auditKey: string | undefined;
  /** AUDIT_KEY_FILE: the audit key file when AUDIT_KEY is unset. */
  auditKeyFile: string;
}

/**
 * Parses settings from `env` (process.env by default). Throws one error listing every invalid
 * variable, so a misconfigured server stops at start-up instead of failing later.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset: `FOO= npm start` should mean "default", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    demo: e.LUOSHI_DEMO,
    adminPassword: e.LUOSHI_ADMIN_PASSWORD,
    cookieSecure: e.COOKIE_SECURE,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    logLevel: e.LOG_LEVEL,
    uploadDir: e.UPLOAD_DIR,
    geoBoundaryFile: e.LUOSHI_GEO_BOUNDARY,
    webDir: e.WEB_DIR,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    today: e.LUOSHI_TODAY,
    jobs: e.LUOSHI_JOBS,
    auditKey: e.AUDIT_KEY,
    auditKeyFile: e.AUDIT_KEY_FILE,
  };
}
