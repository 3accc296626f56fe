import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { demo, signIn, startPlatform, type Platform } from "../support/platform";

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("cohorts");
});
// One browser context per person (their own cookies and time zone), closed after the test.
const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});
test.afterAll(async () => {
  platform?.setClockOffset(0);
  await platform?.stop();
});

const course = "data-engineering-cookbook";
const DAY = 24 * 60 * 60 * 1000;

/*
 * The schedule the test writes: one chapter a week, opening at 00:00 UTC on today's weekday,
 * due two days later. In the current edition the first chapters with text are 2 (three lessons)
 * and 5 (chapters 1, 3 and 4 have nothing to complete, so they get no dates), so chapter 2 is
 * open from today and chapter 5 opens in a week. UTC keeps the arithmetic free of DST.
 */
const startedAt = Date.now();
const today = new Date(startedAt).toISOString().slice(0, 10);
const midnight = Date.parse(`${today}T00:00:00Z`);
const weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
// Spelled out: Intl's en-GB short month for September is "Sept" in current ICU, the app writes "Sep".
const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const todaysWeekday = weekdayNames[new Date(midnight).getUTCDay()] as string;
const dates = {
  firstOpens: new Date(midnight),
  firstDue: new Date(midnight + 2 * DAY),
  secondOpens: new Date(midnight + 7 * DAY),
  secondDue: new Date(midnight + 9 * DAY),
  secondExtended: new Date(midnight + 12 * DAY),
};
const first = {
  number: 2,
  title: "Data Engineer vs Data Scientists",
  lessons: ["2.1 Data Scientist", "2.2 Data Engineer", "2.3 Who Companies Need"],
} as const;
const second = { number: 5, title: "Agile Development", lesson: "5.1 Why is agile so important?" };

/**
 * An instant in UTC as the app writes it ("Mon 8 Dec, 09:00"; the year only when it is not the
 * year of `reference`, the server's clock), written out here so the test does not reuse the
 * formatter it checks.
 */
function utc(at: Date, reference: Date): string {
  const weekday = weekdayNames[at.getUTCDay()]?.slice(0, 3);
  const month = monthNames[at.getUTCMonth()];
  const year = at.getUTCFullYear() === reference.getUTCFullYear() ? "" : ` ${at.getUTCFullYear()}`;
  return `${weekday} ${at.getUTCDate()} ${month}${year}, ${at.toISOString().slice(11, 16)}`;
}

/**
 * What the learner's browser (in Berlin) adds after a cohort time: its own wall-clock time. The
 * test's times are 00:00 UTC, the same day in Berlin, so the time alone.
 */
function berlin(at: Date): string {
  return ` (${at.toLocaleTimeString("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })} your time)`;
}

async function newPage(browser: Browser, timezoneId: string): Promise<Page> {
  const context = await browser.newContext({ timezoneId });
  contexts.push(context);
  return context.newPage();
}

async function completeLesson(page: Page, lesson: string) {
  await expect(page.getByRole("heading", { level: 1, name: lesson })).toBeVisible();
  await page.getByRole("button", { name: "Mark complete" }).click();
  await expect(page.getByTestId("lesson-status")).toHaveText("Completed");
}

const rosterRow = (page: Page, name: string) => page.getByRole("region", { name: "Roster" }).getByRole("row", { name: new RegExp(name) });

const outlineChapter = (page: Page, chapter: { number: number; title: string }, locked = false) =>
  page.getByRole("group", { name: `Chapter ${chapter.number}: ${chapter.title}${locked ? " (locked)" : ""}`, exact: true });

test("an instructor's cohort from a template: a newcomer joins by link, sees chapters open and locked, completes late, gets an extension", async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const cohortName = "Evening Cohort, one chapter a week";
  const templateName = "One chapter a week";
  const newcomer = { name: "Nora Newcomer", email: `nora-${startedAt}@example.test`, password: "a long enough password" };

  // The instructor writes a template and creates a cohort from it.
  const instructor = await newPage(browser, "UTC");
  await signIn(instructor, platform, demo.instructor);
  await instructor.goto(`${platform.url}/cohorts`);
  const templateForm = instructor.getByRole("form", { name: "New schedule template" });
  await templateForm.getByLabel("Template name").fill(templateName);
  await templateForm.getByLabel("Chapters per week").fill("1");
  await templateForm.getByLabel("Opening weekday").selectOption({ label: todaysWeekday });
  await templateForm.getByLabel("Opening time").fill("00:00");
  await templateForm.getByLabel("Due after (days)").fill("2");
  await templateForm.getByRole("button", { name: "Create template" }).click();
  await expect(instructor.getByRole("heading", { name: templateName, exact: true })).toBeVisible();

  const cohortForm = instructor.getByRole("form", { name: "New cohort" });
  await cohortForm.getByLabel("Cohort name").fill(cohortName);
  await cohortForm.getByLabel("Course").selectOption({ label: "The Data Engineering Cookbook" });
  await cohortForm.getByLabel("Start date").fill(today);
  await cohortForm.getByLabel("End date").fill(new Date(midnight + 70 * DAY).toISOString().slice(0, 10));
  await cohortForm.getByLabel("Time zone").fill("UTC");
  await cohortForm.getByLabel("Schedule").selectOption({ label: `Template: ${templateName}` });
  await cohortForm.getByRole("button", { name: "Create cohort" }).click();
  await expect(instructor).toHaveURL(/\/cohorts\/[0-9a-f-]{36}$/);
  const cohortPage = instructor.url();
  await expect(instructor.getByRole("heading", { level: 1, name: cohortName })).toBeVisible();
  const link = await instructor.getByLabel("Cohort invitation link").inputValue();
  expect(link).toMatch(/\/join\/[\w-]+$/);

  // A newcomer signs up through the cohort's link and joins it.
  const learner = await newPage(browser, "Europe/Berlin");
  await learner.goto(link);
  // The code alone does not reveal the cohort: signed out, the page only offers to sign in or up.
  await expect(learner.getByRole("heading", { name: "Join a cohort" })).toBeVisible();
  await learner.getByRole("link", { name: "create an account" }).click();
  await learner.getByLabel("Name").fill(newcomer.name);
  await learner.getByLabel("Email").fill(newcomer.email);
  await learner.getByLabel("Password").fill(newcomer.password);
  await learner.getByRole("button", { name: "Sign up" }).click();
  await expect(learner.getByRole("heading", { name: `Join ${cohortName}` })).toBeVisible();
  await expect(learner.getByRole("definition").filter({ hasText: "Demo Data Team" })).toBeVisible();
  await learner.getByRole("button", { name: `Join ${cohortName}` }).click();
  // Joining lands on the home page, with the week in the cohort: the first chapter open and due, the second not yet.
  const week = learner.getByRole("region", { name: `This week in ${cohortName}` });
  await expect(week.getByRole("region", { name: "Open now" })).toContainText(`Chapter ${first.number}: ${first.title}`);
  await expect(week.getByRole("region", { name: "Due in the next 7 days" })).toContainText(`Chapter ${first.number}: ${first.title}`);
  await expect(week).not.toContainText(`Chapter ${second.number}: ${second.title}`);

  // The demo learner is in the Bootcamp for the same course: the link refuses them.
  const other = await newPage(browser, "UTC");
  await signIn(other, platform, demo.learner);
  await other.goto(link);
  await other.getByRole("button", { name: `Join ${cohortName}` }).click();
  await expect(other.getByRole("alert").filter({ hasText: "already in" })).toHaveText(
    "You are already in Data Engineering Bootcamp, weekly for this course.",
  );

  // The instructor's roster has the newcomer, not started; the schedule table has the rule's dates.
  await instructor.reload();
  await expect(rosterRow(instructor, newcomer.name)).toContainText("Not started");
  await expect(instructor.getByRole("row", { name: new RegExp(`^Chapter ${second.number}: ${second.title}`) })).toContainText(
    `${utc(dates.secondOpens, new Date())} UTC${utc(dates.secondDue, new Date())} UTC`,
  );

  // The first scheduled chapter is open, the second locked until next week.
  const realNow = new Date();
  await learner.goto(`${platform.url}/courses/${course}`);
  const firstChapter = outlineChapter(learner, first);
  await expect(firstChapter.getByTestId("chapter-dates")).toContainText(
    `Opened ${utc(dates.firstOpens, realNow)} UTC${berlin(dates.firstOpens)} · Due ${utc(dates.firstDue, realNow)} UTC${berlin(dates.firstDue)}`,
  );
  await expect(firstChapter.getByRole("img", { name: "Locked" })).toHaveCount(0);
  const secondChapter = outlineChapter(learner, second, true);
  await expect(secondChapter.getByRole("img", { name: "Locked" })).toBeVisible();
  await expect(secondChapter.getByTestId("chapter-dates")).toContainText(
    `Opens ${utc(dates.secondOpens, realNow)} UTC${berlin(dates.secondOpens)} · Due ${utc(dates.secondDue, realNow)} UTC${berlin(dates.secondDue)}`,
  );
  await secondChapter.getByText(`${second.number}. ${second.title}`).click();
  await secondChapter.getByRole("link", { name: second.lesson }).click();
  await expect(learner.getByRole("heading", { level: 1, name: second.lesson })).toBeVisible();
  await expect(learner.getByRole("status", { name: "Locked" })).toContainText(`Locked until ${utc(dates.secondOpens, realNow)} (UTC).`);
  await expect(learner.getByRole("button", { name: "Mark complete" })).toHaveCount(0);

  // Before its due time the newcomer completes the first lesson of the first chapter...
  await learner.goto(`${platform.url}/courses/${course}`);
  await firstChapter.getByText(`${first.number}. ${first.title}`).click();
  await firstChapter.getByRole("link", { name: first.lessons[0] }).click();
  await completeLesson(learner, first.lessons[0]);

  // ...then the clock moves an hour past it: the instructor sees them behind.
  const movedNow = new Date(dates.firstDue.getTime() + 60 * 60 * 1000);
  platform.setClockOffset(movedNow.getTime() - Date.now());
  await instructor.goto(cohortPage);
  await expect(rosterRow(instructor, newcomer.name)).toContainText("Behind (1 item past due)");

  // The newcomer completes the chapter's other lessons after its due time.
  await learner.reload();
  for (const lesson of first.lessons.slice(1)) {
    await learner.getByLabel("Chapter contents").getByRole("link", { name: lesson }).click();
    await completeLesson(learner, lesson);
  }
  await learner.reload();
  await expect(learner.getByTestId("late-note")).toContainText(`Completed late: the chapter was due ${utc(dates.firstDue, movedNow)} UTC`);

  await learner.goto(`${platform.url}/courses/${course}`);
  await expect(firstChapter.getByText("Late", { exact: true })).toBeVisible();
  await expect(firstChapter.getByText("Done", { exact: true })).toBeVisible();
  await learner.goto(`${platform.url}/home`);
  const openNow = learner.getByRole("region", { name: "Open now" });
  await expect(openNow.getByRole("listitem").filter({ hasText: `Chapter ${first.number}: ${first.title}` })).toContainText("Late");

  // The instructor sees it late too: one item done, late, and the newcomer no longer behind.
  await instructor.goto(cohortPage);
  const row = rosterRow(instructor, newcomer.name);
  await expect(row.getByRole("cell").nth(3)).toHaveText("On track");
  await expect(row.getByRole("cell").nth(4)).toHaveText(/^1 of \d+, 1 late$/);

  // An extension of three days on the second chapter moves the newcomer's due date.
  const extension = instructor.getByRole("form", { name: "Grant an extension" });
  await extension.getByLabel("Learner").selectOption({ label: newcomer.name });
  await extension.getByLabel("Item").selectOption({ label: `Chapter ${second.number}: ${second.title}` });
  await extension.getByLabel("Extra days").fill("3");
  await extension.getByLabel("Reason").fill("Moving house");
  await extension.getByRole("button", { name: "Grant extension" }).click();
  await expect(instructor.getByRole("row", { name: /Moving house/ })).toContainText(`${newcomer.name}${second.title}+3 days`);

  await learner.goto(`${platform.url}/courses/${course}`);
  await expect(secondChapter.getByTestId("chapter-dates")).toContainText(`Due ${utc(dates.secondExtended, movedNow)} UTC`);
  await expect(secondChapter.getByTestId("chapter-dates")).not.toContainText(utc(dates.secondDue, movedNow));
  await expect(secondChapter.getByText("+3 days extension")).toBeVisible();
  await learner.goto(`${platform.url}/home`);
  await expect(learner.getByRole("region", { name: "Your extensions" })).toContainText(`+3 days on ${second.title}`);
});
