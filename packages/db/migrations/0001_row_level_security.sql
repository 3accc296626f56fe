-- Row-level security: the second wall behind the tRPC tenant middleware.
-- Tenant-scoped requests run `SET LOCAL ROLE cookbook_tenant` and set `app.tenant_id`
-- (see src/tenant-scope.ts); that role cannot bypass RLS, so a query that forgot its
-- tenant filter still sees only the current tenant's rows.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cookbook_tenant') THEN
    CREATE ROLE cookbook_tenant NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
GRANT cookbook_tenant TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO cookbook_tenant;
--> statement-breakpoint
GRANT SELECT ON courses, course_versions, chapters, lessons TO cookbook_tenant;
--> statement-breakpoint
GRANT SELECT (id, email, display_name) ON users TO cookbook_tenant;
--> statement-breakpoint
GRANT SELECT, UPDATE ON tenants TO cookbook_tenant;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, invitations, tenant_courses, enrollments, lesson_completions TO cookbook_tenant;
--> statement-breakpoint
CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants TO cookbook_tenant
  USING (id = current_tenant_id()) WITH CHECK (id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON tenants TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON memberships TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON memberships TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON invitations TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON invitations TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE tenant_courses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_courses FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenant_courses TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON tenant_courses TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE enrollments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE enrollments FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON enrollments TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON enrollments TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE lesson_completions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lesson_completions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON lesson_completions TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON lesson_completions TO PUBLIC USING (current_user <> 'cookbook_tenant');
