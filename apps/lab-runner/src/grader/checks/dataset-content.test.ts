import { describe, expect, it } from "vitest";
import { contentDifference } from "./dataset-content";

const dataset = "timestamp,value\n2016-05-01 00:00:04,21.37\n2016-05-01 00:00:09,21.40\n";

describe("contentDifference", () => {
  it("is null for identical bytes", () => {
    expect(contentDifference(Buffer.from(dataset), dataset)).toBeNull();
  });

  it("compares line counts and sizes when the lengths differ", () => {
    expect(contentDifference(Buffer.from("timestamp,value\n"), dataset)).toBe("it has 1 lines (16 bytes), your dataset 3 lines (68 bytes)");
  });

  it("names the first differing line when the lengths match", () => {
    expect(contentDifference(Buffer.from(dataset.replace("21.40", "21.41")), dataset)).toBe("line 3 is not the same as in your dataset");
  });
});
