import { describe, expect, it } from "vitest";
import { loadApi } from "~/server/testing/api-client";

await loadApi();
const { POST, GET } = await import("./[trpc]/route");
const health = await import("../health/route");

const post = (path: string, body: unknown, headers: Record<string, string> = { origin: "http://localhost:3000", host: "localhost:3000" }) =>
  POST(new Request(`http://localhost:3000/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));

describe("the tRPC endpoint", () => {
  it("answers bad input with a readable message, field errors and no stack trace", async () => {
    const res = await post("auth.signUp", { email: "not-an-email", password: "x", displayName: "" });
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain("Enter a valid email address.");
    expect(body).toContain("Use at least 10 characters.");
    expect(body).toContain("fieldErrors");
    expect(body).not.toContain("stack");
    expect(body).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses a mutation from another site", async () => {
    const res = await post("auth.signIn", { email: "a@b.test", password: "whatever" }, { origin: "https://evil.example", host: "localhost:3000" });
    expect(res.status).toBe(403);
    const missing = await post("auth.signIn", { email: "a@b.test", password: "whatever" }, { host: "localhost:3000" });
    expect(missing.status).toBe(403);
  });

  it("asks anonymous callers to sign in", async () => {
    const res = await GET(new Request("http://localhost:3000/api/trpc/orgs.list"));
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toContain("Please sign in.");
  });
});

describe("GET /api/health", () => {
  it("reports the database as reachable", async () => {
    const res = await health.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { reachable: true } });
  });
});
