import { headers } from "next/headers";
import Link from "next/link";
import { AnnouncementForm, DeleteAnnouncementButton } from "~/components/cohort-announcement-form";
import { ExtensionForm, RevokeExtensionButton } from "~/components/cohort-extension-form";
import { DeleteCohortForm } from "~/components/cohort-delete-form";
import { CohortSettingsForm } from "~/components/cohort-form";
import { CohortInstructorsForm } from "~/components/cohort-instructors";
import { InviteLink } from "~/components/cohort-invite-link";
import { AddMembersForm, RemoveMemberButton } from "~/components/cohort-roster-actions";
import { describeLatePolicy, describeRule } from "~/components/cohort-rule-text";
import { ItemDatesEditor, ReapplyCohortTemplate, RuleEditor } from "~/components/cohort-schedule-editor";
import { MoveVersionButton } from "~/components/cohort-version-move";
import { Moment } from "~/components/moment";
import { now as clockNow } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

/** What auditText reads of an audit log entry. */
type AuditEntry = { action: string; detail: unknown };

const statusText = (s: { status: "on_track" | "behind" | "not_started"; overdue: number }) =>
  s.status === "on_track"
    ? "On track"
    : s.status === "not_started"
      ? "Not started"
      : `Behind (${s.overdue} ${s.overdue === 1 ? "item" : "items"} past due)`;

/** An item as the learner's outline names it: "Chapter 5: Agile Development", "Lab: Kafka basics". */
const itemLabel = (i: { kind: "chapter" | "lab"; chapterNumber: number; title: string }) =>
  i.kind === "lab" ? `Lab: ${i.title}` : `Chapter ${i.chapterNumber}: ${i.title}`;

/** A diff's parts keyed by where each starts in the text of both versions run together: unique and stable. */
function keyedParts<T extends { text: string }>(parts: T[]): (T & { key: number })[] {
  let offset = 0;
  return parts.map((part) => {
    const key = offset;
    offset += part.text.length;
    return { ...part, key };
  });
}

/** The audit log's detail is free-form JSON per action: these read the fields each action writes. */
function auditText(entry: AuditEntry, nameOf: (userId: string) => string, itemName: (key: string) => string): string {
  const d = (entry.detail ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const item = d.item as { key?: string; title?: string | null } | null | undefined;
  const learner = d.learner as { id?: string; name?: string | null } | undefined;
  const ids = Array.isArray(d.userIds) ? d.userIds.filter((v): v is string => typeof v === "string") : [];
  switch (entry.action) {
    case "cohort.created":
      return `Created the cohort "${str(d.name)}" on edition ${str(d.edition)}`;
    case "cohort.updated":
      return `Changed the settings: ${Object.entries(d)
        .map(([k, v]) => `${k} = ${v === null ? "none" : String(v)}`)
        .join(", ")}`;
    case "instructors.set":
      return `Set the instructors: ${ids.map(nameOf).join(", ")}`;
    case "members.added":
      return `Added ${ids.map(nameOf).join(", ")}`;
    case "member.removed":
      return `Removed ${nameOf(str(d.userId))}`;
    case "invite_link.reset":
      return "Reset the invitation link (the old one stopped working)";
    case "invite_link.disabled":
      return "Switched the invitation link off";
    case "version.moved":
      return `Moved the cohort from edition ${str(d.from)} to ${str(d.to)}`;
    case "schedule.template_applied":
      return `Applied the template "${str(d.templateName)}" (revision ${String(d.revision ?? "")})`;
    case "schedule.rule_edited":
      return "Edited the pacing rule";
    case "schedule.override_set":
      return `Set the dates of ${itemName(str(d.itemKey))} by hand`;
    case "schedule.override_cleared":
      return `Reset ${itemName(str(d.itemKey))} to the rule's dates`;
    case "extension.granted":
      // Its reason is in the extensions table; one line per change here.
      return `Granted ${learner?.name ?? "a learner"} +${String(d.days)} days on ${item ? (item.title ?? item.key) : "everything"}`;
    case "extension.revoked":
      return `Revoked ${learner?.name ?? "a learner"}'s +${String(d.days)} days on ${item ? (item.title ?? item.key) : "everything"}`;
    case "announcement.posted":
      return `Posted the announcement "${str(d.title)}"`;
    case "announcement.deleted":
      return `Deleted the announcement "${str(d.title)}"`;
    default:
      return entry.action;
  }
}

export default async function CohortPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const api = await serverApi();
  const cohort = await orRedirect(api.cohorts.get({ cohortId }));
  const [roster, schedule, extensions, announcements, audit] = await Promise.all([
    orRedirect(api.cohorts.roster({ cohortId })),
    orRedirect(api.schedules.forCohort({ cohortId })),
    orRedirect(api.extensions.list({ cohortId })),
    orRedirect(api.announcements.list({ cohortId })),
    orRedirect(api.extensions.auditLog({ cohortId })),
  ]);
  const diff = cohort.newerVersion ? await orRedirect(api.cohorts.versionDiff({ cohortId })) : null;
  // Only a cohort's managers may see (and so share) its join code.
  const invite = cohort.canManage ? await orRedirect(api.cohorts.inviteLink({ cohortId })) : null;
  const members = cohort.canManage ? await orRedirect(api.orgs.members()) : [];
  const [org, me] = cohort.canManage ? await Promise.all([orRedirect(api.orgs.current()), api.auth.me()]) : [null, null];
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
  const now = clockNow().toISOString();
  const zone = cohort.timeZone;

  const inCohort = new Set(roster.map((r) => r.userId));
  const names = new Map([...members, ...roster, ...cohort.instructors].map((p) => [p.userId, p.displayName]));
  const nameOf = (userId: string) => names.get(userId) ?? "a former member";
  const items = new Map(schedule.items.map((i) => [i.key, itemLabel(i)]));
  // An item the pinned edition no longer has keeps its key.
  const itemName = (key: string) => items.get(key) ?? key;

  return (
    <div className="stack">
      <p>
        <Link href="/cohorts">All cohorts</Link>
      </p>
      <h1>{cohort.name}</h1>
      <section aria-labelledby="about-heading" className="card stack">
        <h2 id="about-heading">About this cohort</h2>
        <dl>
          <dt>Course</dt>
          <dd>
            <Link href={`/courses/${cohort.course.slug}`}>{cohort.course.title}</Link>, edition {cohort.version.edition}
          </dd>
          <dt>Dates</dt>
          <dd>
            {cohort.startDate} to {cohort.endDate}
          </dd>
          <dt>Time zone</dt>
          <dd>{zone}</dd>
          <dt>Seats</dt>
          <dd>
            {cohort.memberCount} {cohort.seatLimit === null ? "learners, no seat limit" : `of ${cohort.seatLimit} taken`}
          </dd>
          <dt>Late work</dt>
          <dd>{describeLatePolicy(cohort.latePolicy, cohort.closeAfterDays)}</dd>
          <dt>Instructors</dt>
          <dd>{cohort.instructors.map((i) => i.displayName).join(", ")}</dd>
        </dl>
        {!cohort.canManage && <p className="muted">You can read this cohort; only its instructors or an owner can change it.</p>}
        {cohort.canManage && (
          <CohortSettingsForm
            cohort={{
              cohortId: cohort.id,
              name: cohort.name,
              startDate: cohort.startDate,
              endDate: cohort.endDate,
              timeZone: cohort.timeZone,
              seatLimit: cohort.seatLimit,
              latePolicy: cohort.latePolicy,
              closeAfterDays: cohort.closeAfterDays,
            }}
          />
        )}
        {cohort.canManage && org && me && (
          <CohortInstructorsForm
            cohortId={cohort.id}
            instructors={cohort.instructors.map((i) => ({ userId: i.userId, displayName: i.displayName }))}
            staff={members
              .filter((m) => m.role !== "learner")
              .map((m) => ({ userId: m.userId, displayName: m.displayName, email: m.email, role: m.role }))}
            viewer={{ userId: me.id, role: org.role }}
          />
        )}
      </section>

      {cohort.newerVersion && diff && (
        <section aria-labelledby="edition-heading" className="card stack">
          <h2 id="edition-heading">Newer edition available</h2>
          <p>
            The cohort is on edition {diff.from.edition}; the course is now at edition {diff.to.edition}. Progress carries over by lesson key.
          </p>
          {diff.added.length > 0 && (
            <>
              <h3>Added lessons</h3>
              <ul>
                {diff.added.map((l) => (
                  <li key={l.key}>
                    <code>{l.key}</code> {l.title}
                  </li>
                ))}
              </ul>
            </>
          )}
          {diff.removed.length > 0 && (
            <>
              <h3>Removed lessons</h3>
              <ul>
                {diff.removed.map((l) => (
                  <li key={l.key}>
                    <code>{l.key}</code> {l.title}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>Changed lessons</h3>
          {diff.changed.length === 0 && <p className="muted">No lesson's text changed.</p>}
          {diff.changed.map((l) => (
            <details key={l.key}>
              <summary>
                <code>{l.key}</code> {l.newTitle}
                {l.oldTitle !== l.newTitle && <span className="muted"> (was {l.oldTitle})</span>}
              </summary>
              <pre style={{ whiteSpace: "pre-wrap", fontSize: ".9rem" }}>
                {keyedParts(l.diff).map((part) =>
                  part.kind === "added" ? (
                    <ins key={part.key} style={{ color: "var(--accent)" }}>
                      {part.text}
                    </ins>
                  ) : part.kind === "removed" ? (
                    <del key={part.key} style={{ color: "var(--error)" }}>
                      {part.text}
                    </del>
                  ) : (
                    <span key={part.key}>{part.text}</span>
                  ),
                )}
              </pre>
            </details>
          ))}
          {cohort.canManage && <MoveVersionButton cohortId={cohort.id} versionId={diff.to.id} edition={diff.to.edition} />}
        </section>
      )}

      <section aria-labelledby="roster-heading" className="stack">
        <h2 id="roster-heading">Roster</h2>
        <p>
          <Link href={`/cohorts/${cohort.id}/gradebook`}>Gradebook</Link>
        </p>
        {roster.length === 0 ? (
          <p className="muted">Nobody is in this cohort yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Enrolled</th>
                <th>Status</th>
                <th>Done</th>
                {cohort.canManage && <th>Actions</th>}
              </tr>
            </thead>
            <tbody>
              {roster.map((r) => (
                <tr key={r.userId}>
                  <td>{r.displayName}</td>
                  <td>{r.email}</td>
                  <td>
                    <Moment at={r.enrolledAt} zone={zone} now={now} />
                  </td>
                  <td>{statusText(r)}</td>
                  <td>{`${r.done} of ${r.total}${r.late > 0 ? `, ${r.late} late` : ""}`}</td>
                  {cohort.canManage && (
                    <td>
                      <RemoveMemberButton cohortId={cohort.id} userId={r.userId} name={r.displayName} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cohort.canManage && (
          <AddMembersForm
            cohortId={cohort.id}
            candidates={members
              .filter((m) => !inCohort.has(m.userId))
              .map((m) => ({ userId: m.userId, displayName: m.displayName, email: m.email, role: m.role }))}
          />
        )}
      </section>

      {invite && (
        <section aria-labelledby="invite-heading" className="stack">
          <h2 id="invite-heading">Invitation link</h2>
          <InviteLink cohortId={cohort.id} code={invite.code} origin={origin} />
        </section>
      )}

      <section aria-labelledby="schedule-heading" className="stack">
        <h2 id="schedule-heading">Schedule</h2>
        <p>{describeRule(schedule.rule)}</p>
        <p className="muted">
          {schedule.anchor.description}
          {schedule.template && ` From the template "${schedule.template.name}".`}
        </p>
        {cohort.canManage && cohort.templateChanged && cohort.template && (
          <ReapplyCohortTemplate cohortId={cohort.id} templateId={cohort.template.id} templateName={cohort.template.name} />
        )}
        {schedule.warnings
          .filter((w) => w.code !== "template_changed" || !cohort.canManage)
          .map((w) => (
            <p key={w.code} className="notice" role="status">
              {w.message}
            </p>
          ))}
        {cohort.canManage && <RuleEditor cohortId={cohort.id} rule={schedule.rule} />}
        {schedule.items.length === 0 ? (
          <p className="muted">This edition has nothing to schedule.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Item</th>
                <th>Opens</th>
                <th>Due</th>
                {cohort.canManage && <th>Edit</th>}
              </tr>
            </thead>
            <tbody>
              {schedule.items.map((item) => (
                <tr key={item.key}>
                  <td>
                    {itemLabel(item)}
                    {item.overridden && <span className="badge updated">dates set by hand</span>}
                  </td>
                  <td>
                    <Moment at={item.opensAt} zone={zone} now={now} />
                    {schedule.mode === "relative" && <div className="muted">day {item.opens.day}</div>}
                  </td>
                  <td>
                    <Moment at={item.dueAt} zone={zone} now={now} />
                    {schedule.mode === "relative" && <div className="muted">day {item.due.day}</div>}
                  </td>
                  {cohort.canManage && (
                    <td>
                      <ItemDatesEditor
                        cohortId={cohort.id}
                        itemKey={item.key}
                        title={itemLabel(item)}
                        mode={schedule.mode}
                        opens={item.opens}
                        due={item.due}
                        overridden={item.overridden}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="extensions-heading" className="stack">
        <h2 id="extensions-heading">Extensions</h2>
        {cohort.canManage && (
          <ExtensionForm
            cohortId={cohort.id}
            learners={roster.map((r) => ({ userId: r.userId, displayName: r.displayName }))}
            items={schedule.items.map((i) => ({ key: i.key, title: itemLabel(i) }))}
          />
        )}
        {extensions.length === 0 ? (
          <p className="muted">No extensions granted.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Learner</th>
                <th>Item</th>
                <th>Extra time</th>
                <th>Reason</th>
                <th>Granted</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {extensions.map((e) => {
                const what = e.itemKey === null ? "Everything" : (e.itemTitle ?? e.itemKey);
                return (
                  <tr key={e.id}>
                    <td>{e.learnerName}</td>
                    <td>{what}</td>
                    <td>+{e.days === 1 ? "1 day" : `${e.days} days`}</td>
                    <td>{e.reason}</td>
                    <td>
                      <Moment at={e.createdAt} zone={zone} now={now} /> by {e.grantedByName ?? "a former member"}
                    </td>
                    <td>
                      {e.revokedAt ? (
                        <>
                          revoked <Moment at={e.revokedAt} zone={zone} now={now} />
                        </>
                      ) : cohort.canManage ? (
                        <RevokeExtensionButton extensionId={e.id} label={`${e.learnerName}'s extension on ${what}`} />
                      ) : (
                        "active"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="announcements-heading" className="stack">
        <h2 id="announcements-heading">Announcements</h2>
        {cohort.canManage && <AnnouncementForm cohortId={cohort.id} />}
        {announcements.length === 0 ? (
          <p className="muted">No announcements yet.</p>
        ) : (
          <ul className="cards">
            {announcements.map((a) => (
              <li key={a.id} className="card stack">
                <h3>{a.title}</h3>
                <p style={{ whiteSpace: "pre-wrap" }}>{a.body}</p>
                <p className="muted">
                  <Moment at={a.createdAt} zone={zone} now={now} /> by {a.authorName ?? "a former member"}
                </p>
                {cohort.canManage && <DeleteAnnouncementButton announcementId={a.id} title={a.title} />}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="audit-heading" className="stack">
        <h2 id="audit-heading">Audit log</h2>
        {audit.length === 0 ? (
          <p className="muted">Nothing recorded yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <Moment at={entry.createdAt} zone={zone} now={now} />
                  </td>
                  <td>{entry.actorName ?? "a former member"}</td>
                  <td>{auditText(entry, nameOf, itemName)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {cohort.canManage && <DeleteCohortForm cohortId={cohort.id} name={cohort.name} />}
    </div>
  );
}
