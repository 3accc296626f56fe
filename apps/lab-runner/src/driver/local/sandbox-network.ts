import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import * as z from "zod";

const run = promisify(execFile);

/**
 * Each local sandbox lives in a network namespace of its own, linked to the host by one veth
 * pair on a /30 of 10.213.0.0/16. Its services listen on the sandbox's address; lab-runner,
 * on the host, reaches them through the link to grade. The sandbox has no default route, so it
 * can address nothing but its own link, and the firewall below drops every connection it
 * opens towards the host: the platform's ports (web, lab-runner, PostgreSQL, all on the host's
 * loopback, which is not the sandbox's) and every other sandbox stay out of reach.
 */
export const sandboxNetworkSchema = z.object({
  /** Name under /run/netns. */
  netns: z.string(),
  /** The veth end left on the host (cblab<n>). */
  hostInterface: z.string(),
  hostAddress: z.ipv4(),
  /** Where the sandbox's services listen and what its endpoints name. */
  address: z.ipv4(),
});
export type SandboxNetwork = z.infer<typeof sandboxNetworkSchema>;

const interfacePrefix = "cblab";
/** 16,384 links of 4 addresses in 10.213.0.0/16. */
const linkCount = 16_384;
const firewallTable = "cookbook_labs";

function linkAddresses(index: number): { hostAddress: string; address: string } {
  const offset = index * 4;
  const third = Math.floor(offset / 256);
  const fourth = offset % 256;
  return { hostAddress: `10.213.${third}.${fourth + 1}`, address: `10.213.${third}.${fourth + 2}` };
}

async function ip(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run("ip", args, { timeout: 15_000 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(" ")}: ${stderr || (error as Error).message}`);
  }
}

/**
 * Drops whatever a sandbox starts towards the host (and anything routed between links), while
 * replies to connections lab-runner opened still pass. One table for every sandbox, so there is
 * no per-sandbox rule to leak; replaced atomically, so concurrent callers agree.
 */
const firewallRules = `table inet ${firewallTable}
delete table inet ${firewallTable}
table inet ${firewallTable} {
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "${interfacePrefix}*" ct state established,related accept
    iifname "${interfacePrefix}*" drop
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "${interfacePrefix}*" drop
    oifname "${interfacePrefix}*" drop
  }
}
`;

let firewall: Promise<void> | undefined;

function ensureFirewall(): Promise<void> {
  firewall ??= new Promise<void>((resolve, reject) => {
    const child = execFile("nft", ["-f", "-"], { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      firewall = undefined;
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      reject(
        new Error(
          missing ? "nft (Debian's nftables) is not installed: run bash scripts/install.sh --labs" : `nft: ${stderr.trim() || error.message}`,
        ),
      );
    });
    child.stdin?.end(firewallRules);
  });
  return firewall;
}

/** argv run inside the sandbox's network namespace (nsenter execs, so the pid stays argv's). */
export function inSandboxNetwork(network: SandboxNetwork, argv: readonly string[]): [string, ...string[]] {
  return ["nsenter", `--net=/run/netns/${network.netns}`, "--", ...argv];
}

/** Network namespaces of one driver's base directory: `cbl-<hash of base dir>-<sandbox id>`. */
export class SandboxNetworks {
  private readonly prefix: string;

  constructor(baseDir: string) {
    this.prefix = `cbl-${createHash("sha256").update(baseDir).digest("hex").slice(0, 8)}-`;
  }

  netnsOf(sandboxId: string): string {
    return `${this.prefix}${sandboxId}`;
  }

  /** Creates the namespace and its link, or finds the ones a previous call (or process) made. */
  async ensure(sandboxId: string): Promise<SandboxNetwork> {
    if (process.getuid?.() !== 0) {
      throw new Error("The local driver isolates every sandbox in a network namespace, which needs root: run lab-runner as root.");
    }
    await ensureFirewall();
    const netns = this.netnsOf(sandboxId);
    if (existsSync(`/run/netns/${netns}`)) {
      const existing = await this.linkOf(netns);
      if (existing) return existing;
      // Left half-made by a crash: nothing runs in it yet, so start over.
      await ip("netns", "delete", netns);
    }
    await ip("netns", "add", netns);
    const index = await this.createLink(netns);
    const { hostAddress, address } = linkAddresses(index);
    const hostInterface = `${interfacePrefix}${index}`;
    // No IPv6 on the link: the firewall covers both families, but link-local addresses would only add paths to reason about.
    writeFileSync(`/proc/sys/net/ipv6/conf/${hostInterface}/disable_ipv6`, "1");
    await ip("addr", "add", `${hostAddress}/30`, "dev", hostInterface);
    await ip("link", "set", hostInterface, "up");
    const [nsenter, ...args] = inSandboxNetwork({ netns, hostInterface, hostAddress, address }, [
      "sh",
      "-c",
      "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6",
    ]);
    await run(nsenter, args);
    await ip("-n", netns, "addr", "add", `${address}/30`, "dev", "eth0");
    await ip("-n", netns, "link", "set", "eth0", "up");
    await ip("-n", netns, "link", "set", "lo", "up");
    return { netns, hostInterface, hostAddress, address };
  }

  /** Kills what still runs inside the namespace and deletes it; the veth pair goes with it. */
  async remove(sandboxId: string): Promise<void> {
    const netns = this.netnsOf(sandboxId);
    if (!existsSync(`/run/netns/${netns}`)) return;
    const pids = (await ip("netns", "pids", netns)).split("\n").filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Exited meanwhile.
      }
    }
    await ip("netns", "delete", netns);
  }

  /** Sandbox ids of this driver's namespaces, whatever the sandbox directories say. */
  listSandboxIds(): string[] {
    if (!existsSync("/run/netns")) return [];
    return readdirSync("/run/netns")
      .filter((name) => name.startsWith(this.prefix))
      .map((name) => name.slice(this.prefix.length));
  }

  private async linkOf(netns: string): Promise<SandboxNetwork | null> {
    const links = JSON.parse(await ip("-j", "-n", netns, "addr", "show", "dev", "eth0").catch(() => "[]")) as {
      link_index?: number;
      addr_info?: { family: string; local: string }[];
    }[];
    const address = links[0]?.addr_info?.find((a) => a.family === "inet")?.local;
    const peerIndex = links[0]?.link_index;
    if (!address || peerIndex === undefined) return null;
    const hosts = JSON.parse(await ip("-j", "link", "show")) as { ifindex: number; ifname: string }[];
    const hostInterface = hosts.find((link) => link.ifindex === peerIndex)?.ifname;
    if (!hostInterface?.startsWith(interfacePrefix)) return null;
    const { hostAddress } = linkAddresses(Number(hostInterface.slice(interfacePrefix.length)));
    return { netns, hostInterface, hostAddress, address };
  }

  /**
   * Picks the lowest free link number. The kernel refuses a second interface of the same name,
   * which makes the creation itself the lock between concurrent sandboxes (and processes).
   */
  private async createLink(netns: string): Promise<number> {
    const taken = new Set(
      (JSON.parse(await ip("-j", "link", "show")) as { ifname: string }[])
        .map((link) => link.ifname)
        .filter((name) => name.startsWith(interfacePrefix))
        .map((name) => Number(name.slice(interfacePrefix.length))),
    );
    for (let index = 0; index < linkCount; index++) {
      if (taken.has(index)) continue;
      try {
        await ip("link", "add", `${interfacePrefix}${index}`, "type", "veth", "peer", "name", "eth0", "netns", netns);
        return index;
      } catch (error) {
        if (!/File exists/.test((error as Error).message)) throw error;
      }
    }
    throw new Error(`all ${linkCount} sandbox network links are in use`);
  }
}
