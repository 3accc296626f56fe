import path from "node:path";
import { defineConfig } from "vitest/config";

// The web app's own import alias, so its modules load under test as they do in Next.
const resolve = { alias: { "~": path.resolve(import.meta.dirname, "apps/web/src") } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          include: ["{apps,packages}/*/src/**/*.test.ts"],
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          include: ["{apps,packages}/*/src/**/*.integration-test.ts"],
          globalSetup: ["packages/db/src/testing/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
