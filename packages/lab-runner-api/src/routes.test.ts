import { describe, expect, it } from "vitest";
import { findRoute, matchRoutes, routePath } from "./routes";

describe("lab-runner route table", () => {
  it("builds paths from patterns, escaping parameters", () => {
    expect(routePath("startSandbox", {})).toBe("/v1/sandboxes");
    expect(routePath("checkSandbox", { id: "sb-1" })).toBe("/v1/sandboxes/sb-1/check");
    expect(routePath("getSandbox", { id: "a/b?c" })).toBe("/v1/sandboxes/a%2Fb%3Fc");
  });

  it("finds a route by method and path, and only with its method", () => {
    expect(findRoute("DELETE", "/v1/sandboxes/sb-1")).toMatchObject({ name: "stopSandbox", params: { id: "sb-1" } });
    expect(findRoute("GET", "/v1/sandboxes/sb-1")).toMatchObject({ name: "getSandbox" });
    expect(findRoute("POST", "/v1/sandboxes/sb-1/check")).toMatchObject({ name: "checkSandbox" });
    expect(findRoute("GET", "/v1/sandboxes/sb-1/check")).toBeNull();
    expect(findRoute("GET", "/v1/sandboxes/sb-1/extra")).toBeNull();
  });

  it("gives the pattern (the metrics label) whatever the method, and decodes parameters", () => {
    expect(matchRoutes("/v1/sandboxes/sb%2D9/terminal").map((m) => [m.route.path, m.params.id])).toEqual([["/v1/sandboxes/:id/terminal", "sb-9"]]);
    expect(matchRoutes("/v1/sandboxes/%E0%A4%A").map((m) => m.params.id)).toEqual(["%E0%A4%A", "%E0%A4%A"]);
    expect(matchRoutes("/nowhere")).toEqual([]);
  });
});
