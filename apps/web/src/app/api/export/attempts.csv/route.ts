import { csvExportRoute } from "~/server/dashboards/csv-export";
import { attemptsTable } from "~/server/dashboards/csv-tables";
import { observeRoute } from "~/server/observability/request-scope";

export const dynamic = "force-dynamic";

/** GET /api/export/attempts.csv?cohortId=… (or ?courseId=…&selfPaced=1): every lab attempt of the scope, step by step, as CSV, for the organisation's staff. */
const observed = observeRoute(csvExportRoute(attemptsTable));

export { observed as GET };
