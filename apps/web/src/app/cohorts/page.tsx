import { localDateOf } from "@cookbook/schedule/zoned-time";
import Link from "next/link";
import { redirect } from "next/navigation";
import { NewCohortForm } from "~/components/cohort-form";
import { describeRule } from "~/components/cohort-rule-text";
import { NewTemplateForm, TemplateEditor } from "~/components/cohort-template-form";
import { now } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";

export default async function Cohorts() {
  const api = await serverApi();
  const org = await orRedirect(api.orgs.current());
  const [listed, courses] = await Promise.all([orRedirect(api.cohorts.list()), orRedirect(api.courses.list())]);

  if (!listed.staff) {
    const slugOf = new Map(courses.map((c) => [c.id, c.slug]));
    return (
      <div className="stack">
        <h1>Your cohorts in {org.name}</h1>
        {listed.cohorts.length === 0 ? (
          <p className="muted">You are in no cohort here: you learn at your own pace.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Cohort</th>
                <th>Course</th>
                <th>Dates</th>
                <th>Time zone</th>
              </tr>
            </thead>
            <tbody>
              {listed.cohorts.map((c) => {
                const slug = slugOf.get(c.courseId);
                return (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td>{slug ? <Link href={`/courses/${slug}`}>{c.courseTitle}</Link> : c.courseTitle}</td>
                    <td>
                      {c.startDate} to {c.endDate}
                    </td>
                    <td>{c.timeZone}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    );
  }

  const [templates, members, me] = await Promise.all([orRedirect(api.schedules.templates()), orRedirect(api.orgs.members()), api.auth.me()]);
  if (!me) redirect("/sign-in");
  return (
    <div className="stack">
      <h1>Cohorts of {org.name}</h1>
      {listed.cohorts.length === 0 ? (
        <p className="muted">No cohort yet. Create one below.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Cohort</th>
              <th>Course</th>
              <th>Dates</th>
              <th>Time zone</th>
              <th>Seats</th>
              <th>Instructors</th>
            </tr>
          </thead>
          <tbody>
            {listed.cohorts.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/cohorts/${c.id}`}>{c.name}</Link>
                </td>
                <td>{c.courseTitle}</td>
                <td>
                  {c.startDate} to {c.endDate}
                </td>
                <td>{c.timeZone}</td>
                <td>
                  {c.memberCount} {c.seatLimit === null ? "learners (no limit)" : `of ${c.seatLimit}`}
                </td>
                <td>{c.instructors.map((i) => i.displayName).join(", ") || <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewCohortForm
        courses={courses.map((c) => ({ id: c.id, title: c.title }))}
        templates={templates.map((t) => ({ id: t.id, name: t.name, summary: describeRule(t.rule) }))}
        // Today where the server's clock says so, in UTC: only a default for the form to start from.
        defaultStart={localDateOf(now(), "UTC")}
        staff={members
          .filter((m) => m.role !== "learner")
          .map((m) => ({ userId: m.userId, displayName: m.displayName, email: m.email, role: m.role }))}
        viewer={{ userId: me.id, role: org.role }}
      />
      <h2>Schedule templates</h2>
      {templates.length === 0 ? (
        <p className="muted">No template yet: a template is a pacing rule that several cohorts can use, each from its own start date.</p>
      ) : (
        <ul className="cards">
          {templates.map((t) => (
            <li key={t.id} className="card stack">
              <h3>{t.name}</h3>
              <p>{describeRule(t.rule)}</p>
              <p className="muted">
                Revision {t.revision}, used by {t.cohortCount === 1 ? "1 cohort" : `${t.cohortCount} cohorts`}.
              </p>
              <TemplateEditor template={{ id: t.id, name: t.name, rule: t.rule }} />
            </li>
          ))}
        </ul>
      )}
      <NewTemplateForm />
    </div>
  );
}
