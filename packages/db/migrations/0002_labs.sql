CREATE TYPE "public"."lab_sandbox_end_reason" AS ENUM('stopped', 'expired', 'idle', 'failed', 'lost');--> statement-breakpoint
CREATE TYPE "public"."lab_sandbox_state" AS ENUM('provisioning', 'running', 'failed', 'ended');--> statement-breakpoint
CREATE TABLE "lab_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"course_id" uuid NOT NULL,
	"lesson_key" text NOT NULL,
	"sandbox_id" text NOT NULL,
	"lab_slug" text NOT NULL,
	"lab_version" integer NOT NULL,
	"score" integer NOT NULL,
	"max_score" integer NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_sandboxes" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"lab_slug" text NOT NULL,
	"lab_version" integer NOT NULL,
	"seed" text NOT NULL,
	"driver" text NOT NULL,
	"state" "lab_sandbox_state" DEFAULT 'provisioning' NOT NULL,
	"failure" text,
	"ended_reason" "lab_sandbox_end_reason",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "lab_attempts" ADD CONSTRAINT "lab_attempts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_attempts" ADD CONSTRAINT "lab_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_attempts" ADD CONSTRAINT "lab_attempts_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_attempts" ADD CONSTRAINT "lab_attempts_sandbox_id_lab_sandboxes_id_fk" FOREIGN KEY ("sandbox_id") REFERENCES "public"."lab_sandboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_sandboxes" ADD CONSTRAINT "lab_sandboxes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_sandboxes" ADD CONSTRAINT "lab_sandboxes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_attempts_tenant_id_user_id_lab_slug_index" ON "lab_attempts" USING btree ("tenant_id","user_id","lab_slug");--> statement-breakpoint
CREATE INDEX "lab_sandboxes_tenant_id_state_index" ON "lab_sandboxes" USING btree ("tenant_id","state");--> statement-breakpoint
CREATE INDEX "lab_sandboxes_user_id_state_index" ON "lab_sandboxes" USING btree ("user_id","state");--> statement-breakpoint
CREATE INDEX "lab_sandboxes_live_idx" ON "lab_sandboxes" USING btree ("tenant_id","user_id") WHERE "lab_sandboxes"."state" in ('provisioning', 'running');