import { describe, expect, it } from "vitest";
import { toInlines } from "./inlines";

const link = (href: string) => ({ kind: "link", text: href, href });

describe("toInlines", () => {
  it("makes URLs links and leaves sentence punctuation outside them", () => {
    expect(toInlines("See https://a.b/c. Then more")).toEqual([
      { kind: "text", text: "See " },
      link("https://a.b/c"),
      { kind: "text", text: ". Then more" },
    ]);
  });

  it("separates URLs the extraction glued together", () => {
    expect(toInlines("https://a.b/x-jakhttps://c.d/y")).toEqual([link("https://a.b/x-jak"), { kind: "text", text: " " }, link("https://c.d/y")]);
  });

  it("rejoins a URL the margin broke before a path fragment", () => {
    expect(toInlines("https://a.b/ssb_ 182893.pdf")).toEqual([link("https://a.b/ssb_182893.pdf")]);
    expect(toInlines("https://a.b/Madrid_ Big_Data.pdf")).toEqual([link("https://a.b/Madrid_Big_Data.pdf")]);
  });
});
