import { serviceTitle } from "@cookbook/lab-runner-api/vocabulary";
import type { RouterOutputs } from "~/trpc/react";

type Overview = RouterOutputs["labs"]["overview"];

/** The instructors' read-only list of the organisation's running lab sandboxes. */
export function LabSandboxes({ sandboxes, runnerMessage }: { sandboxes: Overview["sandboxes"]; runnerMessage: string | null }) {
  return (
    <section aria-labelledby="live-labs">
      <h2 id="live-labs">Labs running now</h2>
      {runnerMessage && (
        <p role="alert" className="error">
          {runnerMessage}
        </p>
      )}
      {sandboxes.length === 0 ? (
        <p className="muted">No lab sandbox is running in this organisation.</p>
      ) : (
        <table aria-label="Running lab sandboxes">
          <thead>
            <tr>
              <th>Learner</th>
              <th>Lab</th>
              <th>State</th>
              <th>Services</th>
              <th>Ends</th>
            </tr>
          </thead>
          <tbody>
            {sandboxes.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.learner.displayName}
                  <div className="muted">{s.learner.email}</div>
                </td>
                <td>{s.labTitle}</td>
                <td>
                  {s.state}
                  {s.message && <div className="muted">{s.message}</div>}
                </td>
                <td>{s.services.length === 0 ? "—" : s.services.map((x) => `${serviceTitle(x.name)}: ${x.state}`).join(", ")}</td>
                <td>{s.endsAt.slice(0, 16).replace("T", " ")} UTC</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
