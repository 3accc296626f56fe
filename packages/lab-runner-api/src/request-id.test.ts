import { describe, expect, it } from "vitest";
import { requestIdFrom } from "./request-id";

describe("requestIdFrom", () => {
  it("keeps a sane caller id", () => {
    expect(requestIdFrom("web-3f2a.9:1_x")).toBe("web-3f2a.9:1_x");
    expect(requestIdFrom(["abc", "def"])).toBe("abc");
  });

  it("replaces missing, oversized or field-forging ids with a fresh uuid", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, null, "", "x".repeat(129), 'a","level":60', "a b", "line\nbreak"]) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
