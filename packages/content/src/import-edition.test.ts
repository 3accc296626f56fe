import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CHAPTERS, PARTS, SECTIONS } from "./cookbook-contents.fixture";
import { courseProblems } from "./course-problems";
import type { Block, Course, Inline, Lesson } from "./course-model";
import { editions, loadEdition } from "./editions";
import { importEdition } from "./import-edition";
import { lessonsOf } from "./lessons";
import { EditionFormatError } from "./parse/edition-format-error";

const courses = editions.map((edition) => loadEdition(edition.id));

const inlineText = (inlines: Inline[]) => inlines.map((inline) => inline.text).join("");

function blockTexts(block: Block): string[] {
  switch (block.kind) {
    case "paragraph":
      return [inlineText(block.inlines)];
    case "list":
      return block.items.map(inlineText);
    case "table":
      return [...block.header, ...block.rows.flat()];
    case "figure":
      return [block.label, inlineText(block.caption)];
    case "code":
      return [block.code];
    case "heading":
      return [block.text];
  }
}

function lesson(course: Course, number: string): Lesson {
  const found = lessonsOf(course).find((l) => l.number === number);
  if (!found) throw new Error(`no lesson ${number}`);
  return found;
}

const lessonText = (course: Course, number: string) => lesson(course, number).blocks.flatMap(blockTexts).join("\n");

describe.each(courses)("edition $edition", (course) => {
  const chapters = course.parts.flatMap((part) => part.chapters);

  it("has the four parts of the contents, each with its chapters", () => {
    expect(course.title).toBe("The Data Engineering Cookbook");
    expect(course.parts.map((p) => ({ number: p.number, title: p.title, chapters: p.chapters.map((c) => c.number) }))).toEqual(PARTS);
  });

  it("has all 28 chapters with their numbers and clean titles", () => {
    expect(chapters.map((c) => `${c.number} ${c.title}`)).toEqual(CHAPTERS);
    expect(chapters.find((c) => c.number === 7)?.slug).toBe("computer-networking-data-transmission");
  });

  it("has every numbered section of the contents, in order, with its clean title", () => {
    expect(lessonsOf(course).map((l) => `${l.number} ${l.title}`)).toEqual(SECTIONS);
  });

  it("derives key, slug and depth from the number and title", () => {
    expect(lesson(course, "12.2")).toMatchObject({ key: "12.2-at-least-once", slug: "at-least-once", depth: 1 });
    expect(lesson(course, "20.1.2")).toMatchObject({ key: "20.1.2-example", depth: 2 });
    expect(lesson(course, "22.8").key).toBe("22.8-whats-your-solution");
    expect(lesson(course, "28.5").key).toBe("28.5-data-science-booking-com");
  });

  it("passes the structural checks the validate CLI runs", () => {
    expect(courseProblems(course)).toEqual([]);
  });

  it("keeps each section's text", () => {
    expect(lessonText(course, "12.2")).toContain("fleet management of cars");
    const example = lessonText(course, "20.1.2");
    expect(example).toContain("The goal of this exercise is to create average daily values of that sensor's data.");
    expect(example).toContain("(1+5+9)/3");
  });

  it("turns the Hadoop vs Spark comparison into a table", () => {
    expect(lesson(course, "20.2.2").blocks).toContainEqual({
      kind: "table",
      header: ["", "Storage", "Analytics", "Resource Management"],
      rows: [
        ["Hadoop", "Hadoop Distributed File System HDFS", "MapReduce", "YARN (Yet Another Resource Negotiator)"],
        ["Spark", "", "Spark", "Spark Resource Management"],
      ],
    });
  });

  it("turns figure captions into figure blocks", () => {
    expect(lesson(course, "2.1").blocks.at(-1)).toEqual({
      kind: "figure",
      label: "Figure 2.1",
      caption: [{ kind: "text", text: "The Machine Learning Pipeline" }],
    });
    const figures = lessonsOf(course).flatMap((l) => l.blocks.filter((b) => b.kind === "figure"));
    expect(figures).toHaveLength(20);
  });

  it("turns URLs into links, even inside LaTeX the extraction left", () => {
    expect(lesson(course, "13.1").blocks).toEqual([
      {
        kind: "paragraph",
        inlines: [
          { kind: "text", text: "I talked about the difference in this podcast: " },
          {
            kind: "link",
            text: "https://anchor.fm/andreaskayy/embed/episodes/BI-vs-Data-Science-vs-Big-Data-e199hq",
            href: "https://anchor.fm/andreaskayy/embed/episodes/BI-vs-Data-Science-vs-Big-Data-e199hq",
          },
        ],
      },
    ]);
    expect(lessonText(course, "6.2")).toBe(
      "I talked about computer hardware and GPU processing in this podcast: https://anchor.fm/andreaskayy/the-hardware-and-the-GPU-is-super-important-PoDS-030-e23rig",
    );
  });

  it("marks sections without text as outline lessons with no blocks", () => {
    expect(lesson(course, "5.3.1")).toMatchObject({ title: "Scrum", outline: true, blocks: [] });
    expect(lesson(course, "12.2").outline).toBe(false);
    expect(lessonsOf(course).filter((l) => l.outline)).toHaveLength(78);
  });

  it("keeps unnumbered contents entries as headings inside their section", () => {
    expect(lesson(course, "11.2").blocks.at(-1)).toEqual({ kind: "heading", text: "Kerberos Tickets" });
    expect(lesson(course, "18.3").blocks).toEqual([{ kind: "heading", text: "OAuth security" }]);
    const hadoop = lesson(course, "15.5").blocks;
    expect(hadoop.filter((b) => b.kind === "heading").map((b) => blockTexts(b)[0])).toEqual([
      "How does a Hadoop System architecture look like",
      "What tools are usually in a with Hadoop Cluster",
    ]);
    expect(blockTexts(hadoop.at(-1) ?? { kind: "heading", text: "" })).toEqual(["Yarn Zookeeper HDFS Oozie Flume Hive"]);
  });

  it("puts the text before a chapter's first section into its intro", () => {
    const intro = (n: number) => chapters.find((c) => c.number === n)?.intro.flatMap(blockTexts) ?? [];
    expect(intro(15)[0]).toMatch(/^When people talk about big data/);
    expect(intro(1)).toContain("Top users");
    expect(intro(2)).toEqual([]);
  });

  it("joins sentences the extraction broke across blank lines and figures", () => {
    expect(lessonText(course, "13.2")).toContain("coming from the IoT, the Internet of Things side.");
    expect(lessonText(course, "13.3.4")).toContain("to implement and maintain a scaled out solution.");
    expect(
      lesson(course, "2.2")
        .blocks.find((b) => b.kind === "list")
        ?.items.at(-1),
    ).toEqual([
      {
        kind: "text",
        text: 'Most of the time these guys start as traditional solution architects for systems that involve SQL databases, web servers, SAP installations and other "standard" systems.',
      },
    ]);
    expect(lessonText(course, "28.19")).toContain("replace the custom made analytics tool with Apache Spark streaming in the future.");
  });

  it("leaves no extraction noise in titles or text", () => {
    const strings = [
      ...chapters.flatMap((c) => [c.title, ...c.intro.flatMap(blockTexts)]),
      ...lessonsOf(course).flatMap((l) => [l.title, ...l.blocks.flatMap(blockTexts)]),
    ];
    for (const noise of [/[–—-]\s*available\b/i, /\$/, /\\[a-z]/, /[•·]/, /\bSciecne\b/, /\s{2,}/]) {
      expect(strings.filter((s) => noise.test(s))).toEqual([]);
    }
  });

  it("hashes the title and blocks into contentHash", () => {
    const l = lesson(course, "12.2");
    const expected = createHash("sha256")
      .update(JSON.stringify({ title: l.title, blocks: l.blocks }))
      .digest("hex");
    expect(l.contentHash).toBe(expected);
  });
});

describe("importEdition on a broken text", () => {
  const book = (body: string) =>
    ["The Book", "Contents", "I\tIntro\t1", "1\tOne\t2", "\t1.1\tFirst\t2", "\t1.2\tSecond\t3", "Part I Intro", body].join("\n");

  it("imports a minimal book", () => {
    const course = importEdition(book("1 One\n\n1.1 First\n\nText.\n\n1.2 Second"), "test");
    expect(lessonsOf(course).map((l) => [l.key, l.outline])).toEqual([
      ["1.1-first", false],
      ["1.2-second", true],
    ]);
  });

  it("refuses a body that lacks a section of the contents", () => {
    expect(() => importEdition(book("1 One\n\n1.2 Second\n\nText."), "test")).toThrow(EditionFormatError);
    expect(() => importEdition(book("1 One\n\n1.2 Second\n\nText."), "test")).toThrow(/section 1\.1 .*missing in the body/);
  });
});
