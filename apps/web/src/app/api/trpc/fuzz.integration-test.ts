import { makeTenant, makeUser } from "@cookbook/db/testing/factories";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadApi } from "~/server/testing/api-client";

/**
 * Property-based fuzzing of the whole API through the real fetch handler, signed in as a real
 * owner: every procedure gets inputs shaped by its own zod schema with adversarial values mixed
 * in (NUL, lone surrogates, huge strings, wrong types, prototype keys), and no answer may be a
 * 5xx or carry a stack trace or a file path. FUZZ_RUNS sets the total (default 10,000).
 */
process.env.PUBLIC_URL = "http://localhost:3000";
// Only internal errors are worth printing among ten thousand requests.
process.env.LOG_LEVEL = "error";
const { db, lucia } = await loadApi();
const { GET, POST } = await import("./[trpc]/route");
const { appRouter } = await import("~/server/trpc/root");

const totalRuns = Number(process.env.FUZZ_RUNS ?? 10_000);
// An address of its own (as web-server.ts would forward it): the fuzzer's thousands of sign-ins lock it, not the
// "unknown" address every other in-process caller shares.
const origin = { origin: "http://localhost:3000", host: "localhost:3000", "x-forwarded-for": "203.0.113.250" };

const huge = "x".repeat(200_000);
const adversarialString = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  huge,
  "__proto__",
  "constructor",
  "' OR 1=1 --",
  "../../etc/passwd",
  "%00",
  "",
  " ",
  "💥".repeat(300),
);
const adversarial: fc.Arbitrary<unknown> = fc.oneof(
  adversarialString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, [], {}, [null], { __proto__: { admin: true } }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown),
  fc.anything({ maxDepth: 2, withNullPrototype: true }),
);

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** An arbitrary for values of the schema's shape, each leaf sometimes replaced by an adversarial value. */
function arbitraryFor(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (s: unknown) => arbitraryFor(s as z.ZodType, depth + 1);
  const shaped = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case "object": {
        const shape = def.shape as Record<string, z.ZodType>;
        return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, inner(v)])), { requiredKeys: Object.keys(shape) });
      }
      case "string": {
        const format = (schema as unknown as { format?: string }).format;
        if (format === "email") return fc.emailAddress();
        if (format === "uuid") return fc.uuid();
        // Free text is where NUL and broken Unicode hurt: half of it is adversarial.
        return fc.oneof(fc.string({ maxLength: 120 }), adversarialString);
      }
      case "number":
      case "int":
        return fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.double({ noNaN: true }));
      case "boolean":
        return fc.boolean();
      case "enum":
        return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
      case "literal":
        return fc.constantFrom(...(def.values as unknown[]));
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
        return fc.option(inner(def.innerType), { nil: undefined });
      case "array":
        return fc.array(inner(def.element), { maxLength: 4 });
      case "union":
        return fc.oneof(...(def.options as z.ZodType[]).map(inner));
      case "pipe":
        return inner(def.in);
      default:
        return fc.anything({ maxDepth: 1 });
    }
  })();
  return depth > 4 ? shaped : fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: adversarial });
}

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures).filter(
  ([, p]) => p._def.type !== "subscription",
);

async function signedInOwner() {
  const owner = await makeUser(db, "fuzz-owner");
  const tenant = await makeTenant(db, owner.id);
  const { id } = await lucia.createSession(owner.id, { active_tenant_id: tenant.id });
  return `${lucia.sessionCookieName}=${id}`;
}

function call(path: string, type: "query" | "mutation", input: unknown, cookie: string): Promise<Response> {
  const encoded = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  if (type === "query") return GET(new Request(`http://localhost:3000/api/trpc/${path}${encoded}`, { headers: { ...origin, cookie } }));
  return POST(
    new Request(`http://localhost:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { ...origin, cookie, "content-type": "application/json" },
      body: input === undefined ? "" : JSON.stringify(input),
    }),
  );
}

// Stack frames ("at fn (file:1:2)"), and paths of our sources or dependencies.
const leak = /\bat [^\s"]+ \(|\bat (?:file:|node:|\/)|\/work\/|node_modules|\.tsx?:\d+/;
/** Lab calls reach no lab-runner here; saying so is the one 5xx a valid input may get (labs-unavailable tests). */
const labsUnavailable = "The lab service is not reachable right now. Try again in a minute.";

describe("the API under fuzzed input", () => {
  it(`answers ${totalRuns} fuzzed calls over ${procedures.length} procedures with no 5xx and no stack trace`, { timeout: 300_000 }, async () => {
    const started = performance.now();
    const perProcedure = Math.ceil(totalRuns / procedures.length);
    let calls = 0;
    const sharedCookie = await signedInOwner();
    async function fuzz([path, procedure]: (typeof procedures)[number]) {
      const schema = procedure._def.inputs[0];
      const input = fc.oneof({ weight: 6, arbitrary: schema ? arbitraryFor(schema) : fc.constant(undefined) }, { weight: 1, arbitrary: adversarial });
      // Procedures that end the caller's session, account or organisation get a caller of their own each time.
      const destructive = /signOut|delete|remove|leave/i.test(path);
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          calls++;
          const res = await call(path, procedure._def.type as "query" | "mutation", value, destructive ? await signedInOwner() : sharedCookie);
          const body = await res.text();
          const allowed5xx = path.startsWith("labs.") && res.status === 503 && body.includes(labsUnavailable);
          if ((res.status >= 500 && !allowed5xx) || leak.test(body)) {
            throw new Error(`${path} answered ${res.status} for ${JSON.stringify(value)?.slice(0, 300)}: ${body.slice(0, 500)}`);
          }
        }),
        { numRuns: perProcedure },
      );
    }
    // A few procedures at a time: requests wait on PostgreSQL more than on the CPU.
    const queue = [...procedures];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await fuzz(next);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.info(`fuzz: ${calls} calls over ${procedures.length} procedures in ${seconds.toFixed(1)} s`);
    expect(calls).toBeGreaterThanOrEqual(totalRuns);
  });
});
