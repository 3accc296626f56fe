// Prints the suite's closing lines from the runners' JSON reports: every failed test with the first
// lines of its error (CI keeps only the end of the output, so the failures must be there), then
// "N passed, N failed".
import { readFileSync } from "node:fs";

const [vitestFile, e2eFile] = process.argv.slice(2);
const vitest = JSON.parse(readFileSync(vitestFile, "utf8"));
const e2e = JSON.parse(readFileSync(e2eFile, "utf8"));

const firstLines = (message) =>
  String(message ?? "")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the runners colour their messages with ANSI escapes
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((line) => line.trim())
    .slice(0, 6)
    .map((line) => `    ${line.slice(0, 300)}`)
    .join("\n");

const failures = [];
for (const file of vitest.testResults) {
  // A file whose setup failed has no failed test of its own, only a message.
  if (file.status === "failed" && file.message) failures.push(`vitest ${file.name}\n${firstLines(file.message)}`);
  for (const test of file.assertionResults) {
    if (test.status === "failed") failures.push(`vitest ${file.name} > ${test.fullName}\n${firstLines(test.failureMessages.join("\n"))}`);
  }
}
const visitSuite = (suite, titles) => {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) {
      if (test.status === "expected" || test.status === "skipped") continue;
      const errors = test.results.flatMap((result) => result.errors ?? []).map((error) => error.message);
      failures.push(`playwright ${[...titles, spec.title].join(" > ")} (${test.status})\n${firstLines(errors.join("\n"))}`);
    }
  }
  for (const child of suite.suites ?? []) visitSuite(child, [...titles, child.title]);
};
for (const suite of e2e.suites) visitSuite(suite, [suite.title]);
for (const error of e2e.errors ?? []) failures.push(`playwright (outside a test)\n${firstLines(error.message)}`);

if (failures.length > 0) console.log(`failed:\n${failures.map((failure) => `  ${failure}`).join("\n")}`);
const passed = vitest.numPassedTests + (e2e.stats.expected ?? 0);
const failed = vitest.numFailedTests + (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
const skipped = vitest.numPendingTests + vitest.numTodoTests + (e2e.stats.skipped ?? 0);
console.log(
  `vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed; playwright: ${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
