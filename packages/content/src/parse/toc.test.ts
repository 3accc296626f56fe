import { describe, expect, it } from "vitest";
import { parseToc } from "./toc";

describe("parseToc", () => {
  it("reads parts, garbled numbers and unnumbered entries, and restores entries the extraction lost", () => {
    const toc = parseToc([
      "Ι\tIn\ttroduction\t9",
      "1\tHov\tv To Use This Cookbook\t10",
      "\t1.1\tFirst\t11",
      "\t\tKerberos Tickets\t\t\t26",
      "\t\t\t-, -\t19",
      "\t\t1.2.2\tSecond\t16",
      "1\t.3\tThird\t\t•\t\t22",
      "\\mathbf{II}\tMore\t12",
      "2 .\tTwo\t73",
    ]);
    expect(toc).toEqual([
      { kind: "part", number: 1 },
      { kind: "numbered", path: [1] },
      { kind: "numbered", path: [1, 1] },
      { kind: "unnumbered", title: "Kerberos Tickets" },
      { kind: "numbered", path: [1, 2] },
      { kind: "numbered", path: [1, 2, 1] },
      { kind: "numbered", path: [1, 2, 2] },
      { kind: "numbered", path: [1, 3] },
      { kind: "part", number: 2 },
      { kind: "numbered", path: [2] },
    ]);
  });
});
