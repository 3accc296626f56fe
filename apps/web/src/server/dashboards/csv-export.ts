import { Readable } from "node:stream";
import { getMembership } from "@cookbook/db/queries/tenants";
import { type TenantTx, withTenant } from "@cookbook/db/tenant-scope";
import { formatZodError } from "@cookbook/lab-runner-api/vocabulary";
import { TRPCError } from "@trpc/server";
import { stringify } from "csv-stringify";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { env, publicUrl } from "~/env";
import { originRefusal } from "~/server/auth/request-origin";
import { requestSource } from "~/server/auth/request-source";
import { now } from "~/server/clock";
import { createContext } from "~/server/trpc/context";
import { type DashboardScope, type DashboardScopeInput, dashboardScope, dashboardScopeOrRefused } from "./scope";

/*
 * CSV downloads of a dashboard scope, behind the same doors as the tRPC procedures: the session
 * cookie (401 without one), the session's organisation (403 without one), and the staff checks
 * of dashboardScopeOrRefused (403 for a learner, 404 for another organisation's ids). A bad
 * query string is a 400 with a sentence, never a 500.
 *
 * Format: UTF-8 with a byte-order mark, because Excel reads a CSV without one in the system's
 * legacy code page (names with accents come out garbled) and with one opens it as UTF-8 without
 * an import wizard; LibreOffice, Numbers and CSV parsers accept the mark. Comma-separated,
 * CRLF line ends (RFC 4180), a header row, dates as ISO 8601 in UTC. Cells starting with = + -
 * @ are prefixed with ' so a learner's name cannot become a spreadsheet formula.
 */

export type CsvTable = { filename: string; columns: string[]; rows: Iterable<unknown[]> };
export type CsvBuilder = (tx: TenantTx, input: { tenantId: string; scope: DashboardScope; now: Date }) => Promise<CsvTable>;

const json = (status: number, message: string, headers: Headers) => {
  headers.set("Cache-Control", "no-store");
  return Response.json({ error: { message } }, { status, headers });
};

/** `?cohortId=<uuid>`, or `?courseId=<uuid>&selfPaced=1`, as the procedures' `scope`. */
export function scopeFromQuery(params: URLSearchParams): { scope: DashboardScopeInput } | { error: string } {
  const cohortId = params.get("cohortId");
  const courseId = params.get("courseId");
  const selfPaced = params.get("selfPaced");
  if (cohortId !== null && courseId !== null) return { error: "Give either cohortId or courseId, not both." };
  if (courseId !== null && selfPaced !== "1" && selfPaced !== "true")
    return { error: "A course's export is of its self-paced learners: add selfPaced=1." };
  const parsed = dashboardScope.safeParse(cohortId !== null ? { cohortId } : courseId !== null ? { courseId, selfPaced: true } : {});
  if (!parsed.success)
    return { error: cohortId === null && courseId === null ? "Give cohortId, or courseId with selfPaced=1." : formatZodError(parsed.error) };
  return { scope: parsed.data };
}

/** A date for the file's name (the file's date in UTC, as its contents are). */
const day = (at: Date) => at.toISOString().slice(0, 10);

/** An ASCII file name from the scope's name, e.g. gradebook-winter-2026-2026-12-23.csv. */
export function csvFilename(kind: string, scope: DashboardScope, at: Date): string {
  const name = scope.kind === "cohort" ? scope.cohort.name : `${scope.course.slug}-self-paced`;
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${kind}-${slug || "scope"}-${day(at)}.csv`;
}

/** A GET route handler that streams `build`'s table as CSV for the scope in the query string. */
export function csvExportRoute(build: CsvBuilder) {
  return async (req: Request): Promise<Response> => {
    const headers = new Headers();
    const refusal = originRefusal(req, requestSource(req.headers, env.TRUSTED_PROXIES), publicUrl);
    if (refusal) return json(refusal === "Unknown host." ? 421 : 403, refusal, headers);
    const ctx = await createContext({ headers: req.headers, url: req.url, resHeaders: headers });
    if (!ctx.user || !ctx.session) return json(401, "Please sign in.", headers);
    const tenantId = ctx.session.activeTenantId;
    const membership = tenantId ? await getMembership(ctx.db, { tenantId, userId: ctx.user.id }) : null;
    if (!membership) return json(403, "Choose an organisation first.", headers);
    const query = scopeFromQuery(new URL(req.url).searchParams);
    if ("error" in query) return json(400, query.error, headers);

    const user = ctx.user;
    let table: CsvTable;
    try {
      table = await withTenant(ctx.db, { tenantId: membership.tenantId, userId: user.id }, async (tx) => {
        const scope = await dashboardScopeOrRefused(tx, { user, tenant: membership }, query.scope);
        return build(tx, { tenantId: membership.tenantId, scope, now: now() });
      });
    } catch (error) {
      // The gates' refusals answer with their status and sentence; anything else is a real fault.
      if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR")
        return json(getHTTPStatusCodeFromError(error), error.message, headers);
      throw error;
    }

    const csv = stringify({
      bom: true,
      header: true,
      columns: table.columns,
      record_delimiter: "windows",
      escape_formulas: true,
      cast: { date: (value) => value.toISOString(), boolean: (value) => (value ? "true" : "false") },
    });
    Readable.from(table.rows).pipe(csv);
    headers.set("Content-Type", "text/csv; charset=utf-8");
    headers.set("Content-Disposition", `attachment; filename="${table.filename}"`);
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    return new Response(Readable.toWeb(csv) as ReadableStream<Uint8Array>, { status: 200, headers });
  };
}
