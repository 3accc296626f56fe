import { describe, expect, it } from "vitest";
import { labRunnerConfig } from "./config";

const required = { DATABASE_URL: "postgres://owner@db.example:5432/cookbook", LAB_RUNNER_SECRET: "s".repeat(32) };

describe("labRunnerConfig", () => {
  it("stops on a missing DATABASE_URL instead of starting without a database", () => {
    expect(() => labRunnerConfig({ LAB_RUNNER_SECRET: required.LAB_RUNNER_SECRET })).toThrow();
  });

  it("sizes the pool from DATABASE_POOL_SIZE (default 10) and prefers lab-runner's own role", () => {
    expect(labRunnerConfig(required).database).toEqual({ url: required.DATABASE_URL, poolSize: 10 });
    const own = labRunnerConfig({
      ...required,
      DATABASE_POOL_SIZE: "3",
      DATABASE_URL_LAB_RUNNER: "postgres://cookbook_lab_runner@db.example:5432/cookbook",
    });
    expect(own.database).toEqual({ url: "postgres://cookbook_lab_runner@db.example:5432/cookbook", poolSize: 3 });
  });

  it("passes the local driver's directories and Java down", () => {
    const config = labRunnerConfig({
      ...required,
      LAB_SANDBOX_DIR: "/srv/sandboxes",
      LAB_CACHE_DIR: "/srv/lab-software",
      LAB_JAVA_HOME: "/opt/java",
    });
    expect(config.local).toEqual({ baseDir: "/srv/sandboxes", software: { cacheDir: "/srv/lab-software", javaHome: "/opt/java" } });
  });

  it("derives the installation id from the database's host, port and name, not its role or password", () => {
    const id = labRunnerConfig(required).kubernetes.installationId;
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(labRunnerConfig({ ...required, DATABASE_URL: "postgres://lab:secret@DB.example/cookbook" }).kubernetes.installationId).toBe(id);
    expect(labRunnerConfig({ ...required, DATABASE_URL: "postgres://owner@db.example:5432/cookbook_staging" }).kubernetes.installationId).not.toBe(
      id,
    );
    expect(labRunnerConfig({ ...required, DATABASE_URL: "postgres://owner@db2.example:5432/cookbook" }).kubernetes.installationId).not.toBe(id);
    expect(labRunnerConfig({ ...required, DATABASE_URL: "postgres://owner@db.example:5433/cookbook" }).kubernetes.installationId).not.toBe(id);
  });

  it("takes LAB_INSTALLATION_ID when set, and only as a Kubernetes label value", () => {
    expect(labRunnerConfig({ ...required, LAB_INSTALLATION_ID: "eu-prod.1" }).kubernetes.installationId).toBe("eu-prod.1");
    for (const bad of ["-prod", "prod_", "a b", "x".repeat(64)])
      expect(() => labRunnerConfig({ ...required, LAB_INSTALLATION_ID: bad }), bad).toThrow();
  });
});
