import { createEnv } from "@t3-oss/env-core";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const dbEnv = () =>
  createEnv({
    server: {
      /** An external PostgreSQL server; when unset the platform starts an embedded one. */
      DATABASE_URL: z.url().optional(),
      EMBEDDED_PG_DIR: z.string().default(path.join(repoRoot, ".cache", "postgres")),
      EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    },
    runtimeEnv: process.env,
    emptyStringAsUndefined: true,
  });
