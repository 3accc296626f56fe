-- Least-privilege login roles (see src/roles.ts): the web app and lab-runner no longer connect
-- as the role that owns the schema. The embedded server creates them with LOGIN and random
-- passwords before migrating; against an external server they are created here without LOGIN
-- (the owner needs CREATEROLE for that, as for cookbook_tenant in 0001) and the operator gives
-- them a password and LOGIN, or creates them beforehand.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cookbook_web') THEN
    CREATE ROLE cookbook_web NOLOGIN NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cookbook_lab_runner') THEN
    CREATE ROLE cookbook_lab_runner NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO cookbook_web, cookbook_lab_runner;
--> statement-breakpoint
-- Tenant-scoped requests switch to cookbook_tenant (src/tenant-scope.ts).
GRANT cookbook_tenant TO cookbook_web;
--> statement-breakpoint
-- The web app reads the catalogue; publishing editions is the owner's (launcher, migrations Job).
GRANT SELECT ON courses, course_versions, chapters, lessons TO cookbook_web;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, login_throttle, tenants, memberships, invitations, tenant_courses, enrollments, lesson_completions, lab_attempts TO cookbook_web;
--> statement-breakpoint
-- Sandboxes are lab-runner's to create and end; the web app only shows them.
GRANT SELECT ON lab_sandboxes TO cookbook_web;
--> statement-breakpoint
-- lab-runner's whole footprint: no users, no sessions, no attempts (foreign keys are checked as the owner).
GRANT SELECT, INSERT, UPDATE ON lab_sandboxes TO cookbook_lab_runner;
--> statement-breakpoint
-- Tables added by later migrations are the web app's like the ones above; a migration that
-- adds a table the web app must not write revokes it there.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cookbook_web;
--> statement-breakpoint
-- The signed-in user of a tenant-scoped transaction (src/tenant-scope.ts sets it with app.tenant_id).
CREATE FUNCTION current_app_user_id() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '') $$;
--> statement-breakpoint
-- A learner records attempts for themselves only: not for another member of their organisation.
DROP POLICY tenant_isolation ON lab_attempts;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON lab_attempts TO cookbook_tenant
  USING (tenant_id = current_tenant_id())
  WITH CHECK (tenant_id = current_tenant_id() AND user_id = current_app_user_id());
