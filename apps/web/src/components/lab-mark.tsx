import { type LabMarkInput, labMarkLabel, labMarkText } from "~/lib/lab-mark";

/** The outline's mark beside a lesson with labs: "Lab", "Lab 6/8", "Lab ✓ 8/8", "2 labs · 6/8"; nothing for a lesson without. */
export function LabMark({ labs }: { labs: readonly LabMarkInput[] }) {
  if (labs.length === 0) return null;
  const done = labs.every((l) => l.best?.done);
  return (
    <span className={done ? "badge current" : "badge"} title={labMarkLabel(labs)} data-testid="lesson-lab-mark">
      {labMarkText(labs)}
    </span>
  );
}
