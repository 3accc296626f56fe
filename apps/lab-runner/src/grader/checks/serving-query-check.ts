import { cardPaymentsCutoffMs, servingQueryRunSeconds, totalsByCard, type ServingQueryCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { liveNonce, observeUntil, topicLatestEventTime } from "../live-injection";
import { lastErrorLine } from "./command-check";
import { judgeServingAnswer, parseCardTotals, probePayments, type ServingExpectation } from "./lambda-views";
import { feedTotals } from "./speed-view-check";
import { failed, type CheckVerdict } from "./verdict";

/** Between two runs of the serving query: each run starts a program, so not every second. */
const pollMs = 2000;
/** Findings that are the grader's probe not (all) seen yet: a running speed layer catches up. */
const waitingFor = new Set(["not-live", "probe-mismatch"]);
/** Looks in a row with any other wrong answer after which it is the verdict. */
const lastingWrongLooks = 3;

/**
 * A Lambda lab's serving query, live: the grader publishes payments of a new card (drawn from a
 * fresh nonce) to the feed, then runs the learner's query every couple of seconds until its answer
 * holds every card's batch total plus its speed total, those payments included, or the time is
 * up (or it is wrong in a way no wait mends). The query is the learner's own program, run with the learner's rights (`asLearner`) under a
 * deadline, and its output is untrusted text, parsed strictly and capped. Unlike a `command`
 * check, the verdict does not rest on anything the learner can write: it needs the totals of
 * payments that exist only in Kafka and of the grader's probe, which no earlier answer can hold.
 */
export async function checkServingQuery(check: ServingQueryCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const { dataset, feed } = feedTotals(session, check.topic);
  const kafka = session.kafka();
  if (!(await kafka.topicExists(check.topic))) {
    return failed("no-topic", `Topic ${check.topic} does not exist any more: it is the lab's payment feed. Start the lab again to get it back.`);
  }
  // After every payment the topic holds, so each probe payment is the newest one.
  const latest = await topicLatestEventTime(kafka, check.topic, signal);
  const probe = probePayments(liveNonce(), Math.max(latest ?? 0, cardPaymentsCutoffMs(dataset)));
  await kafka.publish(check.topic, probe.messages);
  const command = `\`${check.argv.join(" ")}\``;
  const expectation: ServingExpectation = {
    ...feed,
    command,
    batch: totalsByCard(session.learnerDataset().payments ?? []),
    probe,
    withinSeconds: check.withinSeconds,
  };
  const { driver, sandboxId } = session.target;
  const answer = async (): Promise<CheckVerdict> => {
    const run = await driver.exec(sandboxId, check.argv, { timeoutMs: servingQueryRunSeconds * 1000, asLearner: true });
    if (run.timedOut)
      return failed("query-timeout", `${command} did not finish within ${servingQueryRunSeconds} s; a serving query answers at once.`);
    if (run.exitCode !== 0) {
      const error = lastErrorLine(run.stderr);
      return failed("query-failed", `${command} exited with ${run.exitCode}.${error ? ` It said: ${error}` : ""}`);
    }
    const parsed = parseCardTotals(run.stdout, `What ${command} printed`);
    return parsed.ok ? judgeServingAnswer(parsed.totals, expectation) : failed(parsed.finding, parsed.problem);
  };
  // Only the grader's own payments are worth waiting for. An answer wrong in any other way does
  // not right itself, so after a few such looks in a row (past a view being rewritten) it stands.
  const giveUp = new AbortController();
  let wrongLooks = 0;
  const look = async () => {
    const verdict = await answer();
    wrongLooks = verdict.passed || waitingFor.has(verdict.finding) ? 0 : wrongLooks + 1;
    if (wrongLooks >= lastingWrongLooks) giveUp.abort();
    return verdict;
  };
  return observeUntil(look, {
    withinMs: check.withinSeconds * 1000,
    now: () => session.now(),
    signal: AbortSignal.any([signal, giveUp.signal]),
    pollMs,
  });
}
