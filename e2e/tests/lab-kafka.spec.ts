import { expect, test, type Locator } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { demo, signIn, startPlatform, type Platform } from "../support/platform";
import { atPrompt } from "../support/terminal";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const lessonPath = "/courses/data-engineering-cookbook/21.5-how-to-produce-and-consume-messages";

/** The reference solution's commands, one line each, as a learner would type them. */
function solutionCommands(): string[] {
  const script = readFileSync(path.join(repoRoot, "packages/content/labs/kafka-sensor-readings/solution.sh"), "utf8");
  return script
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("set "));
}

/**
 * Kills the Kafka broker of the platform's sandboxes, as a crash would: the learner's confined
 * shell cannot see it (its own process namespace), so the test does it from outside.
 */
function killBroker(platformName: string): number {
  const sandboxDir = path.join(repoRoot, ".cache", `sandboxes-e2e-${platformName}`);
  const brokers = readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      return cmdline.includes("kafka.Kafka") && cmdline.includes(sandboxDir);
    } catch {
      return false;
    }
  });
  for (const pid of brokers) process.kill(Number(pid), "SIGKILL");
  return brokers.length;
}

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform("lab-kafka");
});
test.afterAll(async () => {
  await platform?.stop();
});

const hintButtons = (scope: Locator) => scope.getByRole("button", { name: /^Show (a|the last) hint/ });

test("the demo learner does the Kafka lab in the page's terminal and passes every step", async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, platform, demo.learner);
  await page.goto(`${platform.url}${lessonPath}`);
  await expect(page.getByTestId("lesson-status")).toHaveText("Not completed");

  const lab = page.getByRole("region", { name: "Lab: Produce and consume sensor readings with Kafka" });
  await expect(lab.getByRole("heading", { name: "Create a topic with three partitions" })).toBeVisible();
  await lab.getByRole("button", { name: "Start lab" }).click();

  const status = lab.getByRole("status", { name: "Lab status" });
  await expect(status).toContainText("Your lab is ready.", { timeout: 180_000 });
  await expect(status.getByRole("list", { name: "Lab services" }).getByRole("listitem")).toHaveText(["Kafka: ready"]);
  await expect(lab.getByRole("timer", { name: "Time left" })).toHaveText(/^Time left: [01]:\d\d:\d\d$/);

  // The split view: the steps on the left, the terminal on the right, both in sight at once.
  const terminal = lab.getByRole("region", { name: "Lab terminal" });
  const stepsBox = await lab.locator(".lab-instructions").boundingBox();
  const terminalBox = await terminal.boundingBox();
  expect(stepsBox && terminalBox && terminalBox.x >= stepsBox.x + stepsBox.width).toBe(true);
  expect(terminalBox && terminalBox.y < 900).toBe(true);
  // The divider moves the split with the keyboard too.
  const divider = lab.getByRole("separator", { name: "Resize steps and terminal" });
  await divider.focus();
  await divider.press("ArrowRight");
  await expect(divider).toHaveAttribute("aria-valuenow", "55");

  // Checking before doing anything fails every step, and only now are hints offered, one at a time.
  const steps = lab.getByRole("listitem", { name: /^Step: / });
  await expect(steps).toHaveCount(3);
  await expect(hintButtons(lab)).toHaveCount(0);
  await lab.getByRole("button", { name: "Check my work" }).click();
  const score = lab.getByRole("status", { name: "Lab score" });
  await expect(score).toHaveText(/^Score: 0 \/ 8/, { timeout: 120_000 });
  for (const step of await steps.all()) {
    await expect(step).toContainText("✗ Not passed yet");
    await expect(step.getByRole("button", { name: /^Show a hint \(1 of \d\)$/ })).toBeVisible();
  }
  // The first step's hints come one by one; the last button warns that it shows the answer.
  const first = steps.first();
  await first.getByRole("button", { name: "Show a hint (1 of 3)" }).click();
  await expect(first.getByRole("list", { name: "Hints" }).getByRole("listitem")).toHaveCount(1);
  await first.getByRole("button", { name: "Show a hint (2 of 3)" }).click();
  await first.getByRole("button", { name: "Show the last hint (3 of 3): it shows the answer" }).click();
  await expect(first.getByRole("list", { name: "Hints" }).getByRole("listitem").last()).toContainText("The answer:");
  await expect(hintButtons(first)).toHaveCount(0);
  await expect(page.getByTestId("lab-progress")).toHaveText("Lab steps passed: 0/3");

  // A broker that dies shows as stopped with its reason, and "Restart services" brings it back.
  expect(killBroker("lab-kafka")).toBe(1);
  await expect(lab.getByRole("alert").filter({ hasText: /Kafka has (stopped|failed)/ })).toBeVisible({ timeout: 30_000 });
  await expect(status).toContainText("Some services of your lab are not running.");
  await lab.getByRole("button", { name: "Restart services" }).click();
  await expect(status).toContainText("Your lab is ready.", { timeout: 120_000 });
  await expect(lab.getByRole("button", { name: "Restart services" })).toHaveCount(0);

  await expect(terminal.getByRole("status")).toHaveText("Connected");
  await expect.poll(() => atPrompt(terminal), { timeout: 30_000 }).toBe(true);
  const input = terminal.getByRole("textbox", { name: "Terminal input" });
  // "Run in terminal" pastes the step's first command at the prompt; Enter runs it.
  const [createTopic, ...rest] = solutionCommands();
  await first.getByRole("button", { name: "Run in terminal" }).first().click();
  await expect(terminal.locator(".xterm-rows")).toContainText("kafka-topics.sh --bootstrap");
  await input.press("Enter");
  await expect.poll(() => atPrompt(terminal), { timeout: 90_000, intervals: [500] }).toBe(true);
  expect(createTopic).toContain("--create --topic sensor-readings --partitions 3");
  for (const command of rest) {
    await input.pressSequentially(command);
    await input.press("Enter");
    // The JVM tools take a few seconds each; the next command waits for the prompt.
    await expect.poll(() => atPrompt(terminal), { timeout: 90_000, intervals: [500] }).toBe(true);
  }
  await expect(terminal.locator(".xterm-rows")).toContainText("sensor-analytics");

  await lab.getByRole("button", { name: "Check my work" }).click();
  await expect(score).toHaveText(/^Score: 8 \/ 8/, { timeout: 120_000 });
  for (const step of await steps.all()) await expect(step).toContainText("✓ Passed");
  await expect(lab).not.toContainText("Not passed yet");
  await expect(hintButtons(lab)).toHaveCount(0);
  // A full score completes the lesson through the same path as "Mark complete".
  await expect(page.getByTestId("lesson-status")).toHaveText("Completed");
  await expect(page.getByTestId("lab-progress")).toHaveText("Lab steps passed: 3/3");

  // On a phone the steps and the terminal stack, and nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(divider).toBeHidden();
  // What sticks out past the viewport's right edge, innermost first: the assertion names the culprit.
  const stickingOut = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
        // Inside a box that scrolls sideways (a code block, the terminal) it scrolls there, not the page.
        .filter((element) => {
          for (let box = element.parentElement; box; box = box.parentElement) if (getComputedStyle(box).overflowX !== "visible") return false;
          return true;
        })
        .filter((element) => ![...element.children].some((child) => child.getBoundingClientRect().right > window.innerWidth + 1))
        .map((element) => `${element.tagName.toLowerCase()}.${element.className} (${Math.round(element.getBoundingClientRect().right)} px)`)
        .slice(0, 5),
    );
  await expect.poll(stickingOut).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1440, height: 900 });

  await lab.getByRole("button", { name: "Stop lab" }).click();
  await expect(status).toContainText("This lab was stopped.");
  await expect(lab.getByRole("button", { name: "Start the lab again" })).toBeVisible();
  await expect(terminal).toHaveCount(0);
});
