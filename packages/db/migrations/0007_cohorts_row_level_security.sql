-- Cohort tables behind the same second wall as the rest (see 0001_row_level_security.sql).
-- The audit log is append-only for the web app: it may add entries and read them, never
-- change or remove one (a cohort's entries go with the cohort, by its foreign key).
GRANT SELECT, INSERT, UPDATE, DELETE ON schedule_templates, cohorts, cohort_instructors, cohort_members, cohort_schedule_overrides, cohort_extensions, cohort_announcements TO cookbook_tenant;
--> statement-breakpoint
GRANT SELECT, INSERT ON cohort_audit_log TO cookbook_tenant;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON cohort_audit_log FROM cookbook_web;
--> statement-breakpoint
-- Calendar feeds belong to a user, not to an organisation: the web app reads them as itself
-- (default privileges from 0005), and tenant-scoped requests cannot see them at all.
ALTER TABLE schedule_templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE schedule_templates FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON schedule_templates TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON schedule_templates TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohorts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohorts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohorts TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohorts TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohort_instructors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohort_instructors FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohort_instructors TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohort_instructors TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohort_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohort_members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohort_members TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohort_members TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohort_schedule_overrides ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohort_schedule_overrides FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohort_schedule_overrides TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohort_schedule_overrides TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohort_extensions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohort_extensions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohort_extensions TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohort_extensions TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohort_announcements ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohort_announcements FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohort_announcements TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohort_announcements TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE cohort_audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cohort_audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON cohort_audit_log TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON cohort_audit_log TO PUBLIC USING (current_user <> 'cookbook_tenant');
