import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { demo, type Platform, signIn, startPlatform } from "../support/platform";

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("dashboards");
});
test.afterAll(async () => {
  await platform?.stop();
});

/*
 * The demo seed (apps/web/scripts/seed-demo.ts) puts six classmates beside the demo learner in
 * the Bootcamp, on its schedule: Ada, Ben, Chloé (late in week 1) and Finn (an extension) on
 * track; Dan (half of chapter 5, stuck on the topic's partitions in the Kafka lab) and Eve
 * (inactive since the first days) behind; Lea, the demo learner, not started.
 */
const cohortName = "Data Engineering Bootcamp, weekly";
const kafkaLab = "Produce and consume sensor readings with Kafka";
const everyone = ["Ada Analyst", "Ben Builder", "Chloé Dubois", "Dan Debugger", "Eve Evans", "Finn Fischer", "Lea Learner"];

/** RFC 4180: comma-separated, CRLF (or LF) line ends, fields in double quotes may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (quoted) throw new Error("CSV ends inside a quoted field");
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

const gradebookTable = (page: Page) => page.getByRole("table", { name: /^Gradebook: learners by chapters and labs/ });
const learnerRow = (page: Page, name: string) =>
  gradebookTable(page)
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader").getByRole("link", { name, exact: true }) });

test("the instructor filters the Bootcamp's gradebook to the learners behind, opens one, and downloads the CSV", async ({ page }) => {
  await signIn(page, platform, demo.instructor);
  await page.goto(`${platform.url}/cohorts`);
  await page.getByRole("link", { name: cohortName, exact: true }).click();
  await page.getByRole("link", { name: "Gradebook", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Gradebook of ${cohortName}` })).toBeVisible();
  const gradebookUrl = page.url();

  // Everyone, by name, with the seeded patterns in their rows.
  await expect(gradebookTable(page).getByRole("rowheader").getByRole("link")).toHaveText(everyone);
  await expect(learnerRow(page, "Chloé Dubois")).toContainText("2 late");
  await expect(learnerRow(page, "Finn Fischer")).toContainText("extended");
  await expect(learnerRow(page, "Lea Learner")).toContainText("Not started");

  // Behind: only Dan and Eve.
  const filters = page.getByRole("navigation", { name: "Filter learners" });
  await filters.getByRole("link", { name: "Behind", exact: true }).click();
  await expect(page).toHaveURL(/\/gradebook\?filter=behind$/);
  await expect(filters.getByText("Behind", { exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("2 learners match the filter.")).toBeVisible();
  await expect(gradebookTable(page).getByRole("rowheader").getByRole("link")).toHaveText(["Dan Debugger", "Eve Evans"]);
  for (const name of ["Dan Debugger", "Eve Evans"]) await expect(learnerRow(page, name)).toContainText("Behind");
  // The at-risk list names why.
  const atRisk = page.getByRole("list", { name: "Learners at risk" });
  await expect(atRisk.getByRole("listitem").filter({ hasText: "Dan Debugger" })).toContainText("failed step create-topic 3 times");
  await expect(atRisk.getByRole("listitem").filter({ hasText: "Eve Evans" })).toContainText(/inactive for (1\d|[2-9]\d) days/);
  await expect(atRisk).not.toContainText("Ada Analyst");

  // Dan's page: standing, timeline and every attempt with the grader's feedback.
  await gradebookTable(page).getByRole("link", { name: "Dan Debugger", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dan Debugger" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Standing" })).toContainText("Behind");
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByRole("row").filter({ hasText: `Checked the lab ${kafkaLab}: 6/8` })).toHaveCount(1);
  await expect(timeline.getByRole("row").filter({ hasText: `Started the lab ${kafkaLab}` })).toHaveCount(2);
  await expect(timeline.getByRole("row").filter({ hasText: 'Completed the lesson "' })).toHaveCount(5);
  const attempts = page.getByRole("table", { name: "Dan Debugger's lab attempts, newest first" });
  const attemptRows = attempts.getByRole("row").filter({ hasText: kafkaLab });
  await expect(attemptRows).toHaveCount(3);
  await expect(attemptRows.nth(0)).toContainText("6/8");
  await expect(attemptRows.nth(1)).toContainText("3/8");
  await expect(attemptRows.nth(2)).toContainText("0/8");
  await expect(attemptRows.nth(0)).toContainText("✗ Failed Create a topic with three partitions · 0/2 points");
  await expect(attemptRows.nth(0)).toContainText(
    "Topic sensor-readings has 1 partition; this step asks for 3. See the --create and --alter examples in the step.",
  );
  await expect(attemptRows.nth(2)).toContainText("Consumer group sensor-analytics has not committed any offset on topic sensor-readings.");

  // Back to the whole gradebook, and its CSV.
  await page.getByRole("link", { name: `← Gradebook of ${cohortName}` }).click();
  await expect(page).toHaveURL(gradebookUrl);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV", exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^gradebook-data-engineering-bootcamp-weekly-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const text = await readFile(path, "utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  const [header = [], ...rows] = parseCsv(text.slice(1));

  expect(header.slice(0, 6)).toEqual([
    "learner",
    "email",
    "status",
    "Chapter 2: Data Engineer vs Data Scientists",
    "Chapter 5: Agile Development",
    "Chapter 6: Learn how a Computer Works",
  ]);
  // Book order: a chapter's labs right after it (21.3's lab, then 21.5's).
  const kafkaColumn = header.indexOf(`Lab: ${kafkaLab}`);
  const chapterColumn = header.indexOf("Chapter 21: Apache Kafka");
  expect(chapterColumn).toBeGreaterThan(0);
  expect(header.slice(chapterColumn + 1, kafkaColumn + 1)).toEqual(["Lab: Kafka partitions, keys and consumer groups", `Lab: ${kafkaLab}`]);
  expect(rows.map((r) => r[0])).toEqual(everyone);
  for (const r of rows) expect(r).toHaveLength(header.length);
  const row = (name: string) => {
    const found = rows.find((r) => r[0] === name) ?? [];
    const cell = (column: string) => found[header.indexOf(column)];
    return { email: found[1], status: found[2], ch2: cell(header[3] ?? ""), ch5: cell(header[4] ?? ""), kafka: found[kafkaColumn] };
  };
  expect(row("Ada Analyst")).toEqual({ email: "ada@demo.test", status: "on_track", ch2: "done", ch5: "done", kafka: "8" });
  expect(row("Ben Builder")).toEqual({ email: "ben@demo.test", status: "on_track", ch2: "done", ch5: "done", kafka: "5" });
  expect(row("Chloé Dubois")).toEqual({ email: "chloe@demo.test", status: "on_track", ch2: "late", ch5: "late", kafka: "8" });
  expect(row("Dan Debugger")).toEqual({ email: "dan@demo.test", status: "behind", ch2: "done", ch5: "", kafka: "6" });
  expect(row("Eve Evans")).toEqual({ email: "eve@demo.test", status: "behind", ch2: "done", ch5: "", kafka: "" });
  // Done within the extension: not late.
  expect(row("Finn Fischer")).toEqual({ email: "finn@demo.test", status: "on_track", ch2: "done", ch5: "done", kafka: "" });
  expect(row("Lea Learner")).toEqual({ email: demo.learner, status: "not_started", ch2: "", ch5: "", kafka: "" });
});
