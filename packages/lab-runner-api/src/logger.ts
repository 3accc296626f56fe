import { createEnv } from "@t3-oss/env-core";
import pino, { type DestinationStream, type Logger } from "pino";
import * as z from "zod";

export type { Logger } from "pino";

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * Fields that may hold a credential wherever they appear in a log object: the bearer secret,
 * cookies, database URLs (they carry the password), passwords and their hashes. pino replaces
 * them before a line is written, so a careless `logger.info({ req })` cannot leak them.
 */
export const redactPaths = [
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["set-cookie"]',
  "cookie",
  "*.cookie",
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "password_hash",
  "*.password_hash",
  "databaseUrl",
  "*.databaseUrl",
  "DATABASE_URL",
  "*.DATABASE_URL",
  "LAB_RUNNER_SECRET",
  "*.LAB_RUNNER_SECRET",
];

/** LOG_LEVEL from the environment (default `info`), validated like the rest of the configuration. */
export function logLevel(source: NodeJS.ProcessEnv = process.env): (typeof logLevels)[number] {
  return createEnv({
    server: { LOG_LEVEL: z.enum(logLevels).default("info") },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
  }).LOG_LEVEL;
}

/**
 * The platform's JSON logger (lab-runner's, and the web app's with `service: "web"`): one line per
 * event on stdout, or `destination` (tests).
 */
export function createLogger(options: { service?: string; level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevel(),
      redact: { paths: redactPaths, censor: "[redacted]" },
      base: { service: options.service ?? "lab-runner" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}
