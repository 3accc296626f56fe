import { describe, expect, it } from "vitest";
import { parseLabMarkdown, splitInlines } from "./lab-markdown";

describe("lab markdown", () => {
  it("splits paragraphs, headings, lists and fenced code", () => {
    const text = [
      "Create a topic with **3 partitions**.",
      "It holds readings.",
      "",
      "## Try it",
      "- first item",
      "  continued",
      "- second",
      "",
      "1. one",
      "2. two",
      "```bash",
      "kafka-topics.sh --create \\",
      "  --topic sensor-readings",
      "```",
      "Done.",
    ].join("\n");
    expect(parseLabMarkdown(text)).toEqual([
      { kind: "paragraph", text: "Create a topic with **3 partitions**. It holds readings." },
      { kind: "heading", text: "Try it" },
      { kind: "list", ordered: false, items: ["first item continued", "second"] },
      { kind: "list", ordered: true, items: ["one", "two"] },
      { kind: "code", code: "kafka-topics.sh --create \\\n  --topic sensor-readings", lang: "bash" },
      { kind: "paragraph", text: "Done." },
    ]);
  });

  it("keeps an unterminated code fence to the end", () => {
    expect(parseLabMarkdown("```\nls -l")).toEqual([{ kind: "code", code: "ls -l", lang: "" }]);
  });

  it("splits inline code, emphasis and http(s) links only", () => {
    expect(splitInlines("Run `ls` **now**, *then* see [docs](https://kafka.apache.org) or [here](javascript:alert(1))")).toEqual([
      { kind: "text", text: "Run " },
      { kind: "code", text: "ls" },
      { kind: "text", text: " " },
      { kind: "strong", text: "now" },
      { kind: "text", text: ", " },
      { kind: "em", text: "then" },
      { kind: "text", text: " see " },
      { kind: "link", text: "docs", href: "https://kafka.apache.org" },
      { kind: "text", text: " or [here](javascript:alert(1))" },
    ]);
  });

  it("leaves snake_case and lone asterisks alone", () => {
    expect(splitInlines("KAFKA_BOOTSTRAP_SERVERS is set; 2 * 3")).toEqual([{ kind: "text", text: "KAFKA_BOOTSTRAP_SERVERS is set; 2 * 3" }]);
  });
});
