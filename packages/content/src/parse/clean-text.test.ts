import { describe, expect, it } from "vitest";
import { cleanLine, cleanTitle, joinWrapped, slugify } from "./clean-text";

describe("cleanLine", () => {
  it("unwraps LaTeX math spans", () => {
    expect(cleanLine(" $I\\ talked\\ about\\ it:\\ https://a.b/c$")).toBe("I talked about it: https://a.b/c");
    expect(cleanLine("$\\label{linux} Linux\\ Tips$")).toBe("Linux Tips");
    expect(cleanLine("$Check \\ out \\ my \\ podcast$")).toBe("Check out my podcast");
    expect(cleanLine("$\\mathrm{May}\\ 18,\\ 2019$")).toBe("May 18, 2019");
  });

  it("keeps only the URL of an unterminated \\verb, dropping the words the OCR invented", () => {
    expect(cleanLine(" $\\verb|https://a.b/with-heroku-and the control of the co$")).toBe("https://a.b/with-heroku-and");
  });

  it("drops stray bullets and extra whitespace", () => {
    expect(cleanLine("Firewalls\t•\t\t•  ")).toBe("Firewalls");
  });
});

describe("cleanTitle", () => {
  it("drops available markers and corrects heading typos", () => {
    expect(cleanTitle("Agile Development – available")).toBe("Agile Development");
    expect(cleanTitle("How to do Machine Learning in production—available")).toBe("How to do Machine Learning in production");
    expect(cleanTitle("Data Sciecne @@Grammarly")).toBe("Data Science @Grammarly");
    expect(cleanTitle("Available Languages - available")).toBe("Available Languages");
  });
});

describe("joinWrapped", () => {
  it("undoes hyphenation at a line break but keeps hyphens that end URLs", () => {
    expect(joinWrapped("a distri-", "buted file system")).toBe("a distributed file system");
    expect(joinWrapped("see https://a.b/at-", "home")).toBe("see https://a.b/at- home");
    expect(joinWrapped("the", "Internet")).toBe("the Internet");
  });
});

describe("slugify", () => {
  it("keeps a-z, 0-9 and single hyphens", () => {
    expect(slugify("What's Your Solution?")).toBe("whats-your-solution");
    expect(slugify("SSL Public & Private Key Certificates")).toBe("ssl-public-private-key-certificates");
    expect(slugify("CPU,RAM,GPU,HDD")).toBe("cpu-ram-gpu-hdd");
  });
});
