import Link from "next/link";
import { now as clockNow } from "~/server/clock";
import { orRedirect, serverApi } from "~/server/trpc/server-caller";
import type { GradebookFilter, gradebookSorts } from "~/server/dashboards/gradebook";
import type { DashboardScopeInput } from "~/server/dashboards/scope";
import type { RouterOutputs } from "~/trpc/react";
import styles from "./dashboards.module.css";
import { GradebookThresholdsForm } from "./gradebook-thresholds-form";
import { Moment } from "./moment";

type Scope = DashboardScopeInput;
type Book = RouterOutputs["gradebook"]["cohort"];
type Sort = (typeof gradebookSorts)[number];
type Filter = GradebookFilter;

/** Where a gradebook's links go: its own page (for ?sort= and ?filter=), a learner's page, the lab failures page, the CSV exports. */
export type GradebookPaths = { self: string; learner: (userId: string) => string; labs: string; exportQuery: string };

const sorts: { value: Sort; label: string }[] = [
  { value: "name", label: "Name" },
  { value: "status", label: "Status" },
  { value: "progress", label: "Progress" },
  { value: "lastActive", label: "Last active" },
];

const labPrefix = "lab:";

/** ?sort= as the router knows it; anything else is the default order (by name). */
export function parseSort(value: string | string[] | undefined): Sort {
  return sorts.find((s) => s.value === value)?.value ?? "name";
}

/**
 * ?filter= in the URL: "behind", "inactive" or "failedLab:<slug>" (one at a time, so every
 * filter is a plain link or a GET form and works without JavaScript). Anything else: no filter.
 */
export function parseFilter(value: string | string[] | undefined): { param: string; filter: Filter } | null {
  if (value === "behind") return { param: value, filter: { behind: true } };
  if (value === "inactive") return { param: value, filter: { inactive: true } };
  if (typeof value === "string" && value.startsWith("failedLab:")) {
    const slug = value.slice("failedLab:".length);
    // The same shape the router accepts; a lab the course lacks is refused there.
    if (/^[a-z0-9-]{1,80}$/.test(slug)) return { param: value, filter: { failedLab: slug } };
  }
  return null;
}

const statusText: Record<Book["rows"][number]["status"], string> = {
  behind: "Behind",
  on_track: "On track",
  not_started: "Not started",
  in_progress: "In progress",
  completed: "Completed",
};

/** "Ch 3" or the lab's title: short enough for a column head; the full name is there for screen readers. */
function ColumnHead({ column, zone }: { column: Book["columns"][number]; zone: string | null }) {
  const due =
    column.dueAt && zone ? new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: zone }).format(new Date(column.dueAt)) : null;
  return (
    <th scope="col" className={styles.cell}>
      {column.kind === "chapter" ? (
        <>
          <span aria-hidden="true">Ch {column.chapterNumber}</span>
          <span className={styles.visuallyHidden}>
            Chapter {column.chapterNumber}: {column.title}
          </span>
        </>
      ) : (
        <>
          <span className={styles.visuallyHidden}>Lab: </span>
          {column.title}
        </>
      )}
      {due && <span className={styles.due}>due {due}</span>}
    </th>
  );
}

/** One cell in words a screen reader says well: "done", "done late", "not yet open", "7/10". */
function Cell({ cell }: { cell: Book["rows"][number]["cells"][string] | undefined }) {
  if (!cell) return <td className={styles.cell} />;
  const score = cell.bestScore !== null && cell.maxScore !== null ? `${cell.bestScore}/${cell.maxScore}` : null;
  return (
    <td className={styles.cell}>
      {cell.done ? (
        <span className={cell.late ? styles.late : styles.done}>
          <span aria-hidden="true">✓</span>
          <span className={styles.visuallyHidden}>done</span>
          {cell.late && " late"}
        </span>
      ) : cell.state === "locked" ? (
        <span className="muted">not yet open</span>
      ) : cell.state === "closed" ? (
        <span className="muted">closed</span>
      ) : (
        !score && (
          <span className="muted">
            <span aria-hidden="true">–</span>
            <span className={styles.visuallyHidden}>not done</span>
          </span>
        )
      )}
      {score && <div>{score}</div>}
      {cell.extended && <span className="badge updated">extended</span>}
    </td>
  );
}

/**
 * The gradebook of a scope (a cohort, or a course's self-paced learners): learners × chapters and
 * labs, sortable and filterable by links (?sort=, ?filter=) that work without JavaScript, with the
 * CSV exports, the at-risk list and, for a cohort's managers, its thresholds.
 */
export async function GradebookView({
  scope,
  paths,
  sort,
  filter,
  canManageCohort,
}: {
  scope: Scope;
  paths: GradebookPaths;
  sort: Sort;
  filter: { param: string; filter: Filter } | null;
  /** The cohort's id when the viewer manages it (may change its thresholds); null otherwise. */
  canManageCohort: string | null;
}) {
  const api = await serverApi();
  const [book, atRisk] = await Promise.all([
    orRedirect(api.gradebook.cohort({ scope, sort, ...(filter && { filter: filter.filter }) })),
    orRedirect(api.gradebook.atRisk({ scope })),
  ]);
  const now = clockNow().toISOString();
  const zone = book.scope.timeZone;
  const href = (next: { sort?: Sort; filter?: string | null }) => {
    const params = new URLSearchParams();
    const s = next.sort ?? sort;
    const f = next.filter === undefined ? (filter?.param ?? null) : next.filter;
    if (s !== "name") params.set("sort", s);
    if (f) params.set("filter", f);
    const query = params.toString();
    return query ? `${paths.self}?${query}` : paths.self;
  };
  const labs = book.columns.filter((c) => c.kind === "lab").map((c) => ({ slug: c.key.slice(labPrefix.length), title: c.title }));
  const { atRiskOverdueItems, atRiskInactiveDays, atRiskStepFailures } = book.thresholds;
  const filterLinks = [
    { param: null, label: "Everyone" },
    { param: "behind", label: "Behind" },
    { param: "inactive", label: "Inactive" },
  ].filter((f) => f.param !== "behind" || book.scope.kind === "cohort");
  const failedLab = filter?.filter.failedLab;

  return (
    <div className="stack">
      <section aria-labelledby="exports-heading" className={styles.toolbar}>
        <h2 id="exports-heading" className={styles.visuallyHidden}>
          Exports and patterns
        </h2>
        <a href={`/api/export/gradebook.csv?${paths.exportQuery}`} download className="button">
          Download CSV
        </a>
        <a href={`/api/export/attempts.csv?${paths.exportQuery}`} download>
          Download lab attempts (CSV)
        </a>
        <Link href={paths.labs}>Lab failure patterns</Link>
      </section>

      <section aria-labelledby="gradebook-heading" className="stack">
        <h2 id="gradebook-heading">Gradebook</h2>
        <nav aria-label="Filter learners" className={styles.toolbar}>
          <span>Show:</span>
          {filterLinks.map((f) =>
            (filter?.param ?? null) === f.param ? (
              <span key={f.label} className={styles.current} aria-current="page">
                {f.label}
              </span>
            ) : (
              <Link key={f.label} href={href({ filter: f.param })}>
                {f.label}
              </Link>
            ),
          )}
          {labs.length > 0 && (
            // A GET form: the same ?filter= link, built by the browser, no JavaScript needed.
            <form method="get" action={paths.self}>
              {sort !== "name" && <input type="hidden" name="sort" value={sort} />}
              <label>
                <span className={styles.visuallyHidden}>Lab failed</span>
                <select name="filter" defaultValue={failedLab ? `failedLab:${failedLab}` : ""}>
                  <option value="" disabled>
                    Failed a lab…
                  </option>
                  {labs.map((l) => (
                    <option key={l.slug} value={`failedLab:${l.slug}`}>
                      Failed {l.title}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="secondary">
                Filter
              </button>
            </form>
          )}
        </nav>
        <p className="muted">
          {book.rows.length === 1 ? "1 learner" : `${book.rows.length} learners`}
          {filter && " match the filter"}. Inactive means no activity for {atRiskInactiveDays} days or more.
        </p>
        {book.rows.length === 0 ? (
          <p className="muted">{filter ? "Nobody matches this filter." : "No learners yet."}</p>
        ) : (
          <div className={styles.matrix}>
            <table>
              <caption className={styles.visuallyHidden}>
                Gradebook: learners by chapters and labs, sorted by {sorts.find((s) => s.value === sort)?.label.toLowerCase()}
              </caption>
              <thead>
                <tr>
                  {sorts.map((s) => (
                    <th key={s.value} scope="col" aria-sort={s.value === sort ? "ascending" : undefined}>
                      {s.value === sort ? (
                        s.label
                      ) : (
                        <Link href={href({ sort: s.value })}>
                          <span className={styles.visuallyHidden}>Sort by </span>
                          {s.label}
                        </Link>
                      )}
                    </th>
                  ))}
                  {book.columns.map((c) => (
                    <ColumnHead key={c.key} column={c} zone={zone} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {book.rows.map((r) => (
                  <tr key={r.userId}>
                    <th scope="row">
                      <Link href={paths.learner(r.userId)}>{r.displayName}</Link>
                      <div className="muted">{r.email}</div>
                    </th>
                    <td>
                      {statusText[r.status]}
                      {r.overdue > 0 && <div className="muted">{r.overdue} past due</div>}
                      {r.late > 0 && <div className="muted">{r.late} late</div>}
                    </td>
                    <td>
                      {r.done} of {r.total}
                    </td>
                    <td>{r.lastActiveAt ? <Moment at={r.lastActiveAt} zone={zone ?? "UTC"} now={now} /> : <span className="muted">never</span>}</td>
                    {book.columns.map((c) => (
                      <Cell key={c.key} cell={r.cells[c.key]} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="at-risk-heading" className="stack">
        <h2 id="at-risk-heading">At risk</h2>
        <p className="muted">
          {book.scope.kind === "cohort" && `${atRiskOverdueItems} or more items past due, `}
          {atRiskInactiveDays} or more days without activity, or one lab step failed {atRiskStepFailures} or more times.
        </p>
        {atRisk.length === 0 ? (
          <p className="muted">Nobody is at risk.</p>
        ) : (
          <ul aria-label="Learners at risk">
            {atRisk.map((l) => (
              <li key={l.userId}>
                <Link href={paths.learner(l.userId)}>{l.displayName}</Link>: {l.reasons.map((r) => r.text).join("; ")}
              </li>
            ))}
          </ul>
        )}
        {canManageCohort && <GradebookThresholdsForm cohortId={canManageCohort} thresholds={book.thresholds} />}
      </section>
    </div>
  );
}
