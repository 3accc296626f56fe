import { z } from "zod";

/** Inputs every cohort router takes, defined once so a cohort, a person or an item is read the same way everywhere. */

export const cohortId = z.uuid();
/** A user's id as the users table keeps it: text, so it is not parsed as a UUID. */
export const userId = z.string().trim().min(1).max(100);
/** A schedule item's key, `chapter:<n>` or `lab:<slug>`. */
export const itemKey = z.string().trim().min(1).max(200);
