import { describe, expect, it } from "vitest";
import { groupBy } from "./group-by";

describe("groupBy", () => {
  it("groups rows by their key, keeping input order within a group and first-seen order of keys", () => {
    const rows = [
      { user: "b", n: 1 },
      { user: "a", n: 2 },
      { user: "b", n: 3 },
    ];
    const grouped = groupBy(rows, (r) => r.user);
    expect([...grouped.keys()]).toEqual(["b", "a"]);
    expect(grouped.get("b")?.map((r) => r.n)).toEqual([1, 3]);
    expect(grouped.get("a")?.map((r) => r.n)).toEqual([2]);
  });

  it("gives an empty map for no rows", () => {
    expect(groupBy([], (r: { k: string }) => r.k).size).toBe(0);
  });
});
