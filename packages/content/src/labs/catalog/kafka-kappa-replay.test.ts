import { describe, expect, it } from "vitest";
import { labAttempts, readLabScript } from "../attempts";
import { kafkaKappaReplayLab } from "./kafka-kappa-replay";

describe("kafka-kappa-replay", () => {
  it("runs, in every attempt, the job exactly as step 1's instructions ship it", () => {
    const instructions = kafkaKappaReplayLab.steps[0]?.instructions ?? "";
    const start = instructions.indexOf("cat > revenue_view.py <<'PY'\n");
    const job = instructions.slice(start, instructions.indexOf("\nPY\n", start) + "\nPY\n".length);
    expect(start).toBeGreaterThan(0);
    const attempts = labAttempts[kafkaKappaReplayLab.slug];
    const scripts = [attempts?.solution ?? "", ...(attempts?.alternatives ?? []), ...(attempts?.wrong.map((w) => w.script) ?? [])];
    for (const script of scripts) expect(readLabScript(kafkaKappaReplayLab.slug, script), script).toContain(job);
  });
});
