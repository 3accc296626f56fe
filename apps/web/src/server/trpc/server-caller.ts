import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { createContext } from "./context";
import { createCaller } from "./root";

/** The tRPC API for server components: same procedures, same middleware, no HTTP hop. */
export const serverApi = cache(async () => {
  const h = new Headers(await headers());
  const url = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}/`;
  return createCaller(await createContext({ headers: h, url, resHeaders: new Headers() }));
});

/** Turns the API's answers into page navigation: sign in, pick an organisation, or 404. */
export async function orRedirect<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TRPCError) {
      if (error.code === "UNAUTHORIZED") redirect("/sign-in");
      if (error.code === "FORBIDDEN") redirect("/orgs");
      // A malformed id in the URL is as absent as an unknown one.
      if (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST") notFound();
    }
    throw error;
  }
}
