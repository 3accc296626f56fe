import { gunzipSync } from "node:zlib";
import { findComputation, type SparkOutputCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import { CheckFailure, CheckTimeout } from "../check-failure";
import type { WebHdfsClient } from "../webhdfs-client";
import { missingPathVerdict } from "./hdfs-path-check";
import { compareRows, parseOutputRows, type PartFile } from "./spark-output-rows";
import { failed, type CheckVerdict } from "./verdict";

/** More than this is not a few averages: refuse rather than download it. */
const maxOutputBytes = 16 * 1024 * 1024;

const isPartFile = (name: string) => name.startsWith("part-") && !name.endsWith(".crc");
const decode = (name: string, bytes: Buffer) => (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");

type OutputListing = { kind: "missing" } | { kind: "file" } | { kind: "directory"; success: boolean; files: PartFile[] };

async function hdfsListing(hdfs: WebHdfsClient, dir: string): Promise<OutputListing> {
  const status = await hdfs.fileStatus(dir);
  if (!status) return { kind: "missing" };
  if (status.type !== "DIRECTORY") return { kind: "file" };
  const entries = (await hdfs.listStatus(dir)) ?? [];
  const parts = entries.filter((entry) => entry.type === "FILE" && isPartFile(entry.pathSuffix));
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  if (size > maxOutputBytes) throw new CheckFailure("too-large", `${dir} holds ${size} bytes of part files: far more than averages need.`);
  const files = await Promise.all(
    parts.map(async (part) => ({ name: part.pathSuffix, text: decode(part.pathSuffix, await hdfs.read(`${dir}/${part.pathSuffix}`)) })),
  );
  return { kind: "directory", success: entries.some((entry) => entry.pathSuffix === "_SUCCESS"), files };
}

/** Lists and prints a workspace directory's part files in one exec; \x1e separates files. */
const workspaceListingScript = `d="$1"
if [ ! -e "$d" ]; then echo missing; exit 0; fi
if [ ! -d "$d" ]; then echo file; exit 0; fi
if [ -e "$d/_SUCCESS" ]; then echo success; else echo directory; fi
for f in "$d"/part-*; do
  [ -f "$f" ] || continue
  case "$f" in *.crc|*.gz) continue ;; esac
  printf '\\036%s\\n' "\${f##*/}"
  cat -- "$f"
done`;

async function workspaceListing(session: GradingSession, dir: string, timeoutMs: number): Promise<OutputListing> {
  const { driver, sandboxId } = session.target;
  const result = await driver.exec(sandboxId, ["/bin/sh", "-c", workspaceListingScript, "spark-output", dir], { timeoutMs });
  if (result.timedOut) throw new CheckTimeout(`listing ${dir} timed out`);
  if (result.exitCode !== 0) throw new CheckFailure("unreadable", `Could not read ${dir} in your workspace.`);
  const [head = "", ...chunks] = result.stdout.split("\x1e");
  const state = head.trim();
  if (state === "missing" || state === "file") return { kind: state };
  const files = chunks.map((chunk) => {
    const newline = chunk.indexOf("\n");
    return { name: chunk.slice(0, newline), text: chunk.slice(newline + 1) };
  });
  return { kind: "directory", success: state === "success", files };
}

/**
 * Reads the learner's Spark output (part files in HDFS, or in the workspace through exec) and
 * compares it with the grader's own computation over the learner's dataset.
 */
export async function checkSparkOutput(
  check: SparkOutputCheck,
  session: GradingSession,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<CheckVerdict> {
  const computation = findComputation(check.expected);
  if (!computation) throw new CheckFailure("unknown-result", `This lab asks for an unknown result "${check.expected}".`);
  const where = check.storage === "hdfs" ? "HDFS directory" : "Directory";
  let listing: OutputListing;
  if (check.storage === "hdfs") {
    const hdfs = session.webHdfs(signal);
    listing = await hdfsListing(hdfs, check.path);
    if (listing.kind === "missing") return missingPathVerdict(hdfs, check.path, where);
  } else {
    listing = await workspaceListing(session, check.path, timeoutMs);
    if (listing.kind === "missing") return failed("missing", `${where} ${check.path} does not exist in your workspace.`);
  }
  if (listing.kind === "file") return failed("not-a-directory", `${check.path} is a file; Spark writes a directory of part files there.`);
  if (!listing.success) {
    return failed(
      "unfinished",
      `${check.path} has no _SUCCESS file: the job that writes it has not finished (or failed). Run it again and look at its output.`,
    );
  }
  if (listing.files.length === 0) return failed("no-part-files", `${check.path} has no part files.`);
  const rows = parseOutputRows(listing.files, check, computation);
  return compareRows(rows, computation.compute(session.learnerDataset().readings), check, computation);
}
