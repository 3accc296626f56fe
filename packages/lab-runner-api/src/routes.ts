import type * as z from "zod";
import { checkOutputSchema, healthOutputSchema, sandboxOutputSchema, startSandboxInputSchema, startSandboxOutputSchema } from "./contract";

/*
 * The one route table of lab-runner's HTTP API. The client builds its URLs from it, the server
 * dispatches by it (its handler map is typed by the JSON routes here, so a route without a server
 * handler does not compile), and the metrics label a request with its route's pattern.
 */

type Method = "GET" | "POST" | "DELETE";

/** A JSON route: the body (when `input` is set) is parsed with `input`, the answer has the shape of `output`. */
interface JsonRoute {
  kind: "json";
  method: Method;
  path: string;
  /** false only for probes: every other route needs `Authorization: Bearer <LAB_RUNNER_SECRET>`. */
  authenticated: boolean;
  input?: z.ZodType;
  output: z.ZodType;
}

/** Served outside the JSON API: Prometheus text, or the terminal's WebSocket upgrade. */
interface OtherRoute {
  kind: "metrics" | "websocket";
  method: "GET";
  path: string;
}

export const labRunnerRoutes = {
  health: { kind: "json", method: "GET", path: "/health", authenticated: false, output: healthOutputSchema },
  startSandbox: {
    kind: "json",
    method: "POST",
    path: "/v1/sandboxes",
    authenticated: true,
    input: startSandboxInputSchema,
    output: startSandboxOutputSchema,
  },
  getSandbox: { kind: "json", method: "GET", path: "/v1/sandboxes/:id", authenticated: true, output: sandboxOutputSchema },
  stopSandbox: { kind: "json", method: "DELETE", path: "/v1/sandboxes/:id", authenticated: true, output: sandboxOutputSchema },
  checkSandbox: { kind: "json", method: "POST", path: "/v1/sandboxes/:id/check", authenticated: true, output: checkOutputSchema },
  metrics: { kind: "metrics", method: "GET", path: "/metrics" },
  terminal: { kind: "websocket", method: "GET", path: "/v1/sandboxes/:id/terminal" },
} as const satisfies Record<string, JsonRoute | OtherRoute>;

type Routes = typeof labRunnerRoutes;
export type RouteName = keyof Routes;
export type JsonRouteName = { [K in RouteName]: Routes[K] extends { kind: "json" } ? K : never }[RouteName];

/** `{ id }` for a pattern with `:id`, else nothing. */
export type RouteParams<N extends RouteName> = Routes[N]["path"] extends `${string}:id${string}` ? { id: string } : Record<string, never>;
/** The parsed request body of a JSON route (undefined when it takes none). */
export type RouteInput<N extends JsonRouteName> = Routes[N] extends { input: z.ZodType } ? z.output<Routes[N]["input"]> : undefined;
/** What the server answers (before JSON) and the client reads back (after parsing). */
export type RouteOutput<N extends JsonRouteName> = z.output<Routes[N]["output"]>;

/** The concrete path of a route, its parameters URL-encoded. */
export function routePath<N extends RouteName>(name: N, params: RouteParams<N>): string {
  const values = params as Partial<Record<string, string>>;
  return labRunnerRoutes[name].path.replace(/:([a-z]+)/g, (_, key: string) => encodeURIComponent(values[key] ?? ""));
}

const compiled = Object.entries(labRunnerRoutes).map(([name, route]) => ({
  name: name as RouteName,
  route: route as JsonRoute | OtherRoute,
  // A parameter matches one path segment; its shape is checked by whoever uses it (an invalid
  // sandbox id is an unknown sandbox, not an unknown route).
  regex: new RegExp(`^${route.path.replace(/:([a-z]+)/g, "(?<$1>[^/]+)")}$`),
}));

export interface RouteMatch {
  name: RouteName;
  route: JsonRoute | OtherRoute;
  params: Partial<Record<string, string>>;
}

/** Every route whose pattern matches `pathname`, whatever its method. */
export function matchRoutes(pathname: string): RouteMatch[] {
  return compiled.flatMap(({ name, route, regex }) => {
    const match = regex.exec(pathname);
    if (!match) return [];
    const params: Partial<Record<string, string>> = {};
    for (const [key, value] of Object.entries(match.groups ?? {})) {
      try {
        params[key] = decodeURIComponent(value);
      } catch {
        // A malformed escape cannot name a sandbox; keep the raw text, which then fails validation.
        params[key] = value;
      }
    }
    return [{ name, route, params }];
  });
}

/** The route a request is for, or null (no such path, or not with this method). */
export function findRoute(method: string, pathname: string): RouteMatch | null {
  return matchRoutes(pathname).find((m) => m.route.method === method) ?? null;
}
