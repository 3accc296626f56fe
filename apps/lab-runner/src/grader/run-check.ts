import { describeCheck, type Check } from "@cookbook/content/labs";
import type { GradingSession } from "./check-context";
import { CheckFailure, CheckTimeout, SandboxUnavailable, summariseError } from "./check-failure";
import { checkCommand } from "./checks/command-check";
import { checkConsumedMessages } from "./checks/consumed-messages-check";
import { checkDeliveredRecords } from "./checks/delivered-records-check";
import { checkHdfsPath } from "./checks/hdfs-path-check";
import { checkKafkaConsumerGroup } from "./checks/kafka-consumer-group-check";
import { checkKafkaDeliveredRecords } from "./checks/kafka-delivered-records-check";
import { checkKafkaGroupMembers } from "./checks/kafka-group-members-check";
import { checkKafkaKeyedMessages } from "./checks/kafka-keyed-messages-check";
import { checkKafkaLiveTopN } from "./checks/kafka-live-top-n-check";
import { checkKafkaLiveWindowAverages } from "./checks/kafka-live-window-averages-check";
import { checkKafkaMessages } from "./checks/kafka-messages-check";
import { checkKafkaTopNWindows } from "./checks/kafka-top-n-windows-check";
import { checkKafkaTopic } from "./checks/kafka-topic-check";
import { checkMapReduceOutput } from "./checks/mapreduce-output-check";
import { checkKafkaView } from "./checks/kafka-view-check";
import { checkKafkaWindowAverages } from "./checks/kafka-window-averages-check";
import { checkServingQuery } from "./checks/serving-query-check";
import { checkSparkOutput } from "./checks/spark-output-check";
import { checkSpeedView } from "./checks/speed-view-check";
import { failed, type CheckVerdict } from "./checks/verdict";
import { applyFeedbackTemplate } from "./feedback-template";
import type { CheckGrade } from "./lab-grade";

function dispatch(check: Check, session: GradingSession, signal: AbortSignal, timeoutMs: number): Promise<CheckVerdict> {
  switch (check.kind) {
    case "kafka-topic":
      return checkKafkaTopic(check, session);
    case "kafka-messages":
      return checkKafkaMessages(check, session, signal);
    case "kafka-consumer-group":
      return checkKafkaConsumerGroup(check, session);
    case "hdfs-path":
      return checkHdfsPath(check, session, signal);
    case "spark-output":
      return checkSparkOutput(check, session, signal);
    case "mapreduce-output":
      return checkMapReduceOutput(check, session, signal, timeoutMs);
    case "command":
      return checkCommand(check, session, timeoutMs);
    case "consumed-messages":
      return checkConsumedMessages(check, session, timeoutMs);
    case "kafka-keyed-messages":
      return checkKafkaKeyedMessages(check, session, signal);
    case "kafka-group-members":
      return checkKafkaGroupMembers(check, session);
    case "delivered-records":
      return checkDeliveredRecords(check, session, timeoutMs);
    case "kafka-delivered-records":
      return checkKafkaDeliveredRecords(check, session, signal);
    case "kafka-top-n-windows":
      return checkKafkaTopNWindows(check, session, signal);
    case "kafka-live-top-n":
      return checkKafkaLiveTopN(check, session, signal);
    case "kafka-view":
      return checkKafkaView(check, session, signal);
    case "speed-view":
      return checkSpeedView(check, session, timeoutMs);
    case "serving-query":
      return checkServingQuery(check, session, signal);
    case "kafka-window-averages":
      return checkKafkaWindowAverages(check, session, signal);
    case "kafka-live-window-averages":
      return checkKafkaLiveWindowAverages(check, session, signal);
  }
}

const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/**
 * Runs one check under its own deadline. Whatever happens inside (a finding, a service that
 * does not answer, a bug) becomes a failed check with feedback; nothing escapes to fail the
 * other checks, and no stack trace reaches the learner. Every result is named by a finding
 * code `<kind>.<finding>` (the checker's finding, or passed/timeout/unavailable/error), which
 * the lab's template does not change: the template words the finding, the code names it.
 */
export async function runCheck(check: Check, session: GradingSession, timeoutMs: number): Promise<CheckGrade> {
  const description = describeCheck(check);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let verdict: CheckVerdict;
  let timedOut = false;
  // Templates word findings about the learner's work; timeouts and unreachable services keep the grader's words.
  let aboutTheWork = true;
  const work = dispatch(check, session, controller.signal, timeoutMs);
  // A check that loses the race may still fail later; that must not surface as an unhandled rejection.
  work.catch(() => undefined);
  try {
    const outcome = await Promise.race([work, deadline]);
    if (outcome === "timeout") throw new CheckTimeout("deadline passed");
    verdict = outcome;
  } catch (error) {
    aboutTheWork = error instanceof CheckFailure;
    if (error instanceof CheckTimeout) {
      timedOut = true;
      verdict = failed("timeout", `This check did not finish within ${seconds(timeoutMs)}, so it counts as failed. Check again in a moment.`);
    } else if (error instanceof CheckFailure) {
      verdict = failed(error.finding, error.message);
    } else if (error instanceof SandboxUnavailable) {
      verdict = failed("unavailable", error.message);
    } else {
      verdict = failed("error", `The grader could not finish this check: ${summariseError(error)}`);
    }
  } finally {
    clearTimeout(timer);
    // Stops whatever the check still has in flight (a fetch, a consumer) once it is decided.
    controller.abort();
  }
  return {
    kind: check.kind,
    description,
    passed: verdict.passed,
    finding: `${check.kind}.${verdict.finding}`,
    feedback: aboutTheWork ? applyFeedbackTemplate(check, verdict.passed, verdict.detail, description) : verdict.detail,
    timedOut,
  };
}
