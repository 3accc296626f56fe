/**
 * Who wrote the files of an HDFS directory, as the NameNode's audit log tells it. The NameNode
 * writes one line per file system call, with the caller context the client sent; Spark tasks
 * send `SPARK_TASK_<application>_JId_…` when hadoop.caller.context.enabled is on. Renames and
 * deletes are replayed in order, so a file keeps the context of the call that created its bytes
 * wherever the output committer moved it, and a file put there by hand has none.
 */

export interface AuditEvent {
  cmd: string;
  src: string;
  dst: string | null;
  callerContext: string | null;
}

/** `allowed=true\tugi=…\tip=…\tcmd=create\tsrc=/a\tdst=null\tperm=…\tproto=rpc\tcallerContext=…`; refused calls change nothing. */
export function parseAuditLine(line: string): AuditEvent | null {
  const fields = new Map<string, string>();
  for (const field of line.split("\t")) {
    const equals = field.indexOf("=");
    if (equals > 0) fields.set(field.slice(0, equals), field.slice(equals + 1));
  }
  const cmd = fields.get("cmd");
  const src = fields.get("src");
  if (fields.get("allowed") !== "true" || !cmd || !src) return null;
  const dst = fields.get("dst");
  return { cmd, src, dst: dst && dst !== "null" ? dst : null, callerContext: fields.get("callerContext") ?? null };
}

/** The caller context of the call that made each file's bytes (null: the caller sent none), for every file the log leaves in place. */
export function fileOrigins(auditLog: string): Map<string, string | null> {
  const origins = new Map<string, string | null>();
  const moveTree = (from: string, to: string) => {
    for (const [path, origin] of [...origins]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue;
      origins.delete(path);
      origins.set(to + path.slice(from.length), origin);
    }
  };
  const removeTree = (root: string) => {
    for (const path of [...origins.keys()]) if (path === root || path.startsWith(`${root}/`)) origins.delete(path);
  };
  for (const line of auditLog.split("\n")) {
    const event = parseAuditLine(line);
    if (!event) continue;
    // "rename (options=[OVERWRITE])" is the rename that replaces its destination.
    const cmd = event.cmd.split(" ")[0];
    if (cmd === "create") origins.set(event.src, event.callerContext);
    else if (cmd === "append" || cmd === "truncate" || cmd === "concat") origins.set(event.src, event.callerContext);
    else if (cmd === "delete") removeTree(event.src);
    else if (cmd === "rename" && event.dst) {
      // The old rename moves a path into a destination directory that exists; the others replace the destination.
      const intoDirectory = event.cmd === "rename" && [...origins.keys()].some((path) => path.startsWith(`${event.dst}/`));
      const target = intoDirectory ? `${event.dst}/${event.src.slice(event.src.lastIndexOf("/") + 1)}` : event.dst;
      removeTree(target);
      moveTree(event.src, target);
    }
  }
  return origins;
}

/** The Spark application of a task's caller context (SPARK_TASK_local-1764…_JId_0_… → local-1764…), null for any other caller. */
export function sparkTaskApplication(callerContext: string | null): string | null {
  return (callerContext && /^SPARK_TASK_(.+?)_JId_/.exec(callerContext)?.[1]) ?? null;
}

/** The Spark applications whose tasks opened a file. */
export function sparkApplicationsThatRead(auditLog: string, file: string): Set<string> {
  const applications = new Set<string>();
  for (const line of auditLog.split("\n")) {
    const event = parseAuditLine(line);
    const application = event?.cmd === "open" && event.src === file ? sparkTaskApplication(event.callerContext) : null;
    if (application) applications.add(application);
  }
  return applications;
}
