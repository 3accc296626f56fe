-- Lab tables behind the same second wall as the rest (see 0001_row_level_security.sql).
-- Web requests read sandboxes and record attempts as `cookbook_tenant`; only lab-runner,
-- connecting as the platform role, creates and ends sandboxes.
GRANT SELECT ON lab_sandboxes TO cookbook_tenant;
--> statement-breakpoint
GRANT SELECT, INSERT ON lab_attempts TO cookbook_tenant;
--> statement-breakpoint
ALTER TABLE lab_sandboxes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lab_sandboxes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON lab_sandboxes TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON lab_sandboxes TO PUBLIC USING (current_user <> 'cookbook_tenant');
--> statement-breakpoint
ALTER TABLE lab_attempts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lab_attempts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON lab_attempts TO cookbook_tenant
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON lab_attempts TO PUBLIC USING (current_user <> 'cookbook_tenant');
