ALTER TABLE "cohorts" ADD COLUMN "at_risk_overdue_items" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "cohorts" ADD COLUMN "at_risk_inactive_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "cohorts" ADD COLUMN "at_risk_step_failures" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "cohorts" ADD CONSTRAINT "cohorts_at_risk_thresholds" CHECK ("cohorts"."at_risk_overdue_items" between 1 and 1000 and "cohorts"."at_risk_inactive_days" between 1 and 365 and "cohorts"."at_risk_step_failures" between 1 and 1000);