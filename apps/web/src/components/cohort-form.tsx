"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { InstructorChoice, type StaffMember } from "./cohort-instructors";
import { defaultRuleDraft, RuleFields, ruleOf } from "./cohort-rule-fields";
import { ErrorText } from "./error-text";
import { useAction } from "./use-action";

type LatePolicy = "accept_late" | "close_after";

/** Suggestions only: the server accepts any IANA zone name and refuses the rest with a clear message. */
const commonZones = [
  "UTC",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Lisbon",
  "Europe/Berlin",
  "Europe/Paris",
  "Europe/Madrid",
  "Europe/Amsterdam",
  "Europe/Zurich",
  "Europe/Vienna",
  "Europe/Warsaw",
  "Europe/Stockholm",
  "Europe/Helsinki",
  "Europe/Athens",
  "Europe/Istanbul",
  "Europe/Kyiv",
  "Africa/Lagos",
  "Africa/Nairobi",
  "Africa/Johannesburg",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Pacific/Auckland",
  "America/Sao_Paulo",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Toronto",
  "America/Mexico_City",
];

function TimeZoneInput({ value, onChange }: { value: string; onChange: (zone: string) => void }) {
  return (
    <label>
      Time zone
      <input name="timeZone" list="cohort-time-zones" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
      <datalist id="cohort-time-zones">
        {commonZones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </label>
  );
}

function LatePolicyFields({
  policy,
  days,
  onPolicy,
  onDays,
}: {
  policy: LatePolicy;
  days: number;
  onPolicy: (p: LatePolicy) => void;
  onDays: (d: number) => void;
}) {
  return (
    <>
      <label>
        Late work
        <select name="latePolicy" value={policy} onChange={(e) => onPolicy(e.target.value as LatePolicy)}>
          <option value="accept_late">Accept late work (marked late)</option>
          <option value="close_after">Close some days after the due time</option>
        </select>
      </label>
      {policy === "close_after" && (
        <label>
          Close after (days past due)
          <input
            name="closeAfterDays"
            type="number"
            min={0}
            max={365}
            value={Number.isNaN(days) ? "" : days}
            onChange={(e) => onDays(e.target.valueAsNumber)}
          />
        </label>
      )}
    </>
  );
}

/** "" is no limit; anything else is sent as a number for the server to judge. */
const seatLimitOf = (text: string) => (text.trim() === "" ? null : Number(text));

export function NewCohortForm({
  courses,
  templates,
  defaultStart,
  staff,
  viewer,
}: {
  courses: { id: string; title: string }[];
  templates: { id: string; name: string; summary: string }[];
  defaultStart: string;
  /** The organisation's instructors and owners, who may teach the cohort. */
  staff: StaffMember[];
  viewer: { userId: string; role: string };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [courseId, setCourseId] = useState(courses[0]?.id ?? "");
  const [startDate, setStartDate] = useState(defaultStart);
  const [endDate, setEndDate] = useState("");
  const [timeZone, setTimeZone] = useState("Europe/Berlin");
  const [seats, setSeats] = useState("");
  const [latePolicy, setLatePolicy] = useState<LatePolicy>("accept_late");
  const [closeAfterDays, setCloseAfterDays] = useState(7);
  // "" = the rule written below; otherwise a template's id.
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? "");
  const [rule, setRule] = useState(defaultRuleDraft);
  // The creator teaches it unless an owner chooses otherwise; an instructor always stays among them (the server requires it).
  const [instructorIds, setInstructorIds] = useState([viewer.userId]);
  const fixedInstructor = viewer.role === "owner" ? undefined : viewer.userId;
  const create = useAction(trpc.cohorts.create.mutationOptions(), (cohort) => router.push(`/cohorts/${cohort.id}`));
  const template = templates.find((t) => t.id === templateId);

  if (courses.length === 0) return <p className="muted">Enable a course for the organisation before creating a cohort.</p>;
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="new-cohort-heading"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({
          name,
          courseId,
          startDate,
          endDate,
          timeZone,
          seatLimit: seatLimitOf(seats),
          latePolicy,
          closeAfterDays: latePolicy === "close_after" ? closeAfterDays : null,
          instructorIds,
          ...(templateId === "" ? { rule: ruleOf(rule) } : { templateId }),
        });
      }}
    >
      <h2 id="new-cohort-heading">New cohort</h2>
      <label>
        Cohort name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Course
        <select name="courseId" value={courseId} onChange={(e) => setCourseId(e.target.value)}>
          {courses.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Start date
        <input name="startDate" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
      </label>
      <label>
        End date
        <input name="endDate" type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
      </label>
      <TimeZoneInput value={timeZone} onChange={setTimeZone} />
      <label>
        Seat limit (empty for none)
        <input name="seatLimit" type="number" min={1} value={seats} onChange={(e) => setSeats(e.target.value)} />
      </label>
      <LatePolicyFields policy={latePolicy} days={closeAfterDays} onPolicy={setLatePolicy} onDays={setCloseAfterDays} />
      <label>
        Schedule
        <select name="templateId" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              Template: {t.name}
            </option>
          ))}
          <option value="">A rule written here</option>
        </select>
      </label>
      {template ? <p className="muted">{template.summary}</p> : <RuleFields value={rule} onChange={setRule} />}
      <fieldset className="form">
        <legend>Instructors</legend>
        <InstructorChoice staff={staff} chosen={instructorIds} onChange={setInstructorIds} fixed={fixedInstructor} />
        <p className="muted">
          {fixedInstructor
            ? "You teach the cohorts you create; tick the colleagues who teach it with you."
            : "One or more of the organisation's instructors and owners."}
        </p>
      </fieldset>
      <button type="submit" disabled={create.isPending}>
        Create cohort
      </button>
      <ErrorText error={create.error} />
    </form>
  );
}

type Settings = {
  cohortId: string;
  name: string;
  startDate: string;
  endDate: string;
  timeZone: string;
  seatLimit: number | null;
  latePolicy: LatePolicy;
  closeAfterDays: number | null;
};

/** Sends only what was changed, so an unchanged field is neither re-checked nor logged as a change. */
export function CohortSettingsForm({ cohort }: { cohort: Settings }) {
  const trpc = useTRPC();
  const [name, setName] = useState(cohort.name);
  const [startDate, setStartDate] = useState(cohort.startDate);
  const [endDate, setEndDate] = useState(cohort.endDate);
  const [timeZone, setTimeZone] = useState(cohort.timeZone);
  const [seats, setSeats] = useState(cohort.seatLimit === null ? "" : String(cohort.seatLimit));
  const [latePolicy, setLatePolicy] = useState<LatePolicy>(cohort.latePolicy);
  const [closeAfterDays, setCloseAfterDays] = useState(cohort.closeAfterDays ?? 7);
  const [saved, setSaved] = useState(false);
  const update = useAction(trpc.cohorts.update.mutationOptions({ onSuccess: () => setSaved(true) }));
  const seatLimit = seatLimitOf(seats);
  const close = latePolicy === "close_after" ? closeAfterDays : null;
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="cohort-settings-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        update.mutate({
          cohortId: cohort.cohortId,
          ...(name !== cohort.name && { name }),
          ...(startDate !== cohort.startDate && { startDate }),
          ...(endDate !== cohort.endDate && { endDate }),
          ...(timeZone !== cohort.timeZone && { timeZone }),
          ...(seatLimit !== cohort.seatLimit && { seatLimit }),
          ...((latePolicy !== cohort.latePolicy || close !== cohort.closeAfterDays) && { latePolicy, closeAfterDays: close }),
        });
      }}
    >
      <h3 id="cohort-settings-heading">Cohort settings</h3>
      <label>
        Cohort name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Start date
        <input name="startDate" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
      </label>
      <label>
        End date
        <input name="endDate" type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
      </label>
      <TimeZoneInput value={timeZone} onChange={setTimeZone} />
      <label>
        Seat limit (empty for none)
        <input name="seatLimit" type="number" min={1} value={seats} onChange={(e) => setSeats(e.target.value)} />
      </label>
      <LatePolicyFields policy={latePolicy} days={closeAfterDays} onPolicy={setLatePolicy} onDays={setCloseAfterDays} />
      <button type="submit" disabled={update.isPending}>
        Save settings
      </button>
      {saved && !update.isPending && <p role="status">Saved.</p>}
      <ErrorText error={update.error} />
    </form>
  );
}
