import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  // Each spec starts its own platform (its own embedded PostgreSQL and port); one at a time fits 2 cores.
  workers: 1,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "../.cache/test-reports/e2e.json" }]],
  use: {
    browserName: "chromium",
    trace: "retain-on-failure",
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is not available here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  outputDir: "../.cache/e2e-results",
});
