import { createEnv } from "@t3-oss/env-core";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const dbEnv = () =>
  createEnv({
    server: {
      /**
       * An external PostgreSQL server, signed in as the role that owns the schema (migrations,
       * publication, seed); when unset the platform starts an embedded one.
       */
      DATABASE_URL: z.url().optional(),
      /** With DATABASE_URL: the web app's own least-privilege role (cookbook_web); defaults to DATABASE_URL. */
      DATABASE_URL_WEB: z.url().optional(),
      /** With DATABASE_URL: lab-runner's own least-privilege role (cookbook_lab_runner); defaults to DATABASE_URL. */
      DATABASE_URL_LAB_RUNNER: z.url().optional(),
      EMBEDDED_PG_DIR: z.string().default(path.join(repoRoot, ".cache", "postgres")),
      EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    },
    runtimeEnv: process.env,
    emptyStringAsUndefined: true,
  });
