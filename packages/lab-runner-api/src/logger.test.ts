import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

describe("lab-runner logger", () => {
  it("redacts credentials wherever a log object carries them", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    logger.info(
      {
        req: { headers: { authorization: "Bearer top-secret-1", cookie: "cookbook_session=top-secret-2" } },
        user: { password: "top-secret-3", passwordHash: "$argon2id$v=19$top-secret-4" },
        env: { DATABASE_URL: "postgres://app:top-secret-5@127.0.0.1/db", LAB_RUNNER_SECRET: "top-secret-6" },
        secret: "top-secret-7",
      },
      "careless",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/top-secret|\$argon2/);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ level: "info", msg: "careless", req: { headers: { authorization: "[redacted]" } } });
  });
});
