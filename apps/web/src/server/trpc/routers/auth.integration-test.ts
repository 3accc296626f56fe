import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "../../clock";
import { loadApi } from "../../testing/api-client";

// One trusted proxy, so a test can show which forwarded headers are believed.
process.env.TRUSTED_PROXIES = "10.1.1.1";
const { pool, callerFor, lucia } = await loadApi();
afterAll(() => pool.end());
afterEach(() => setClock(() => new Date()));

const newAddress = () => `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const password = "correct horse battery";
const newEmail = () => `person-${randomUUID().slice(0, 8)}@Example.test`;

function sessionCookie(resHeaders: Headers): string {
  const raw = resHeaders.get("set-cookie") ?? "";
  const cookie = raw.split(";")[0] ?? "";
  expect(cookie.startsWith(`${lucia.sessionCookieName}=`)).toBe(true);
  return cookie;
}

describe("accounts", () => {
  it("signs up, signs in case-insensitively and signs out", async () => {
    const email = newEmail();
    const signUp = await callerFor();
    await signUp.api.auth.signUp({ email, password, displayName: "Pat" });
    const setCookie = signUp.resHeaders.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);

    const signIn = await callerFor();
    await signIn.api.auth.signIn({ email: email.toUpperCase(), password });
    const cookie = sessionCookie(signIn.resHeaders);

    const me = await callerFor({ cookie });
    expect(await me.api.auth.me()).toMatchObject({ email: email.toLowerCase(), displayName: "Pat" });
    await me.api.auth.signOut();
    expect(me.resHeaders.get("set-cookie")).toMatch(/Max-Age=0/);
    expect(await (await callerFor({ cookie })).api.auth.me()).toBeNull();
  });

  it("marks the cookie Secure behind TLS, as a trusted proxy says, not as a client claims", async () => {
    const { createContext } = await import("../context");
    const { createCaller } = await import("../root");
    const signUpVia = async (forwardedFor: string) => {
      const resHeaders = new Headers();
      const headers = new Headers({ "x-forwarded-proto": "https", "x-forwarded-for": forwardedFor });
      await createCaller(await createContext({ headers, url: "http://internal/", resHeaders })).auth.signUp({
        email: newEmail(),
        password,
        displayName: "Tls",
      });
      return resHeaders.get("set-cookie");
    };
    expect(await signUpVia("203.0.113.9, 10.1.1.1")).toMatch(/Secure/);
    expect(await signUpVia("10.2.2.2")).not.toMatch(/Secure/);
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const email = newEmail();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Sam" });
    const wrong = await (await callerFor()).api.auth.signIn({ email, password: "wrong password!" }).catch((e: Error) => e);
    const unknown = await (await callerFor()).api.auth.signIn({ email: newEmail(), password }).catch((e: Error) => e);
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: "Email or password is incorrect." });
    expect(unknown).toMatchObject({ code: "UNAUTHORIZED", message: "Email or password is incorrect." });
  });

  it("locks sign-in for an email from one address after 5 failures, even with the right password", async () => {
    const email = newEmail();
    const address = newAddress();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Lou" });
    for (let i = 0; i < 5; i++) {
      await expect((await callerFor({ address })).api.auth.signIn({ email, password: `nope-${i}-attempt` })).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    await expect((await callerFor({ address })).api.auth.signIn({ email, password })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/Too many attempts/),
    });
  });

  it("checks at most 5 passwords of 12 concurrent sign-ins, so the right one last does not get in", async () => {
    const email = newEmail();
    const address = newAddress();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Race" });
    const attempts = Array.from({ length: 12 }, (_, i) => (i === 11 ? password : `wrong-password-${i}`));
    const results = await Promise.all(
      attempts.map(async (p) =>
        (await callerFor({ address })).api.auth.signIn({ email, password: p }).then(
          () => "OK",
          (e: { code: string }) => e.code,
        ),
      ),
    );
    const checked = results.filter((r) => r === "OK" || r === "UNAUTHORIZED");
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(7);
    // The right password counts only if it was one of the 5 checked (which clears the lock); otherwise the lock holds.
    const after = await (await callerFor({ address })).api.auth.signIn({ email, password }).then(
      () => "OK",
      (e: { code: string }) => e.code,
    );
    expect(after).toBe(results[11] === "OK" ? "OK" : "TOO_MANY_REQUESTS");
  });

  it("a stranger's failures from another address do not lock the owner out", async () => {
    const email = newEmail();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Owner" });
    const stranger = newAddress();
    for (let i = 0; i < 8; i++)
      await (await callerFor({ address: stranger })).api.auth.signIn({ email, password: `guess-${i}-guess` }).catch(() => undefined);
    await expect((await callerFor({ address: stranger })).api.auth.signIn({ email, password })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect((await callerFor({ address: newAddress() })).api.auth.signIn({ email, password })).resolves.toEqual({ ok: true });
  });

  it("a lock lasts LOGIN_LOCK_MINUTES on the clock, and the next one twice as long", async () => {
    const email = newEmail();
    const address = newAddress();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Clock" });
    let t = Date.parse("2031-03-01T10:00:00Z");
    setClock(() => new Date(t));
    const wrong = async () =>
      (await callerFor({ address })).api.auth.signIn({ email, password: "not-the-password" }).then(
        () => "OK",
        (e: { code: string }) => e.code,
      );
    for (let i = 0; i < 5; i++) expect(await wrong()).toBe("UNAUTHORIZED");
    expect(await wrong()).toBe("TOO_MANY_REQUESTS");
    t += 15 * 60_000;
    for (let i = 0; i < 5; i++) expect(await wrong()).toBe("UNAUTHORIZED");
    t += 29 * 60_000;
    await expect((await callerFor({ address })).api.auth.signIn({ email, password })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringContaining("1 minute"),
    });
    t += 60_000;
    await expect((await callerFor({ address })).api.auth.signIn({ email, password })).resolves.toEqual({ ok: true });
  });

  it("locks a client address that sprays many emails (4 × LOGIN_MAX_FAILURES)", async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i++) {
      await expect((await callerFor({ address })).api.auth.signIn({ email: newEmail(), password })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect((await callerFor({ address })).api.auth.signIn({ email: newEmail(), password })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
  });

  it("refuses text with a NUL byte as bad input, and a malformed session cookie is no session", async () => {
    await expect((await callerFor()).api.auth.signUp({ email: newEmail(), password, displayName: "Nul\u0000Byte" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    for (const cookie of [
      `${lucia.sessionCookieName}=%00`,
      `${lucia.sessionCookieName}=%E0%A4%A`,
      `${lucia.sessionCookieName}=${"a".repeat(5000)}`,
    ]) {
      expect(await (await callerFor({ cookie })).api.auth.me()).toBeNull();
    }
  });

  it("refuses bad input with a readable message and creates nothing", async () => {
    const email = newEmail();
    const error = await (await callerFor()).api.auth.signUp({ email, password: "short", displayName: "" }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const signIn = await (await callerFor()).api.auth.signIn({ email, password: "short" }).catch((e: Error) => e);
    expect(signIn).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("does not create a second account for a taken email", async () => {
    const email = newEmail();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "First" });
    await expect(
      (await callerFor()).api.auth.signUp({ email: email.toUpperCase(), password: "another password", displayName: "Second" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // The original password still works: nothing was overwritten.
    const signIn = await callerFor();
    await signIn.api.auth.signIn({ email, password });
    expect(await (await callerFor({ cookie: sessionCookie(signIn.resHeaders) })).api.auth.me()).toMatchObject({ displayName: "First" });
  });
});
