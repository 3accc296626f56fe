CREATE TABLE "learning_event_weeks" (
	"tenant_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"user_id" text NOT NULL,
	"events" integer NOT NULL,
	"completions" integer NOT NULL,
	CONSTRAINT "learning_event_weeks_tenant_id_week_start_user_id_pk" PRIMARY KEY("tenant_id","week_start","user_id")
);
--> statement-breakpoint
DROP INDEX "learning_events_tenant_id_occurred_at_index";--> statement-breakpoint
ALTER TABLE "learning_event_weeks" ADD CONSTRAINT "learning_event_weeks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_event_weeks" ADD CONSTRAINT "learning_event_weeks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;