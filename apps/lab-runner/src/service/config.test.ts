import { describe, expect, it } from "vitest";
import { labRunnerConfig } from "./config";

const required = { DATABASE_URL: "postgres://owner@db.example:5432/cookbook", LAB_RUNNER_SECRET: "s".repeat(32) };

describe("labRunnerConfig", () => {
  it("stops on a missing DATABASE_URL instead of starting without a database", () => {
    expect(() => labRunnerConfig({ LAB_RUNNER_SECRET: required.LAB_RUNNER_SECRET })).toThrow();
  });

  it("sizes the pool from DATABASE_POOL_SIZE (default 10) and prefers lab-runner's own role", () => {
    expect(labRunnerConfig(required).database).toEqual({ url: required.DATABASE_URL, poolSize: 10 });
    const own = labRunnerConfig({ ...required, DATABASE_POOL_SIZE: "3", DATABASE_URL_LAB_RUNNER: "postgres://cookbook_lab_runner@db.example:5432/cookbook" });
    expect(own.database).toEqual({ url: "postgres://cookbook_lab_runner@db.example:5432/cookbook", poolSize: 3 });
  });

  it("passes the local driver's directories and Java down", () => {
    const config = labRunnerConfig({ ...required, LAB_SANDBOX_DIR: "/srv/sandboxes", LAB_CACHE_DIR: "/srv/lab-software", LAB_JAVA_HOME: "/opt/java" });
    expect(config.local).toEqual({ baseDir: "/srv/sandboxes", software: { cacheDir: "/srv/lab-software", javaHome: "/opt/java" } });
  });
});
