// Prints one closing line for the whole suite, "N passed, N failed", from the runners' JSON reports.
import { readFileSync } from "node:fs";

const [vitestFile, e2eFile] = process.argv.slice(2);
const vitest = JSON.parse(readFileSync(vitestFile, "utf8"));
const e2e = JSON.parse(readFileSync(e2eFile, "utf8"));

const passed = vitest.numPassedTests + (e2e.stats.expected ?? 0);
const failed = vitest.numFailedTests + (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
const skipped = vitest.numPendingTests + vitest.numTodoTests + (e2e.stats.skipped ?? 0);
console.log(
  `vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed; playwright: ${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
