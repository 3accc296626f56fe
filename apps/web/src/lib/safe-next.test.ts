import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps same-site paths", () => expect(safeNext("/invite/abc")).toBe("/invite/abc"));
  it.each(["//evil.example", "https://evil.example", "/\\evil.example", "", undefined])("refuses %s", (next) => expect(safeNext(next)).toBe("/home"));
});
