-- Invitation links count their uses (max_uses null: unlimited until expiry; links made before
-- this migration keep working as they did, for the days they have left); an account can be
-- deleted (the courses it enabled stay enabled); an owner can delete their organisation.
ALTER TABLE "tenant_courses" DROP CONSTRAINT "tenant_courses_enabled_by_users_id_fk";
--> statement-breakpoint
ALTER TABLE "tenant_courses" ALTER COLUMN "enabled_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "max_uses" integer;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "uses" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_courses" ADD CONSTRAINT "tenant_courses_enabled_by_users_id_fk" FOREIGN KEY ("enabled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_uses_within_max" CHECK ("invitations"."uses" >= 0 and ("invitations"."max_uses" is null or ("invitations"."max_uses" >= 1 and "invitations"."uses" <= "invitations"."max_uses")));--> statement-breakpoint
-- Deleting an organisation runs inside its own tenant scope: row-level security on `tenants`
-- confines the DELETE to the current tenant, and the foreign keys cascade to its rows.
GRANT DELETE ON tenants TO cookbook_tenant;
