import type { ServiceName } from "../sandbox-driver";
import type { DetachedProcess } from "./process-tree";
import type { LabSoftware } from "./lab-software";
import type { SandboxLayout } from "./sandbox-layout";
import type { SandboxNetwork } from "./sandbox-network";

export interface SandboxContext {
  sandboxId: string;
  seed?: string;
  layout: SandboxLayout;
  software: LabSoftware;
  /** The sandbox's network namespace; every service listens on its address. */
  network: SandboxNetwork;
  services: readonly ServiceName[];
}

/**
 * Each sandbox has an address of its own, so every one uses the services' usual ports: what a
 * learner reads in a Kafka or Hadoop guide works as written.
 */
export const servicePorts = {
  kafka: { broker: 9092, controller: 9093 },
  hdfs: { namenodeRpc: 8020, namenodeHttp: 9870, datanodeData: 9866, datanodeHttp: 9864, datanodeIpc: 9867 },
} as const;

export interface StartedServer extends DetachedProcess {
  role: string;
  logFile: string;
}

/** How the local driver brings up one service; one implementation per *-process.ts module. */
export interface ServiceLauncher {
  service: ServiceName;
  /** The long-running servers start() launches, in order; the service is down unless all run. */
  roles: readonly string[];
  /** Writes configuration and does one-time initialisation (storage format); safe to repeat. */
  prepare(ctx: SandboxContext): Promise<void>;
  /** Starts the service's long-running servers (none for Spark, which runs per job). */
  start(ctx: SandboxContext): StartedServer[];
  /** One cheap check that the service answers; polled until ready. */
  probe(ctx: SandboxContext): Promise<boolean>;
  /** Logs worth showing when the service fails. */
  logFiles(ctx: SandboxContext): string[];
}
