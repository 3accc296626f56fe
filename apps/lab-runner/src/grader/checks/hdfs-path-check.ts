import { formatBytes, type HdfsPathCheck } from "@cookbook/content/labs";
import type { GradingSession } from "../check-context";
import type { HdfsFileStatus, WebHdfsClient } from "../webhdfs-client";
import { contentDifference } from "./dataset-content";
import { failed, failedWith, passed, plural, type CheckVerdict, type Finding } from "./verdict";

const parentOf = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";

/** "does not exist", with what the parent directory holds, which is usually the actual mistake. */
export async function missingPathVerdict(hdfs: WebHdfsClient, path: string, what = "HDFS path"): Promise<CheckVerdict> {
  const parent = parentOf(path);
  const siblings = await hdfs.listStatus(parent);
  let context: string;
  if (siblings === null) context = ` Its directory ${parent} does not exist either.`;
  else if (siblings.length === 0) context = ` Its directory ${parent} is empty.`;
  else
    context = ` ${parent} holds: ${siblings
      .map((s) => s.pathSuffix)
      .slice(0, 10)
      .join(", ")}.`;
  return failed("missing", `${what} ${path} does not exist.${context}`);
}

/** The attributes a NameNode keeps for the path, compared one by one with what the step asks. */
function attributeFindings(check: HdfsPathCheck, status: HdfsFileStatus, blocks: number | undefined): Finding[] {
  const findings: Finding[] = [];
  const type = status.type === "DIRECTORY" ? "directory" : "file";
  if (check.type !== undefined && check.type !== type) {
    findings.push({ finding: "wrong-type", detail: `${check.path} is a ${type}; this step asks for a ${check.type}.` });
  }
  if (check.minSize !== undefined && status.length < check.minSize) {
    findings.push({
      finding: "too-small",
      detail: `${check.path} is ${formatBytes(status.length)}; this step asks for at least ${formatBytes(check.minSize)}.`,
    });
  }
  if (check.blockSize !== undefined && status.blockSize !== check.blockSize) {
    findings.push({
      finding: "wrong-block-size",
      detail: `${check.path} has a block size of ${formatBytes(status.blockSize)}; this step asks for ${formatBytes(check.blockSize)}.`,
    });
  }
  if (check.minBlocks !== undefined && blocks !== undefined && blocks < check.minBlocks) {
    findings.push({
      finding: "too-few-blocks",
      detail: `${check.path} has ${plural(blocks, "block")}; this step asks for at least ${check.minBlocks}.`,
    });
  }
  if (check.replication !== undefined && status.replication !== check.replication) {
    findings.push({
      finding: "wrong-replication",
      detail: `${check.path} has replication factor ${status.replication}; this step asks for ${check.replication}.`,
    });
  }
  return findings;
}

function summary(check: HdfsPathCheck, status: HdfsFileStatus, blocks: number | undefined): string {
  if (status.type === "DIRECTORY") return `${check.path} is a directory.`;
  const parts = [`${check.path} is a file of ${formatBytes(status.length)}`];
  if (check.content === "dataset") parts.push("with exactly your dataset's content");
  if (blocks !== undefined) parts.push(`in ${plural(blocks, "block")} of ${formatBytes(status.blockSize)}`);
  if (check.replication !== undefined) parts.push(`with replication factor ${status.replication}`);
  return `${parts.join(", ")}.`;
}

/** Reads the NameNode's view of the path over WebHDFS: type, size, block size, blocks, replication, and bytes. */
export async function checkHdfsPath(check: HdfsPathCheck, session: GradingSession, signal: AbortSignal): Promise<CheckVerdict> {
  const hdfs = session.webHdfs(signal);
  const status = await hdfs.fileStatus(check.path);
  if (!status) return missingPathVerdict(hdfs, check.path);
  const isFile = status.type === "FILE";
  const blocks = isFile && check.minBlocks !== undefined ? await hdfs.blockCount(check.path) : undefined;
  const findings = attributeFindings(check, status, blocks);
  if (check.content === "dataset" && isFile) {
    const dataset = session.learnerDataset();
    const expectedBytes = Buffer.byteLength(dataset.content);
    // A much bigger file is not downloaded: it could be huge, and its size says enough.
    const difference =
      status.length <= 2 * expectedBytes
        ? contentDifference(await hdfs.read(check.path), dataset.content)
        : `it is ${status.length} bytes, your dataset ${expectedBytes} bytes`;
    if (difference) findings.push({ finding: "content-mismatch", detail: `${check.path} differs from your dataset ${dataset.file}: ${difference}.` });
  }
  const failure = failedWith(findings);
  if (failure) return failure;
  return passed(summary(check, status, blocks));
}
