import { initTRPC } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { currentRequestId, observeProcedure, observeRoute } from "./request-scope";

const t = initTRPC.create();
const observed = t.procedure.use(({ path, type, next }) => observeProcedure(path, type, next));
const router = t.router({
  explode: observed.query(() => {
    throw new Error("connection to the database exploded");
  }),
  whoami: observed.query(() => currentRequestId() ?? null),
});

const lines: string[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  if (text.includes('"service":"web"')) lines.push(text);
  else return write(chunk, ...rest);
  return true;
}) as typeof process.stdout.write;
afterEach(() => void lines.splice(0));

const logged = () => lines.map((l) => JSON.parse(l) as { level: string; requestId?: string; procedure?: string; err?: { stack?: string } });

describe("observeProcedure", () => {
  it("logs an internal error with its stack, for the server's log only", async () => {
    await expect(t.createCallerFactory(router)({}).explode()).rejects.toThrow("exploded");
    const line = logged().find((l) => l.level === "error");
    expect(line).toMatchObject({ procedure: "explode", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(line?.err?.stack).toMatch(/connection to the database exploded\n\s+at /);
  });

  it("runs the procedure inside the request's scope, so its calls carry the request id", async () => {
    const route = observeRoute(async () => Response.json(await t.createCallerFactory(router)({}).whoami()));
    const response = await route(new Request("http://127.0.0.1/x", { headers: { "x-request-id": "page-7" } }));
    expect(await response.json()).toBe("page-7");
    expect(response.headers.get("x-request-id")).toBe("page-7");
  });
});
