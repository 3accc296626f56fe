/**
 * Who wrote the files of an HDFS directory, as the NameNode's audit log tells it. The NameNode
 * writes one line per file system call, with the caller context the client sent (Spark tasks
 * send `SPARK_TASK_<application>_JId_…` when hadoop.caller.context.enabled is on) and, with
 * dfs.namenode.audit.log.with.remote.port on, the port of the client's connection. Creates,
 * renames and deletes are replayed in order, so a file keeps the call that created its bytes
 * wherever the output committer moved it, with every move since; a file put there by hand has
 * the CLI's.
 */

export interface AuditEvent {
  cmd: string;
  src: string;
  dst: string | null;
  /** What the client sent (CLI, SPARK_TASK_…), without the port the NameNode appends. */
  callerContext: string | null;
  /**
   * The RPC connection the call came over, "10.213.0.10:49706": one per client JVM (and user),
   * so calls over one connection come from one program. Absent for WebHDFS calls (their port is
   * an HTTP client's) and in logs without ports.
   */
  connection?: string;
}

/** The NameNode appends `clientPort:<port>` to whatever context the client sent, last, after the separator. */
function splitClientPort(value: string | undefined): { callerContext: string | null; port: string | null } {
  if (value === undefined) return { callerContext: null, port: null };
  const parts = value.split(",");
  const port = /^clientPort:(\d+)$/.exec(parts.at(-1) ?? "")?.[1] ?? null;
  if (port) parts.pop();
  return { callerContext: parts.join(",") || null, port };
}

/** `allowed=true\tugi=…\tip=/…\tcmd=create\tsrc=/a\tdst=null\tperm=…\tproto=rpc\tcallerContext=…`; refused calls change nothing. */
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
  const { callerContext, port } = splitClientPort(fields.get("callerContext"));
  const event: AuditEvent = { cmd, src, dst: dst && dst !== "null" ? dst : null, callerContext };
  const ip = fields.get("ip")?.replace(/^\//, "");
  if (port && ip && fields.get("proto") === "rpc") event.connection = `${ip}:${port}`;
  return event;
}

/** How a file came to be where it is: the call that made its bytes, then every rename that moved it (or a directory above it). */
export interface FileHistory {
  made: AuditEvent;
  moves: AuditEvent[];
}

/** The history of every file the log leaves in place. */
export function fileHistories(auditLog: string): Map<string, FileHistory> {
  const histories = new Map<string, FileHistory>();
  const moveTree = (from: string, to: string, move: AuditEvent) => {
    for (const [path, history] of [...histories]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue;
      histories.delete(path);
      histories.set(to + path.slice(from.length), { made: history.made, moves: [...history.moves, move] });
    }
  };
  const removeTree = (root: string) => {
    for (const path of [...histories.keys()]) if (path === root || path.startsWith(`${root}/`)) histories.delete(path);
  };
  for (const line of auditLog.split("\n")) {
    const event = parseAuditLine(line);
    if (!event) continue;
    // "rename (options=[OVERWRITE])" is the rename that replaces its destination.
    const cmd = event.cmd.split(" ")[0];
    if (cmd === "create" || cmd === "append" || cmd === "truncate") histories.set(event.src, { made: event, moves: [] });
    else if (cmd === "concat" && event.dst) {
      // src is "[/a, /b]": their bytes are appended to dst, and they are gone.
      for (const source of event.src.replace(/^\[|\]$/g, "").split(", ")) removeTree(source);
      histories.set(event.dst, { made: event, moves: [] });
    } else if (cmd === "delete") removeTree(event.src);
    else if (cmd === "rename" && event.dst) {
      // The old rename moves a path into a destination directory that exists; the others replace the destination.
      const intoDirectory = event.cmd === "rename" && [...histories.keys()].some((path) => path.startsWith(`${event.dst}/`));
      const target = intoDirectory ? `${event.dst}/${event.src.slice(event.src.lastIndexOf("/") + 1)}` : event.dst;
      removeTree(target);
      moveTree(event.src, target, event);
    }
  }
  return histories;
}

/** The caller context of the call that made each file's bytes (null: the caller sent none), for every file the log leaves in place. */
export function fileOrigins(auditLog: string): Map<string, string | null> {
  return new Map([...fileHistories(auditLog)].map(([path, history]) => [path, history.made.callerContext]));
}

/** The Spark application of a task's caller context (SPARK_TASK_local-1764…_JId_0_… → local-1764…), null for any other caller. */
export function sparkTaskApplication(callerContext: string | null): string | null {
  return (callerContext && /^SPARK_TASK_(.+?)_JId_/.exec(callerContext)?.[1]) ?? null;
}

/** The calls that opened a file, or any file under a directory (the part files of a Parquet table). */
function opensOf(auditLog: string, path: string): AuditEvent[] {
  return auditLog
    .split("\n")
    .map(parseAuditLine)
    .filter((event): event is AuditEvent => event?.cmd === "open" && (event.src === path || event.src.startsWith(`${path}/`)));
}

/** The Spark applications whose tasks opened a file, or any file under a directory. */
export function sparkApplicationsThatRead(auditLog: string, path: string): Set<string> {
  return new Set(opensOf(auditLog, path).flatMap((event) => sparkTaskApplication(event.callerContext) ?? []));
}

/** The RPC connections (AuditEvent.connection) over which a file, or any file under a directory, was opened. */
export function connectionsThatRead(auditLog: string, path: string): Set<string> {
  return new Set(opensOf(auditLog, path).flatMap((event) => event.connection ?? []));
}
