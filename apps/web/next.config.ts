import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages ship TypeScript sources.
  transpilePackages: ["@cookbook/db", "@cookbook/content", "@cookbook/lab-runner-api"],
  // Native or filesystem-bound modules stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg"],
  poweredByHeader: false,
  // `pnpm typecheck` (part of the test suite) checks types; starting the platform need not.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
};

export default config;
