import { describe, expect, it } from "vitest";
import { impliedBy, readTocNumber, successors } from "./section-numbers";

describe("readTocNumber", () => {
  it("takes a clean number that moves forward as written, even across a gap", () => {
    expect(readTocNumber("19.1.2", [19, 1])).toEqual([19, 1, 2]);
    expect(readTocNumber("22.10", [22, 9])).toEqual([22, 10]);
  });

  it("reads garbled numbers as the best-matching successor of the previous entry", () => {
    expect(readTocNumber("1\t9.2\t", [19, 1, 4])).toEqual([19, 2]);
    expect(readTocNumber("2\tn 10\t", [20, 9])).toEqual([20, 10]);
    expect(readTocNumber("28.10\t6", [28, 15])).toEqual([28, 16]);
    expect(readTocNumber("28.1\t1", [28, 10])).toEqual([28, 11]);
    expect(readTocNumber("28 3\t2", [28, 31])).toEqual([28, 32]);
    expect(readTocNumber("2 8 ", [27, 4])).toEqual([28]);
    expect(readTocNumber("20 I\t", [19, 2, 8])).toEqual([20]);
  });

  it("gives up on digits that match no successor", () => {
    expect(readTocNumber("7 7", [2, 3])).toBeUndefined();
  });
});

describe("successors and impliedBy", () => {
  it("lists the numbers that may follow", () => {
    expect(successors([20, 9])).toEqual([[20, 9, 1], [20, 10], [21]]);
    expect(successors([])).toEqual([[1]]);
  });

  it("lists ancestors and lower siblings a number implies", () => {
    expect(impliedBy([20, 1, 3]).slice(-4)).toEqual([[20], [20, 1], [20, 1, 1], [20, 1, 2]]);
  });
});
