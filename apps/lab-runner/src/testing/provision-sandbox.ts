/**
 * Provisions one Kafka sandbox with the local driver in a process of its own, for tests that
 * kill lab-runner with -9 part-way through. Usage: tsx provision-sandbox.ts <base dir> <sandbox id>
 */
import { LocalSandboxDriver } from "../driver/local/local-driver";
import { testLabSoftware } from "./test-sandboxes";

const [baseDir, sandboxId] = process.argv.slice(2);
if (!baseDir || !sandboxId) throw new Error("usage: provision-sandbox.ts <base dir> <sandbox id>");
await new LocalSandboxDriver({ baseDir, software: testLabSoftware }).provision({ sandboxId, services: ["kafka"] });
