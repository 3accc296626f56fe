import { expect, test } from "@playwright/test";
import { demo, signIn, startPlatform, type Platform } from "../support/platform";
import { atPrompt } from "../support/terminal";

const lessonPath = "/courses/data-engineering-cookbook/20.2.8-how-to-do-stream-processing";

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("lab-streaming");
});
test.afterAll(async () => {
  platform?.setClockOffset(0);
  await platform?.stop();
});

/**
 * The live lab through the browser only: every command comes from the steps' own code blocks by
 * "Run in terminal" (the job's source too, as a heredoc), and the last step passes only because
 * the Spark job started that way is still running when the grader publishes readings of its own.
 */
test("the demo learner runs a Structured Streaming job from the steps' code blocks and passes the live check", async ({ page }) => {
  test.setTimeout(1_200_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, platform, demo.learner);
  await page.goto(`${platform.url}${lessonPath}`);

  const lab = page.getByRole("region", { name: /^Lab: Structured Streaming from Kafka/ });
  // The demo cohort's schedule opens chapter 20 later: the web server's clock moves to an hour after it opens.
  const lock = lab.getByRole("status", { name: "Lab locked" });
  if (await lock.isVisible()) {
    const opens = Date.parse((await lock.locator("time").getAttribute("datetime")) ?? "");
    expect(opens).toBeGreaterThan(Date.now());
    platform.setClockOffset(opens + 3_600_000 - Date.now());
    await page.reload();
  }
  await lab.getByRole("button", { name: "Start lab" }).click();
  const status = lab.getByRole("status", { name: "Lab status" });
  await expect(status).toContainText("Your lab is ready.", { timeout: 240_000 });
  await expect(status.getByRole("list", { name: "Lab services" }).getByRole("listitem")).toHaveText(["Kafka: ready", "Spark: ready"]);

  // The split view: steps on the left, the terminal beside them, both in sight.
  const terminal = lab.getByRole("region", { name: "Lab terminal" });
  const stepsBox = await lab.locator(".lab-instructions").boundingBox();
  const terminalBox = await terminal.boundingBox();
  expect(stepsBox && terminalBox && terminalBox.x >= stepsBox.x + stepsBox.width).toBe(true);
  await expect(terminal.getByRole("status")).toHaveText("Connected");
  await expect.poll(() => atPrompt(terminal), { timeout: 30_000 }).toBe(true);
  const input = terminal.getByRole("textbox", { name: "Terminal input" });

  const steps = lab.getByRole("listitem", { name: /^Step: / });
  await expect(steps).toHaveCount(3);
  /** Pastes one of a step's shell blocks with "Run in terminal", presses Enter, and waits for the prompt. */
  const run = async (step: number, block: number, shows: string, timeout = 120_000) => {
    await steps.nth(step).getByRole("button", { name: "Run in terminal" }).nth(block).click();
    await expect(terminal.locator(".xterm-rows")).toContainText(shows);
    await input.press("Enter");
    await expect.poll(() => atPrompt(terminal), { timeout, intervals: [1000] }).toBe(true);
  };
  // Step 1: the two topics, then every reading as JSON.
  await run(0, 0, "--create --topic sensor-averages");
  await run(0, 1, "kafka-console-producer.sh");
  // Step 2: the job's source (a heredoc), then the job in the background and its first averages.
  await run(1, 0, "cat > averages.py");
  await run(1, 1, "setsid nohup spark-submit", 300_000);
  await expect(terminal.locator(".xterm-rows")).toContainText('"sensor":"hall-a"');

  // The job is still catching up on the day's windows when its first averages show: as a learner
  // would, check again while the feedback says windows are missing (each check takes its time).
  const score = lab.getByRole("status", { name: "Lab score" });
  const check = lab.getByRole("button", { name: "Check my work" });
  await expect(async () => {
    await check.click();
    const checking = lab.getByRole("button", { name: "Checking…" });
    await expect(checking).toBeVisible();
    await expect(checking).toHaveCount(0, { timeout: 200_000 });
    await expect(score).toHaveText(/^Score: 8 \/ 8/, { timeout: 1000 });
  }).toPass({ timeout: 600_000, intervals: [15_000] });
  for (const step of await steps.all()) await expect(step).toContainText("✓ Passed");
  await expect(page.getByTestId("lesson-status")).toHaveText("Completed");

  await lab.getByRole("button", { name: "Stop lab" }).click();
  await expect(status).toContainText("This lab was stopped.");
});
