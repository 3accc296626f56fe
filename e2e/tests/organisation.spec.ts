import { expect, test } from "@playwright/test";
import { demo, signIn, startPlatform, type Platform } from "../support/platform";

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("org");
});
test.afterAll(async () => {
  await platform?.stop();
});

test("an owner invites a newcomer by link; the newcomer signs up, joins, and enrolls", async ({ browser }) => {
  const owner = await browser.newPage();
  await signIn(owner, platform, demo.owner);
  await owner.getByRole("link", { name: "Team", exact: true }).click();
  await owner.getByRole("button", { name: "Create invitation link" }).click();
  const link = await owner.getByLabel("Invitation link").inputValue();
  expect(link).toContain("/invite/");

  const newcomerContext = await browser.newContext();
  const newcomer = await newcomerContext.newPage();
  await newcomer.goto(link);
  await expect(newcomer.getByRole("heading", { name: "Join Demo Data Team" })).toBeVisible();
  await newcomer.getByRole("link", { name: "create an account" }).click();
  await newcomer.getByLabel("Name").fill("Nina Newcomer");
  await newcomer.getByLabel("Email").fill("nina@example.test");
  await newcomer.getByLabel("Password").fill("a long enough password");
  await newcomer.getByRole("button", { name: "Sign up" }).click();
  await newcomer.getByRole("button", { name: "Join" }).click();
  await expect(newcomer.getByRole("heading", { name: "Demo Data Team" })).toBeVisible();
  await newcomer.getByRole("button", { name: "Enroll" }).click();
  await expect(newcomer.getByRole("link", { name: "Continue" })).toBeVisible();

  await owner.goto(`${platform.url}/courses/data-engineering-cookbook/progress`);
  await expect(owner.getByRole("row", { name: /Nina Newcomer/ })).toContainText("0/");
});

test("a wrong password gets one message and the form keeps working", async ({ page }) => {
  await page.goto(`${platform.url}/sign-in`);
  await page.getByLabel("Email").fill(demo.learner);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect.");
  await page.getByLabel("Password").fill(demo.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/home$/);
});

test("a user creates a second organisation and switches back", async ({ page }) => {
  await signIn(page, platform, demo.instructor);
  await page.goto(`${platform.url}/orgs`);
  await page.getByLabel("Name").fill("Evening Cohort");
  await page.getByLabel("Address (slug)").fill("evening-cohort");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: "Evening Cohort" })).toBeVisible();
  await page.goto(`${platform.url}/orgs`);
  await page.getByRole("button", { name: "Open Demo Data Team" }).click();
  await expect(page.getByRole("heading", { name: "Demo Data Team" })).toBeVisible();
});
