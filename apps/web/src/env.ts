import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { parseTrustedProxies } from "./server/auth/trusted-proxies";

/** The web server's configuration, parsed once on first use; the launcher validates it at start. */
export const env = createEnv({
  server: {
    DATABASE_URL: z.url(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Force the Secure cookie attribute; otherwise it follows the request's scheme (X-Forwarded-Proto). */
    COOKIE_SECURE: z.enum(["auto", "always", "never"]).default("auto"),
    SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    INVITATION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Where the launcher has the web app listen; the default PUBLIC_URL is made from them. */
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("127.0.0.1"),
    /**
     * The address browsers use (scheme, host, port): mutations must carry exactly this Origin
     * and every API request this Host. Default: http://HOST:PORT.
     */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: "PUBLIC_URL must be an http(s) URL such as https://labs.example.org" })
      .refine((u) => {
        const url = new URL(u);
        return !url.username && !url.password && (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
      }, "PUBLIC_URL must be scheme, host and port only (no path, user, query)")
      .optional(),
    /**
     * Proxies whose X-Forwarded-* / Forwarded headers are believed: comma-separated IPs or CIDRs.
     * Default none: the client's address is the socket's and forwarded headers are ignored.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((value, ctx) => {
        try {
          return parseTrustedProxies(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: `TRUSTED_PROXIES: ${(error as Error).message}` });
          return z.NEVER;
        }
      }),
    /** lab-runner's internal API, as this server reaches it. */
    LAB_RUNNER_URL: z.url().default("http://127.0.0.1:4100"),
    /** lab-runner as the learner's browser reaches it, for the terminal WebSocket; defaults to LAB_RUNNER_URL. */
    LAB_RUNNER_PUBLIC_URL: z.url().optional(),
    /** Shared with lab-runner: authenticates this server's calls and signs terminal tokens. */
    LAB_RUNNER_SECRET: z.string().min(32, { error: "LAB_RUNNER_SECRET must be at least 32 characters" }),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
});

/** The public origin as browsers send it in `Origin` (no default port, no trailing slash). */
export const publicUrl = new URL(env.PUBLIC_URL ?? `http://${urlHost(env.HOST)}:${env.PORT}`);

/** A listen address as a browser would reach it: a wildcard means this machine's loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
