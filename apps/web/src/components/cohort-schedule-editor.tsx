"use client";

import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { RuleFields, ruleDraftOf, ruleOf } from "./cohort-rule-fields";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

/** The cohort's own rule, edited in place; the cohort stays linked to its template. */
export function RuleEditor({ cohortId, rule }: { cohortId: string; rule: PacingRule }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(() => ruleDraftOf(rule));
  const save = useAction(trpc.schedules.setRule.mutationOptions({ onSuccess: () => setOpen(false) }));
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Edit the rule
      </button>
    );
  }
  return (
    <form
      noValidate
      className="card form"
      aria-label="Edit the cohort's rule"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ cohortId, rule: ruleOf(draft) });
      }}
    >
      <RuleFields value={draft} onChange={setDraft} />
      <div className="row" style={{ justifyContent: "flex-start" }}>
        <button type="submit" disabled={save.isPending}>
          Save rule
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <ErrorText error={save.error} />
    </form>
  );
}

export function ReapplyCohortTemplate({ cohortId, templateId, templateName }: { cohortId: string; templateId: string; templateName: string }) {
  const trpc = useTRPC();
  const [clear, setClear] = useState(false);
  const apply = useAction(trpc.schedules.applyTemplate.mutationOptions());
  return (
    <section className="notice" aria-label="Template changed">
      <p>
        <strong>Template changed — re-apply.</strong> "{templateName}" was edited after this cohort's rule was copied from it.
      </p>
      <label>
        <input type="checkbox" style={{ width: "auto" }} checked={clear} onChange={(e) => setClear(e.target.checked)} /> Also remove the hand-set
        dates of single items
      </label>{" "}
      <button type="button" onClick={() => apply.mutate({ cohortId, templateId, keepOverrides: !clear })} disabled={apply.isPending}>
        Re-apply template {templateName}
      </button>
      <ErrorText error={apply.error} />
    </section>
  );
}

type Side = { date: string; time: string; day: number };

/**
 * One item's hand-set dates. In fixed mode the cohort zone's dates and times; in relative mode
 * days after each learner's anchor date, which is how the server stores either.
 */
export function ItemDatesEditor({
  cohortId,
  itemKey,
  title,
  mode,
  opens,
  due,
  overridden,
}: {
  cohortId: string;
  itemKey: string;
  title: string;
  mode: PacingRule["mode"];
  opens: Side;
  due: Side;
  overridden: boolean;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [opensDate, setOpensDate] = useState(opens.date);
  const [opensDay, setOpensDay] = useState(opens.day);
  const [opensTime, setOpensTime] = useState(opens.time);
  const [dueDate, setDueDate] = useState(due.date);
  const [dueDay, setDueDay] = useState(due.day);
  const [dueTime, setDueTime] = useState(due.time);
  const save = useAction(trpc.schedules.setOverride.mutationOptions({ onSuccess: () => setOpen(false) }));
  const reset = useAction(trpc.schedules.clearOverride.mutationOptions());
  // The form starts from the item's dates as they are now (a reset or another edit may have moved them).
  const toggle = () => {
    if (!open) {
      setOpensDate(opens.date);
      setOpensDay(opens.day);
      setOpensTime(opens.time);
      setDueDate(due.date);
      setDueDay(due.day);
      setDueTime(due.time);
    }
    setOpen(!open);
  };
  return (
    <>
      <div className="row" style={{ justifyContent: "flex-start", flexWrap: "wrap" }}>
        <button type="button" className="secondary" aria-expanded={open} aria-label={`Edit dates of ${title}`} onClick={toggle}>
          {open ? "Close" : "Edit dates"}
        </button>
        {overridden && (
          <button
            type="button"
            className="secondary"
            aria-label={`Reset ${title} to rule`}
            onClick={() => reset.mutate({ cohortId, itemKey })}
            disabled={reset.isPending}
          >
            Reset to rule
          </button>
        )}
      </div>
      <ErrorText error={reset.error} />
      {open && (
        <form
          noValidate
          className="form"
          aria-label={`Dates of ${title}`}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(
              mode === "fixed"
                ? { cohortId, itemKey, mode, opensDate, opensTime, dueDate, dueTime }
                : { cohortId, itemKey, mode, opensDay, opensTime, dueDay, dueTime },
            );
          }}
        >
          {mode === "fixed" ? (
            <label>
              Opens on
              <input name="opensDate" type="date" value={opensDate} onChange={(e) => setOpensDate(e.target.value)} />
            </label>
          ) : (
            <label>
              Opens on day (after enrollment)
              <input name="opensDay" type="number" min={0} value={opensDay} onChange={(e) => setOpensDay(e.target.valueAsNumber)} />
            </label>
          )}
          <label>
            Opens at
            <input name="opensTime" type="time" value={opensTime} onChange={(e) => setOpensTime(e.target.value)} />
          </label>
          {mode === "fixed" ? (
            <label>
              Due on
              <input name="dueDate" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
            </label>
          ) : (
            <label>
              Due on day (after enrollment)
              <input name="dueDay" type="number" min={0} value={dueDay} onChange={(e) => setDueDay(e.target.valueAsNumber)} />
            </label>
          )}
          <label>
            Due at
            <input name="dueTime" type="time" value={dueTime} onChange={(e) => setDueTime(e.target.value)} />
          </label>
          <button type="submit" disabled={save.isPending}>
            Save dates
          </button>
          <ErrorText error={save.error} />
        </form>
      )}
    </>
  );
}
