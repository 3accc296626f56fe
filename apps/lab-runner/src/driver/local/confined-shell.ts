import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pty from "node-pty";
import type { ShellOptions, ShellSession } from "../sandbox-driver";
import { execEnv } from "./exec-env";
import { inSandboxNetwork } from "./sandbox-network";
import type { SandboxContext } from "./service-launcher";

/** The learner inside the shell: not root, so a mistake cannot touch what the binds expose read-only. */
const learnerUid = "1000";

/**
 * Starts bash on a pseudo-terminal inside bubblewrap. The shell's filesystem is the OS's /usr,
 * the lab software (read-only) and this sandbox's own directory, where only the workspace and
 * scratch directories are writable; its /proc shows only its own processes. It runs in the
 * sandbox's network namespace, next to its own services and nothing else.
 */
export function openConfinedShell(ctx: SandboxContext, options: ShellOptions & { confine: boolean }): ShellSession {
  const { layout } = ctx;
  const shellDir = confinementDir(ctx);
  const rcFile = path.join(shellDir, "bashrc");
  writeFileSync(
    rcFile,
    [
      `PS1='\\[\\e[1;32m\\]learner@${ctx.sandboxId}\\[\\e[0m\\]:\\w\\$ '`,
      `cd ${JSON.stringify(layout.workspace)}`,
      `echo "Sandbox ${ctx.sandboxId}: ${ctx.services.join(", ")}. Your files are in your home directory (~)."`,
      "",
    ].join("\n"),
  );
  const env = { ...execEnv(ctx), TERM: "xterm-256color", SHELL: "/bin/bash", USER: "learner" };
  const bash = ["/bin/bash", "--noprofile", "--rcfile", rcFile, "-i"];
  const [command, ...args] = inSandboxNetwork(ctx.network, options.confine ? confinedArgv(ctx, bash) : bash);
  const child = pty.spawn(command, args, { name: "xterm-256color", cols: options.cols, rows: options.rows, cwd: layout.workspace, env });
  return {
    write: (data) => child.write(data),
    resize: (cols, rows) => child.resize(cols, rows),
    onData: (listener) => void child.onData(listener),
    onExit: (listener) => void child.onExit(({ exitCode }) => listener(exitCode)),
    kill: () => child.kill("SIGKILL"),
  };
}

/**
 * argv run as the terminal runs its shell (the same bubblewrap, the learner's uid, the same
 * binds): for a program the learner wrote that lab-runner itself starts, such as a lab's serving
 * query, which must not get lab-runner's rights.
 */
export function confinedArgv(ctx: SandboxContext, argv: readonly string[]): string[] {
  return [...bubblewrapArgs(ctx, confinementDir(ctx)), ...argv];
}

/** Where the confinement's own files (passwd, group, the shell's rc file) live: bound read-only into it. */
function confinementDir(ctx: SandboxContext): string {
  const dir = path.join(ctx.layout.root, "shell");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Rewritten only when it changes: confined commands that start at once (a grader's checks) bind it while another writes. */
function writeUnlessSame(file: string, content: string): void {
  if (!existsSync(file) || readFileSync(file, "utf8") !== content) writeFileSync(file, content);
}

/** Debian's PostgreSQL and MySQL/MariaDB clients: psql & co. are links into these directories, others are files. */
const databaseClientDirs = ["/usr/lib/postgresql", "/usr/share/postgresql-common", "/usr/lib/mysql", "/usr/share/mysql"];
const databaseClientBinaries = ["psql", "pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup", "pgbench", "mysql", "mariadb", "mysqldump"];

function bubblewrapArgs(ctx: SandboxContext, shellDir: string): string[] {
  const { layout, software } = ctx;
  const passwd = path.join(shellDir, "passwd");
  writeUnlessSame(passwd, `learner:x:${learnerUid}:${learnerUid}:learner:${layout.workspace}:/bin/bash\n`);
  const group = path.join(shellDir, "group");
  writeUnlessSame(group, `learner:x:${learnerUid}:\n`);
  // The shell's hostname is the sandbox's id, which the host's /etc/hosts does not know; Java's
  // InetAddress.getLocalHost() must resolve it (a MapReduce job records its submit host).
  const hosts = path.join(shellDir, "hosts");
  writeUnlessSame(hosts, `127.0.0.1 localhost\n${ctx.network.address} ${ctx.sandboxId}\n`);
  const writable = [layout.workspace, layout.tmp, layout.sparkLocal, layout.sparkWarehouse];
  for (const dir of writable) mkdirSync(dir, { recursive: true });
  const readOnly = [
    "/usr",
    // Java's conf/ and Debian's alternatives (awk, java, ...) link into /etc; the rest of /etc stays out.
    "/etc/java-17-openjdk",
    "/etc/alternatives",
    "/etc/ssl",
    "/etc/resolv.conf",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    software.javaHome,
    path.dirname(software.kafkaLib),
    path.dirname(software.hadoopLib),
    path.dirname(software.sparkKafkaLib),
    path.dirname(software.sparkVenvBin),
    ...pythonHome(software.sparkVenvBin),
    // What the CLIs read, not the whole sandbox directory: its state file holds the seed, from
    // which the grader draws evidence the learner must not be able to compute.
    shellDir,
    layout.bin,
    layout.logs,
    layout.kafkaConf,
    layout.hadoopConf,
    layout.sparkConf,
  ];
  return [
    "bwrap",
    "--unshare-all",
    "--share-net",
    "--die-with-parent",
    "--unshare-user",
    "--uid",
    learnerUid,
    "--gid",
    learnerUid,
    "--hostname",
    ctx.sandboxId,
    // Fresh /proc, /dev and /tmp first: mounts stack in order, so a sandbox that itself lives
    // under /tmp (a checkout in /tmp) must be bound after the empty /tmp, not hidden by it.
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    ...["bin", "sbin", "lib", "lib64"].flatMap((dir) => ["--symlink", `usr/${dir}`, `/${dir}`]),
    ...readOnly.flatMap((dir) => ["--ro-bind-try", dir, dir]),
    ...writable.flatMap((dir) => ["--bind", dir, dir]),
    // Defence in depth behind the network namespace: no database client in the sandbox's /usr.
    ...databaseClientDirs.filter((dir) => existsSync(dir)).flatMap((dir) => ["--tmpfs", dir]),
    ...databaseClientBinaries
      .map((name) => `/usr/bin/${name}`)
      .filter((file) => existsSync(file) && !lstatSync(file).isSymbolicLink())
      .flatMap((file) => ["--ro-bind", "/dev/null", file]),
    "--ro-bind",
    passwd,
    "/etc/passwd",
    "--ro-bind",
    group,
    "/etc/group",
    "--ro-bind",
    hosts,
    "/etc/hosts",
    "--chdir",
    layout.workspace,
  ];
}

/** The Python the pyspark venv was made from (its `home`), which may live outside /usr. */
function pythonHome(venvBin: string): string[] {
  const cfg = path.join(path.dirname(venvBin), "pyvenv.cfg");
  if (!existsSync(cfg)) return [];
  const home = /^home\s*=\s*(.+)$/m.exec(readFileSync(cfg, "utf8"))?.[1]?.trim();
  return home ? [path.dirname(home)] : [];
}
