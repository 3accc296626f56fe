import type { Database } from "@cookbook/db/client";
import {
  claimSandbox,
  endSandbox,
  findSandboxAcrossTenants,
  listDueSandboxesAcrossTenants,
  listLiveSandboxesAcrossTenants,
  markSandboxRunning,
  touchSandbox,
  type NewSandbox,
  type SandboxRow,
} from "@cookbook/db/queries/sandboxes";
import type { SandboxEndReason } from "@cookbook/lab-runner-api/vocabulary";
import type { SandboxPolicy } from "./config";

/** The sandbox a write is about: its id within its tenant (every write filters by both). */
type Sandbox = Pick<SandboxRow, "id" | "tenantId">;
const ref = (sandbox: Sandbox) => ({ tenantId: sandbox.tenantId, sandboxId: sandbox.id });

/**
 * The manager's handle on lab_sandboxes: lab-runner's connection bound to the queries in
 * `@cookbook/db/queries/sandboxes`, so the manager and its tests share one seam. The reads that
 * span tenants keep `AcrossTenants` in their names here too.
 */
export class SandboxStore {
  constructor(private readonly db: Database) {}

  claim(fresh: NewSandbox, policy: SandboxPolicy, now = new Date()): Promise<{ row: SandboxRow; created: boolean }> {
    return claimSandbox(this.db, { tenantId: fresh.tenantId, sandbox: fresh, limits: policy, now });
  }

  getAcrossTenants(id: string): Promise<SandboxRow | null> {
    return findSandboxAcrossTenants(this.db, { sandboxId: id });
  }

  listLiveAcrossTenants(driver: string): Promise<SandboxRow[]> {
    return listLiveSandboxesAcrossTenants(this.db, { driver });
  }

  listDueAcrossTenants(driver: string, policy: SandboxPolicy, now = new Date()): Promise<SandboxRow[]> {
    return listDueSandboxesAcrossTenants(this.db, { driver, idleMs: policy.idleMs, now });
  }

  markRunning(sandbox: Sandbox): Promise<void> {
    return markSandboxRunning(this.db, ref(sandbox));
  }

  end(sandbox: Sandbox, reason: SandboxEndReason, failure: string | null = null, now = new Date()): Promise<SandboxRow | null> {
    return endSandbox(this.db, { ...ref(sandbox), reason, failure, now });
  }

  touch(sandbox: Sandbox, now = new Date()): Promise<void> {
    return touchSandbox(this.db, { ...ref(sandbox), now });
  }
}
