import { csvExportRoute } from "~/server/dashboards/csv-export";
import { gradebookTable } from "~/server/dashboards/csv-tables";
import { observeRoute } from "~/server/observability/request-scope";

export const dynamic = "force-dynamic";

/** GET /api/export/gradebook.csv?cohortId=… (or ?courseId=…&selfPaced=1): the gradebook as CSV, for the organisation's staff. */
const observed = observeRoute(csvExportRoute(gradebookTable));

export { observed as GET };
