import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";

/** The embedded server's passwords: its superuser and one login role per process kind. */
const secretsSchema = z.object({
  superuser: z.string().min(32),
  owner: z.string().min(32),
  web: z.string().min(32),
  labRunner: z.string().min(32),
  /**
   * Set while a data directory made before this file existed still has its old superuser
   * password: the next start replaces it, over a private socket (see embedded.ts).
   */
  resetSuperuser: z.boolean().optional(),
});
export type EmbeddedSecrets = z.infer<typeof secretsSchema>;

const freshPassword = () => randomBytes(32).toString("hex");

export function newSecrets(): EmbeddedSecrets {
  return { superuser: freshPassword(), owner: freshPassword(), web: freshPassword(), labRunner: freshPassword() };
}

export function readSecrets(file: string): EmbeddedSecrets | null {
  if (!existsSync(file)) return null;
  const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(`${file} is not a valid secrets file (${parsed.error.issues[0]?.message}); remove it and the data directory to start afresh`);
  return parsed.data;
}

/** Written whole to a temporary name and renamed, so a crash never leaves half a file; readable by its owner only. */
export function writeSecrets(file: string, secrets: EmbeddedSecrets): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
