CREATE TABLE "lab_hint_reveals" (
	"tenant_id" uuid NOT NULL,
	"attempt_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"hint_index" integer NOT NULL,
	"revealed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lab_hint_reveals_attempt_id_step_id_hint_index_pk" PRIMARY KEY("attempt_id","step_id","hint_index")
);
--> statement-breakpoint
ALTER TABLE "lab_hint_reveals" ADD CONSTRAINT "lab_hint_reveals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_hint_reveals" ADD CONSTRAINT "lab_hint_reveals_attempt_id_lab_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."lab_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_hint_reveals_tenant_id_attempt_id_index" ON "lab_hint_reveals" USING btree ("tenant_id","attempt_id");