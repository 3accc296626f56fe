import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadApi } from "../../testing/api-client";

const { pool, callerFor, lucia } = await loadApi();
afterAll(() => pool.end());

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

  it("marks the cookie Secure behind TLS", async () => {
    const { createContext } = await import("../context");
    const resHeaders = new Headers();
    const { createCaller } = await import("../root");
    const ctx = await createContext({ headers: new Headers({ "x-forwarded-proto": "https", "x-forwarded-for": "10.1.1.1" }), url: "http://internal/", resHeaders });
    await createCaller(ctx).auth.signUp({ email: newEmail(), password, displayName: "Tls" });
    expect(resHeaders.get("set-cookie")).toMatch(/Secure/);
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const email = newEmail();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Sam" });
    const wrong = await (await callerFor()).api.auth.signIn({ email, password: "wrong password!" }).catch((e: Error) => e);
    const unknown = await (await callerFor()).api.auth.signIn({ email: newEmail(), password }).catch((e: Error) => e);
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: "Email or password is incorrect." });
    expect(unknown).toMatchObject({ code: "UNAUTHORIZED", message: "Email or password is incorrect." });
  });

  it("locks sign-in for an email after 5 failures, even with the right password", async () => {
    const email = newEmail();
    await (await callerFor()).api.auth.signUp({ email, password, displayName: "Lou" });
    for (let i = 0; i < 5; i++) {
      await expect((await callerFor()).api.auth.signIn({ email, password: `nope-${i}-attempt` })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect((await callerFor()).api.auth.signIn({ email, password })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/Too many attempts/),
    });
  });

  it("locks a client address that sprays many emails", async () => {
    const address = `10.200.${Math.floor(Math.random() * 250)}.1`;
    for (let i = 0; i < 5; i++) {
      await expect((await callerFor({ address })).api.auth.signIn({ email: newEmail(), password })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect((await callerFor({ address })).api.auth.signIn({ email: newEmail(), password })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
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
    await expect((await callerFor()).api.auth.signUp({ email: email.toUpperCase(), password: "another password", displayName: "Second" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // The original password still works: nothing was overwritten.
    const signIn = await callerFor();
    await signIn.api.auth.signIn({ email, password });
    expect(await (await callerFor({ cookie: sessionCookie(signIn.resHeaders) })).api.auth.me()).toMatchObject({ displayName: "First" });
  });
});
