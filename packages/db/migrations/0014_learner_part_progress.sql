CREATE TABLE "learner_part_progress" (
	"tenant_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"part_number" integer NOT NULL,
	"user_id" text NOT NULL,
	"completed" integer NOT NULL,
	CONSTRAINT "learner_part_progress_tenant_id_course_id_part_number_user_id_pk" PRIMARY KEY("tenant_id","course_id","part_number","user_id")
);
--> statement-breakpoint
ALTER TABLE "learner_part_progress" ADD CONSTRAINT "learner_part_progress_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_part_progress" ADD CONSTRAINT "learner_part_progress_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_part_progress" ADD CONSTRAINT "learner_part_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;