import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import { describe, expect, it } from "vitest";
import { loadApi } from "~/server/testing/api-client";

// The address the browser uses; mutations must carry exactly this Origin and this Host.
process.env.PUBLIC_URL = "http://localhost:3000";
const { db, lucia } = await loadApi();
const { POST, GET } = await import("./[trpc]/route");
const health = await import("../health/route");

const post = (path: string, body: unknown, headers: Record<string, string> = { origin: "http://localhost:3000", host: "localhost:3000" }) =>
  POST(
    new Request(`http://localhost:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );

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

async function ownerCookie() {
  const owner = await makeUser(db, "owner");
  const tenant = await makeTenant(db, owner.id);
  const { id } = await lucia.createSession(owner.id, { active_tenant_id: tenant.id });
  return `${lucia.sessionCookieName}=${id}`;
}

const signIn = { email: "batch@example.test", password: "wrong password" };
// From an address of its own, so sign-ins of other test files (all "unknown" in-process) cannot have locked it.
const batchOf = (n: number, call = signIn) =>
  post(
    `${Array.from({ length: n }, () => "auth.signIn").join(",")}?batch=1`,
    Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), call])),
    { origin: "http://localhost:3000", host: "localhost:3000", "x-forwarded-for": "203.0.113.10" },
  );

describe("batched requests", () => {
  it("refuse sign-in inside a batch, so one request cannot make several attempts", async () => {
    const res = await batchOf(10);
    const body = (await res.json()) as { error?: { data?: { code?: string } } }[];
    expect(body).toHaveLength(10);
    for (const call of body) expect(call.error?.data?.code).toBe("BAD_REQUEST");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("answer a batch of more than 10 calls with 400", async () => {
    const res = await post(`${Array.from({ length: 11 }, () => "auth.me").join(",")}?batch=1`, {});
    expect(res.status).toBe(400);
  });

  it("still serve a batch of one, as the browser's batch link sends it", async () => {
    const res = await batchOf(1);
    expect(res.status).toBe(401);
  });
});

describe("the Origin and Host check on orgs.createInvitation", () => {
  const invite = (headers: Record<string, string>, cookie: string) => post("orgs.createInvitation", { role: "learner" }, { ...headers, cookie });

  it("accepts the public origin and host", async () => {
    const res = await invite({ origin: "http://localhost:3000", host: "localhost:3000" }, await ownerCookie());
    expect(res.status).toBe(200);
  });

  it.each([
    ["another scheme", { origin: "https://localhost:3000", host: "localhost:3000" }],
    ["a foreign origin with X-Forwarded-Host to match", { origin: "https://evil.test", host: "localhost:3000", "x-forwarded-host": "evil.test" }],
    ["a foreign Host with a matching Origin (DNS rebinding)", { origin: "http://evil.test:3000", host: "evil.test:3000" }],
    ["user info in the Origin", { origin: "http://evil.test@localhost:3000", host: "localhost:3000" }],
    ["a foreign Host with the public Origin", { origin: "http://localhost:3000", host: "evil.test:3000" }],
    ["user info in the Host", { origin: "http://localhost:3000", host: "evil.test@localhost:3000" }],
  ])("refuses %s", async (_, headers) => {
    const res = await invite(headers, await ownerCookie());
    expect([403, 421]).toContain(res.status);
    expect(JSON.stringify(await res.json())).not.toContain("token");
  });

  it("refuses a query addressed to another host", async () => {
    const res = await GET(new Request("http://localhost:3000/api/trpc/auth.me", { headers: { host: "rebound.evil.test" } }));
    expect(res.status).toBe(421);
  });
});

describe("NUL bytes and malformed ids", () => {
  it.each([
    ["orgs.create name", "orgs.create", { slug: "nul-org", name: "Bad\u0000Name" }],
    ["orgs.changeRole userId", "orgs.changeRole", { userId: "a\u0000b", role: "learner" }],
    ["orgs.removeMember userId", "orgs.removeMember", { userId: "\u0000" }],
    ["auth.signUp displayName", "auth.signUp", { email: "nul@example.test", password: "long enough password", displayName: "\u0000" }],
  ])("answer 400 for a NUL in %s", async (_, path, input) => {
    const res = await post(path, input, { origin: "http://localhost:3000", host: "localhost:3000", cookie: await ownerCookie() });
    expect(res.status).toBe(400);
  });

  it("treat a cookbook_session=%00 cookie as no session", async () => {
    const res = await GET(
      new Request("http://localhost:3000/api/trpc/auth.me", { headers: { host: "localhost:3000", cookie: "cookbook_session=%00" } }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { data: null } });
  });
});

describe("GET /api/health", () => {
  it("reports the database as reachable", async () => {
    const res = await health.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { reachable: true } });
  });
});
