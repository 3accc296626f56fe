import { createLogger, type Logger } from "@cookbook/lab-runner-api/logging";

export type { Logger } from "@cookbook/lab-runner-api/logging";

// One logger per server process; Next may evaluate this module once per bundle layer.
const globalForLogger = globalThis as unknown as { cookbookLogger?: Logger };

/**
 * The web server's JSON logger, with lab-runner's redaction of credentials. It writes to
 * process.stdout, which the launcher passes through (and tests can capture).
 */
export function logger(): Logger {
  globalForLogger.cookbookLogger ??= createLogger({ service: "web", destination: process.stdout });
  return globalForLogger.cookbookLogger;
}
