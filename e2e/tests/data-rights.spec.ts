import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { startPlatform, type Platform } from "../support/platform";

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("data-rights");
});
test.afterAll(async () => {
  await platform?.stop();
});

const password = "a long enough password";

test("a user downloads their data, then deletes their account and cannot sign in again", async ({ page }) => {
  const email = `leaver-${Date.now()}@example.test`;
  await page.goto(`${platform.url}/sign-up`);
  await page.getByLabel("Name").fill("Lea Leaver");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/orgs$/);
  await page.goto(`${platform.url}/orgs`);
  await page.getByLabel("Name").fill("Lea's Lab");
  await page.getByLabel("Address (slug)").fill(`lea-${Date.now()}`);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: "Lea's Lab" })).toBeVisible();

  await page.getByRole("link", { name: "Lea Leaver" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data (JSON)" }).click()]);
  const data = JSON.parse(readFileSync(await download.path(), "utf8"));
  expect(data.profile.email).toBe(email);
  expect(data.memberships).toEqual([expect.objectContaining({ organisation: "Lea's Lab", role: "owner" })]);
  expect(JSON.stringify(data)).not.toContain("argon2");

  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("That is not your password.");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(`${platform.url}/`);

  await page.goto(`${platform.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect.");
});

test("an owner makes a class-wide link, sees its uses, exports the organisation and deletes it by typing its name", async ({ browser }) => {
  const owner = await browser.newPage();
  const email = `owner-${Date.now()}@example.test`;
  await owner.goto(`${platform.url}/sign-up`);
  await owner.getByLabel("Name").fill("Otto Owner");
  await owner.getByLabel("Email").fill(email);
  await owner.getByLabel("Password").fill(password);
  await owner.getByRole("button", { name: "Sign up" }).click();
  await expect(owner).toHaveURL(/\/orgs$/);
  await owner.goto(`${platform.url}/orgs`);
  await owner.getByLabel("Name").fill("Evening Class");
  await owner.getByLabel("Address (slug)").fill(`evening-${Date.now()}`);
  await owner.getByRole("button", { name: "Create" }).click();
  await expect(owner.getByRole("heading", { name: "Evening Class" })).toBeVisible();
  await owner.getByRole("link", { name: "Team", exact: true }).click();
  await owner.getByLabel("Who may use it").selectOption("unlimited");
  await owner.getByRole("button", { name: "Create invitation link" }).click();
  const link = await owner.getByLabel("Invitation link").inputValue();

  const student = await (await browser.newContext()).newPage();
  await student.goto(`${platform.url}/sign-up`);
  await student.getByLabel("Name").fill("Stu Dent");
  await student.getByLabel("Email").fill(`student-${Date.now()}@example.test`);
  await student.getByLabel("Password").fill(password);
  await student.getByRole("button", { name: "Sign up" }).click();
  await expect(student).toHaveURL(/\/orgs$/);
  await student.goto(link);
  await student.getByRole("button", { name: "Join" }).click();
  await expect(student.getByRole("heading", { name: "Evening Class" })).toBeVisible();

  await owner.reload();
  await expect(owner.getByRole("row").filter({ hasText: "of unlimited" })).toContainText("1 of unlimited");
  const [download] = await Promise.all([
    owner.waitForEvent("download"),
    owner.getByRole("button", { name: "Download the organisation's data (JSON)" }).click(),
  ]);
  const data = JSON.parse(readFileSync(await download.path(), "utf8"));
  expect(data.members.map((m: { displayName: string }) => m.displayName).sort()).toEqual(["Otto Owner", "Stu Dent"]);
  expect(data.invitations).toEqual([expect.objectContaining({ uses: 1, maxUses: null })]);

  const remove = owner.getByRole("button", { name: "Delete this organisation" });
  await expect(remove).toBeDisabled();
  await owner.getByLabel("Type the organisation's name to confirm").fill("Evening Class");
  await remove.click();
  await expect(owner).toHaveURL(/\/orgs$/);
  await expect(owner.getByText("You are not in an organisation yet.")).toBeVisible();
  await student.goto(`${platform.url}/orgs`);
  await expect(student.getByText("You are not in an organisation yet.")).toBeVisible();
});
