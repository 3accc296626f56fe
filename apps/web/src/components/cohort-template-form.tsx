"use client";

import type { PacingRule } from "@cookbook/schedule/pacing-rule";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { defaultRuleDraft, RuleFields, ruleDraftOf, ruleOf } from "./cohort-rule-fields";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

export function NewTemplateForm() {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [rule, setRule] = useState(defaultRuleDraft);
  const create = useAction(trpc.schedules.createTemplate.mutationOptions({ onSuccess: () => setName("") }));
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="new-template-heading"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name, rule: ruleOf(rule) });
      }}
    >
      <h3 id="new-template-heading">New schedule template</h3>
      <label>
        Template name
        <input name="templateName" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <RuleFields value={rule} onChange={setRule} />
      <button type="submit" disabled={create.isPending}>
        Create template
      </button>
      <ErrorText error={create.error} />
    </form>
  );
}

/**
 * Edits a template in place. Cohorts keep the rule they copied, so after a changed rule the
 * server names the cohorts made from an older revision and each gets a "Re-apply" button.
 */
export function TemplateEditor({ template }: { template: { id: string; name: string; rule: PacingRule } }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(template.name);
  const [rule, setRule] = useState(() => ruleDraftOf(template.rule));
  const [toReapply, setToReapply] = useState<{ id: string; name: string }[] | null>(null);
  const update = useAction(trpc.schedules.updateTemplate.mutationOptions({ onSuccess: (r) => setToReapply(r.cohortsToReapply) }));
  const remove = useAction(trpc.schedules.deleteTemplate.mutationOptions());
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "flex-start" }}>
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Close editor" : `Edit template ${template.name}`}
        </button>
        <button type="button" className="secondary" onClick={() => remove.mutate({ templateId: template.id })} disabled={remove.isPending}>
          Delete template {template.name}
        </button>
      </div>
      <ErrorText error={remove.error} />
      {open && (
        <form
          noValidate
          className="form"
          aria-label={`Edit template ${template.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            setToReapply(null);
            update.mutate({ templateId: template.id, name, rule: ruleOf(rule) });
          }}
        >
          <label>
            Template name
            <input name="templateName" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <RuleFields value={rule} onChange={setRule} />
          <button type="submit" disabled={update.isPending}>
            Save template
          </button>
          <ErrorText error={update.error} />
        </form>
      )}
      {toReapply &&
        (toReapply.length === 0 ? (
          <p role="status">Saved. No cohort uses an older version of this template.</p>
        ) : (
          <div role="status" className="notice">
            <p>Saved. These cohorts still follow the template's previous rule:</p>
            <ul className="plain">
              {toReapply.map((c) => (
                <li key={c.id}>
                  {c.name} <ReapplyTemplateButton cohortId={c.id} cohortName={c.name} templateId={template.id} />
                </li>
              ))}
            </ul>
          </div>
        ))}
    </div>
  );
}

/** Copies the template's current rule into the cohort, keeping the cohort's hand-set dates. */
export function ReapplyTemplateButton({ cohortId, cohortName, templateId }: { cohortId: string; cohortName: string; templateId: string }) {
  const trpc = useTRPC();
  const [done, setDone] = useState(false);
  const apply = useAction(trpc.schedules.applyTemplate.mutationOptions({ onSuccess: () => setDone(true) }));
  if (done) return <span role="status">Re-applied.</span>;
  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={`Re-apply to ${cohortName}`}
        onClick={() => apply.mutate({ cohortId, templateId, keepOverrides: true })}
        disabled={apply.isPending}
      >
        Re-apply
      </button>
      <ErrorText error={apply.error} />
    </>
  );
}
