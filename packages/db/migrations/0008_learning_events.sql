CREATE TYPE "public"."learning_event_verb" AS ENUM('lesson_viewed', 'lesson_completed', 'lab_started', 'lab_checked', 'lab_passed');--> statement-breakpoint
CREATE TABLE "learning_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "learning_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"course_id" uuid NOT NULL,
	"verb" "learning_event_verb" NOT NULL,
	"lesson_key" text NOT NULL,
	"lab_slug" text,
	"attempt_id" uuid,
	"score" integer,
	"max_score" integer,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learning_events" ADD CONSTRAINT "learning_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_events" ADD CONSTRAINT "learning_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_events" ADD CONSTRAINT "learning_events_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "learning_events_tenant_id_course_id_occurred_at_index" ON "learning_events" USING btree ("tenant_id","course_id","occurred_at");--> statement-breakpoint
CREATE INDEX "learning_events_tenant_id_user_id_occurred_at_index" ON "learning_events" USING btree ("tenant_id","user_id","occurred_at");