import { expect, test } from "@playwright/test";
import { demo, openChapter, signIn, startPlatform, type Platform } from "../support/platform";

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("learner");
});
test.afterAll(async () => {
  await platform?.stop();
});

test("the launcher prints the demo logins", () => {
  for (const email of [demo.owner, demo.instructor, demo.learner]) expect(platform.output()).toContain(email);
  expect(platform.output()).toContain(demo.password);
});

test("a learner reads chapter 12, completes 12.2, and the progress survives a restart", async ({ page }) => {
  await signIn(page, platform, demo.learner);
  await expect(page.getByRole("heading", { name: "Demo Data Team" })).toBeVisible();
  // The course's card (the cohort's week on the same page links the course too).
  await page.getByRole("list", { name: "Courses" }).getByRole("link", { name: "The Data Engineering Cookbook" }).click();

  const chapter = await openChapter(page, "12. Stream Processing");
  await chapter.getByRole("link", { name: /^12\.2 At Least Once/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: /12\.2 At Least Once/ })).toBeVisible();
  await expect(page.locator("article")).toContainText("fleet management");
  await expect(page.getByLabel("Chapter contents")).toContainText("12.3");
  await page.getByRole("button", { name: "Mark complete" }).click();
  await expect(page.getByTestId("lesson-status")).toHaveText("Completed");

  await platform.restart();

  await page.goto(`${platform.url}/home`);
  await expect(page.getByRole("progressbar", { name: /progress/ })).toHaveAttribute("aria-valuenow", "1");
  // "Continue" resumes at the lesson the learner was on.
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /12\.2 At Least Once/ })).toBeVisible();
  await expect(page.getByTestId("lesson-status")).toHaveText("Completed");
  await page.goto(`${platform.url}/courses/data-engineering-cookbook`);
  await expect(page.getByLabel("Chapter 12 progress")).toHaveText(/^1\//);
});

test("previous and next walk through the book", async ({ page }) => {
  await signIn(page, platform, demo.learner);
  await page.goto(`${platform.url}/courses/data-engineering-cookbook`);
  const chapter = await openChapter(page, "12. Stream Processing");
  await chapter.getByRole("link", { name: /^12\.3 / }).click();
  await page.locator("a[rel=prev]").click();
  await expect(page.getByRole("heading", { level: 1, name: /12\.2 / })).toBeVisible();
  await page.locator("a[rel=next]").click();
  await expect(page.getByRole("heading", { level: 1, name: /12\.3 / })).toBeVisible();
});
